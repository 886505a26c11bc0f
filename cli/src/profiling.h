// ScopedProfiler: a gperftools CPU profile around the part of a command that does the work.
//
//   ScopedProfiler profiler;
//   request.hooks = profiler.Hooks(options.profile);   // empty path: no profiling
//   app::RunBacktest(request);                         // profiles the engine's run only
//
// Turn the profile into a flame graph with scripts/flamegraph.sh.
#pragma once

#include <fcntl.h>
#include <gperftools/profiler.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "wyckoff/app/backtest.h"
#include "wyckoff/core/error.h"

namespace wyckoff::cli {

// Checks before a run that the profile can be written to `path` (empty: no profile): the
// profiler itself aborts the process when its file fails. Error names the path and the OS's
// reason ("/dev/full: cannot write the profile: No space left on device").
inline Result<void> CheckProfilePath(const std::string& path) {
  if (path.empty()) return {};
  auto fail = [&](int error) {
    return Fail(ErrorCode::kIo,
                EscapeControl(path) + ": cannot write the profile: " + std::strerror(error));
  };
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errno);
  bool wrote = write(fd, "", 1) == 1;
  int error = errno;
  if (close(fd) != 0 && wrote) wrote = false, error = errno;
  if (!wrote) return fail(error);
  // A regular file is left empty for the profiler; a device cannot be truncated and needs not.
  if (truncate(path.c_str(), 0) != 0) return {};
  return {};
}

class ScopedProfiler {
 public:
  ScopedProfiler() = default;
  explicit ScopedProfiler(const std::string& path) { Start(path); }
  ~ScopedProfiler() { Stop(); }
  ScopedProfiler(const ScopedProfiler&) = delete;
  ScopedProfiler& operator=(const ScopedProfiler&) = delete;

  // Starts a profile written to `path` (empty: nothing).
  void Start(const std::string& path) {
    if (path.empty() || running_) return;
    running_ = ProfilerStart(path.c_str()) != 0;
    if (!running_) std::cerr << "warning: cannot start the CPU profiler writing " << path << "\n";
  }
  void Stop() {
    if (!running_) return;
    ProfilerStop();
    running_ = false;
  }
  // Hooks that profile an application's run (only its engine work) into `path`.
  app::RunHooks Hooks(const std::string& path) {
    if (path.empty()) return {};
    return {[this, path] { Start(path); }, [this] { Stop(); }};
  }

 private:
  bool running_ = false;
};

}  // namespace wyckoff::cli
