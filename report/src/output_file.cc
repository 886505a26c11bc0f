#include "wyckoff/report/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wyckoff::report {
namespace {

constexpr std::size_t kBufferSize = 1 << 16;

}  // namespace

OutputFile::OutputFile(std::string path, std::string written, int fd, bool in_place)
    : path_(std::move(path)), written_(std::move(written)), fd_(fd), in_place_(in_place) {
  buffer_.reserve(kBufferSize);
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      written_(std::move(other.written_)),
      fd_(std::exchange(other.fd_, -1)),
      in_place_(other.in_place_),
      committed_(std::exchange(other.committed_, true)),
      errno_(other.errno_),
      buffer_(std::move(other.buffer_)) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::move(other.path_);
    written_ = std::move(other.written_);
    fd_ = std::exchange(other.fd_, -1);
    in_place_ = other.in_place_;
    committed_ = std::exchange(other.committed_, true);
    errno_ = other.errno_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

OutputFile::~OutputFile() { Abandon(); }

Error OutputFile::Failure(const char* what, int error) const {
  return {ErrorCode::kIo, EscapeControl(path_) + ": " + what + ": " + std::strerror(error)};
}

Result<OutputFile> OutputFile::Create(std::string path) {
  struct stat info {};
  const bool in_place = stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode);
  if (in_place && S_ISDIR(info.st_mode)) {
    return Fail(ErrorCode::kIo, EscapeControl(path) + ": cannot write: it is a folder");
  }
  std::string written = in_place ? path : path + ".tmp";
  const int flags = O_WRONLY | O_CLOEXEC | (in_place ? 0 : O_CREAT | O_TRUNC);
  const int fd = open(written.c_str(), flags, 0644);
  if (fd < 0) {
    return Fail(ErrorCode::kIo, EscapeControl(path) + ": cannot write: " + std::strerror(errno));
  }
  return OutputFile(std::move(path), std::move(written), fd, in_place);
}

void OutputFile::Write(std::string_view bytes) {
  if (fd_ < 0 || errno_ != 0) return;
  if (buffer_.size() + bytes.size() > kBufferSize) Flush();
  if (bytes.size() >= kBufferSize) {
    WriteAll(bytes);  // a large block goes to the file as it is, not through the buffer
    return;
  }
  buffer_ += bytes;
}

void OutputFile::Flush() {
  WriteAll(buffer_);
  buffer_.clear();
}

void OutputFile::WriteAll(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size() && errno_ == 0) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno != EINTR) errno_ = errno;
      continue;
    }
    done += static_cast<std::size_t>(n);
  }
}

Result<void> OutputFile::Close() {
  if (fd_ < 0) {
    if (errno_ != 0) return tl::unexpected(Failure("cannot write", errno_));
    return {};
  }
  if (errno_ == 0) Flush();
  if (::close(fd_) != 0 && errno_ == 0) errno_ = errno;
  fd_ = -1;
  if (errno_ != 0) return tl::unexpected(Failure("cannot write", errno_));
  return {};
}

Result<void> OutputFile::Commit() {
  if (auto ok = Close(); !ok) return ok;
  if (!in_place_ && std::rename(written_.c_str(), path_.c_str()) != 0) {
    return tl::unexpected(Failure("cannot write", errno));
  }
  committed_ = true;
  return {};
}

void OutputFile::Abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!committed_ && !in_place_ && !written_.empty()) std::remove(written_.c_str());
  committed_ = true;
}

Result<void> WriteAllOrNothing(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<OutputFile> open;
  open.reserve(files.size());
  for (const auto& [path, text] : files) {
    Result<OutputFile> file = OutputFile::Create(path);
    if (!file) return tl::unexpected(file.error());
    file->Write(text);
    if (auto ok = file->Close(); !ok) return ok;
    open.push_back(std::move(*file));
  }
  for (OutputFile& file : open) {
    if (auto ok = file.Commit(); !ok) return ok;
  }
  return {};
}

}  // namespace wyckoff::report
