#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace wyckoff::cli {
namespace {

constexpr int kWidth = 30;  // characters of the bar

std::string Amount(std::uint64_t n, ProgressUnit unit) {
  return unit == ProgressUnit::kBytes ? std::to_string(n / 1'000'000) : std::to_string(n);
}

std::string_view UnitName(ProgressUnit unit) {
  switch (unit) {
    case ProgressUnit::kBytes:
      return "MB";
    case ProgressUnit::kBars:
      return "bars";
    case ProgressUnit::kRuns:
      return "runs";
  }
  return "";
}

std::chrono::milliseconds ShowAfter() {
  const char* text = std::getenv("WYCKOFF_PROGRESS_AFTER_MS");
  char* end = nullptr;
  const long ms = text != nullptr ? std::strtol(text, &end, 10) : -1;
  return std::chrono::milliseconds(text != nullptr && *end == '\0' && ms >= 0 ? ms : 1000);
}

}  // namespace

std::string ProgressLine(std::string_view label, std::string_view what, std::uint64_t done,
                         std::uint64_t total, ProgressUnit unit) {
  std::string line(label);
  if (!what.empty()) line.append(" ").append(what);
  if (total == 0) {
    return line.append(" ").append(Amount(done, unit)).append(" ").append(UnitName(unit));
  }
  if (done > total) done = total;
  const std::uint64_t filled = done * kWidth / total;
  line.append(" [").append(filled, '#').append(kWidth - filled, '.').append("] ");
  line.append(std::to_string(done * 100 / total)).append("% ");
  line.append(Amount(done, unit)).append("/").append(Amount(total, unit)).append(" ");
  return line.append(UnitName(unit));
}

std::function<void(const std::string&, engine::ReadProgress)> ReadingProgress(std::string label) {
  auto bar = TerminalProgress::Start(std::move(label));
  if (!bar) return {};
  return [bar](const std::string& source, engine::ReadProgress p) {
    bar->Update(source, p.done, p.total, p.bytes ? ProgressUnit::kBytes : ProgressUnit::kBars);
  };
}

std::shared_ptr<TerminalProgress> TerminalProgress::Start(std::string label) {
  if (isatty(STDERR_FILENO) == 0) return nullptr;
  return std::shared_ptr<TerminalProgress>(new TerminalProgress(std::move(label)));
}

TerminalProgress::TerminalProgress(std::string label)
    : label_(std::move(label)), show_after_(std::chrono::steady_clock::now() + ShowAfter()) {}

TerminalProgress::~TerminalProgress() { Erase(); }

void TerminalProgress::Erase() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void TerminalProgress::Update(std::string_view what, std::uint64_t done, std::uint64_t total,
                              ProgressUnit unit) {
  const bool finished = total != 0 && done >= total;
  if (std::chrono::steady_clock::now() < show_after_) return;
  const std::uint64_t permille = total == 0 ? done : done * 1000 / total;
  if (!finished && drawn_ && permille == shown_permille_) return;
  shown_permille_ = permille;
  const std::string line = ProgressLine(label_, what, done, total, unit);
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
  if (finished) Erase();
}

}  // namespace wyckoff::cli
