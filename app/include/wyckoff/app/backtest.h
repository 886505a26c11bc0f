// `backtest` as a function over a typed request: the bars, the strategy and its parameters, the
// engine's settings, where the results go.
//
//   BacktestRequest request{.data = ..., .strategy = *FindStrategy("sma-cross"),
//                           .params = schema.Defaults(), .config = config, .out = "results/"};
//   Result<BacktestOutcome> outcome = RunBacktest(request);
//   if (!outcome) return outcome.error();     // bad input, a failed write, the database
//   Print(report::SummaryTable(outcome->run, outcome->info));
//
// The bars stream through the engine; equity.csv and the database's equity rows are written as
// the run goes, the other files after it, all appearing together or not at all. With an
// `html_report`, the bars and the equity curve are also kept for it as they pass (in at most
// `html_report_bars` rows: aggregated beyond), and the page is written and checked before the
// folder's files are committed, then renamed into place.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wyckoff/app/data.h"
#include "wyckoff/app/database.h"
#include "wyckoff/core/params.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/html_report.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::app {

// Called around the engine's run only (a profiler).
struct RunHooks {
  std::function<void()> before, after;
};

struct BacktestRequest {
  DataRequest data;
  const strategies::StrategyType* strategy = nullptr;
  ParamValues params;  // of strategy->schema(), rules checked
  engine::EngineConfig config;
  // The settings as the user gave them, echoed in summary.json and the database (cash,
  // sizing, models, ...).
  std::vector<std::pair<std::string, std::string>> settings;
  std::string out;  // the report folder; empty: no files
  // The HTML report's file (report/html_report.h); empty: none. Runs of more than
  // `html_report_bars` bars are aggregated in it.
  std::string html_report;
  std::size_t html_report_bars = report::kDefaultReportBars;
  DatabaseOptions database;
  RunHooks hooks;
};

struct BacktestOutcome {
  // The run's metrics, events, digest and counts. Its trades, fills and orders are kept only
  // when the run is stored or charted (database, HTML page); otherwise they stream to --out's
  // files or are dropped as they come (memory flat in the bars), and those vectors are empty.
  engine::RunResult run;
  report::RunInfo info;                // what was asked, as recorded
  std::optional<std::int64_t> stored;  // the run's id in the database
  Skipped skipped;                     // bad rows skipped under --on-bad-row skip
  std::vector<std::string> notes;      // "SYMBOL: why no volume-gated pattern appears"
};

// Errors: the sources' (bad rows, files, stored bars), the strategy's sizing, the run's
// (overflow), a report file or the page that cannot be written (kIo), the database's.
Result<BacktestOutcome> RunBacktest(const BacktestRequest& request);

}  // namespace wyckoff::app
