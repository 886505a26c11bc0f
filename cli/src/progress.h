// Progress on the terminal for work that can take more than a second: reading a large file
// (every command that reads bars), `db import`, `generate`, `optimize` and `walk-forward`.
//
//   auto bar = TerminalProgress::Start("reading");   // null unless stderr is a terminal
//   if (bar) request.progress = [bar](...) { bar->Update(file, done, total, unit); };
//
// Nothing is drawn when stderr is not a terminal (a pipe, a file, CI), nor before the work has
// run for a second ($WYCKOFF_PROGRESS_AFTER_MS, default 1000, moves that point: tests set 0).
// The line is redrawn only when its figure changes, and erased when the work is done, so what
// the command prints afterwards starts on a clean line.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::cli {

enum class ProgressUnit { kBytes, kBars, kRuns };

// The line drawn, without the carriage return: `reading orcl.csv [#########.....] 31%
// 172/551 MB`. `what` may be empty; with total 0 (unknown) only the count is shown.
std::string ProgressLine(std::string_view label, std::string_view what, std::uint64_t done,
                         std::uint64_t total, ProgressUnit unit);

class TerminalProgress {
 public:
  // A progress line for `label`, or null when stderr is not a terminal.
  static std::shared_ptr<TerminalProgress> Start(std::string label);
  ~TerminalProgress();  // erases the line if one is shown
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // `done` of `total` units of `what`; done == total erases the line.
  void Update(std::string_view what, std::uint64_t done, std::uint64_t total, ProgressUnit unit);

 private:
  explicit TerminalProgress(std::string label);
  void Erase();

  std::string label_;
  std::chrono::steady_clock::time_point show_after_;
  std::uint64_t shown_permille_ = UINT64_MAX;
  bool drawn_ = false;
};

// The feed of app::DataRequest::progress (and ImportRequest's): a line labelled `label` showing
// each source's bytes (or a cache entry's bars); empty when stderr is not a terminal.
std::function<void(const std::string& source, engine::ReadProgress)> ReadingProgress(
    std::string label);

}  // namespace wyckoff::cli
