// Batch metrics: what `backtest`, `walk-forward` and `optimize --metrics-file F.prom` write, in
// the Prometheus text format that node_exporter's textfile collector reads. The file is
// written under a temporary name and renamed, so a collector never reads half of it.
//
//   WriteBatchMetrics("/var/lib/node_exporter/wyckoff.prom",
//                     {.command = "backtest", .seconds = 1.5, .bars = 5000, .runs = 1});
#pragma once

#include <cstdint>
#include <string>

#include "wyckoff/core/error.h"

namespace wyckoff::serve {

struct BatchFigures {
  std::string command;    // backtest, walk-forward, optimize
  double seconds = 0;     // wall time of the run
  std::int64_t bars = 0;  // bars replayed (for searches: clock steps over every backtest)
  std::int64_t runs = 0;  // backtests (combinations, windows x combinations)
  std::int64_t trades = 0;
  double finished = 0;  // Unix time the run ended
};

// wyckoff_backtest_duration_seconds (histogram, one observation), wyckoff_batch_bars_total,
// wyckoff_batch_bars_per_second, wyckoff_batch_runs_total, wyckoff_batch_trades_total and
// wyckoff_batch_last_success_timestamp_seconds, each labelled command="...". Errors: the file
// cannot be written (kIo).
Result<void> WriteBatchMetrics(const std::string& path, const BatchFigures& figures);

}  // namespace wyckoff::serve
