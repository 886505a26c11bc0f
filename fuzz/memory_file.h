// A file that lives in memory but has a path, for fuzzing readers whose public API opens a path
// (engine::CsvBarSource::Open, the benchmark JSON reader): memfd_create, named by
// /proc/self/fd/N. Every open of the path starts at offset 0 and sees the latest Write.
//
//   static MemoryFile file;
//   const std::string& path = file.Write(data, size);
//   auto source = engine::CsvBarSource::Open(path, {});
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wyckoff::fuzz {

class MemoryFile {
 public:
  MemoryFile() : fd_(memfd_create("wyckoff-fuzz", 0)) {
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  // Replaces the content with `size` bytes of `data`; returns the path. Aborts on an I/O
  // failure (a broken harness, not a finding).
  const std::string& Write(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(fd_, 0) != 0 ||
        (size > 0 && pwrite(fd_, data, size, 0) != static_cast<ssize_t>(size))) {
      std::perror("MemoryFile::Write");
      std::abort();
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

// Stops the run with `what` when a property of the API does not hold: libFuzzer records the
// input as a crash.
[[noreturn]] inline void PropertyFailed(const std::string& what) {
  std::fprintf(stderr, "property failed: %s\n", what.c_str());
  std::abort();
}

}  // namespace wyckoff::fuzz
