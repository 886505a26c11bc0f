// OutputFile: a file that appears whole or not at all.
//
//   Result<OutputFile> file = OutputFile::Create("out/trades.csv");   // writes trades.csv.tmp
//   if (!file) return file.error();
//   file->Write(text);                                 // buffered; errors are kept
//   if (auto ok = file->Close(); !ok) return ok;       // every write checked through close(2)
//   if (auto ok = file->Commit(); !ok) return ok;      // renamed into place
//   // Destroyed before Commit (an error anywhere): the temporary file is removed.
//
// Errors name the path the user gave and the operating system's reason ("out/trades.csv:
// cannot write: No space left on device"). A path that exists and is not a regular file (a
// terminal, a pipe, /dev/stdout, /dev/full) is written in place: no temporary file is created
// beside a device, and none is renamed over it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::report {

class OutputFile {
 public:
  // Opens PATH.tmp for writing (or PATH itself when it is not a regular file). Error: the file
  // cannot be created (the OS's reason).
  static Result<OutputFile> Create(std::string path);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // removes the temporary file unless committed

  // Appends `bytes`; a failed write is kept and reported by Close.
  void Write(std::string_view bytes);
  // Flushes and closes; the first write, flush or close error. Idempotent.
  Result<void> Close();
  // Closes (when open) and renames the temporary file to the path. Error: the OS's reason.
  Result<void> Commit();
  // Closes and removes the temporary file.
  void Abandon();

  const std::string& path() const { return path_; }

 private:
  OutputFile(std::string path, std::string written, int fd, bool in_place);
  void Flush();
  void WriteAll(std::string_view bytes);  // to the file, every byte or the error
  Error Failure(const char* what, int error) const;

  std::string path_;     // what the user asked for
  std::string written_;  // the file being written: PATH.tmp, or PATH in place
  int fd_ = -1;
  bool in_place_ = false;
  bool committed_ = false;
  int errno_ = 0;  // the first write error
  std::string buffer_;
};

// Writes each (path, text) as an OutputFile and commits them only when all closed cleanly:
// every file appears, or (on an error while writing) none, and no temporary file stays.
Result<void> WriteAllOrNothing(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace wyckoff::report
