#include "sources.h"

#include <iostream>

#include "commands.h"

namespace wyckoff::cli {

engine::CsvOptions CsvOptionsOf(const std::string& on_bad_row, bool allow_nonpositive_prices) {
  engine::CsvOptions csv;
  csv.on_bad_row = on_bad_row == "skip" ? engine::BadRowPolicy::kSkip : engine::BadRowPolicy::kStop;
  csv.rules.allow_nonpositive_prices = allow_nonpositive_prices;
  return csv;
}

int ReportError(const Error& error) {
  std::cerr << "error: " << EscapeControl(error.message) << "\n";
  return error.code == ErrorCode::kIo || error.code == ErrorCode::kDatabase ? kExitFailure
                                                                            : kExitBadInput;
}

void WarnSkipped(const app::Skipped& skipped) {
  if (skipped.rows == 0) return;
  std::cerr << "warning: skipped " << skipped.rows
            << " bad rows (first: " << EscapeControl(skipped.first) << ")\n";
}

serve::BatchFigures BatchFiguresOf(std::string command, std::chrono::steady_clock::time_point start,
                                   std::int64_t bars, std::int64_t runs, std::int64_t trades) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return {
      .command = std::move(command),
      .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
      .bars = bars,
      .runs = runs,
      .trades = trades,
      .finished = std::chrono::duration<double>(now).count()};
}

}  // namespace wyckoff::cli
