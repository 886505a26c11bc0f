// `optimize` and `walk-forward` as functions over typed requests.
//
//   SearchRequest request{.data = ..., .strategy = type, .grid = *grid, .plan = *plan, ...};
//   Result<OptimizeOutcome> outcome = RunOptimize(request);
//   Print(report::OptimizeTable(outcome->result, request.grid, request.plan, outcome->info, 10));
//
// The bars are read into memory once and shared by every run; the grid (typed values, parsed
// once) and its plan (the combinations that pass the schema's rules) come made.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "wyckoff/app/backtest.h"
#include "wyckoff/app/data.h"
#include "wyckoff/app/database.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/report/html_report.h"
#include "wyckoff/report/search_report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::app {

struct SearchRequest {
  DataRequest data;
  const strategies::StrategyType* strategy = nullptr;
  const engine::ParamGrid* grid = nullptr;  // of strategy->schema()
  const engine::SearchPlan* plan = nullptr;
  engine::SearchOptions search;  // engine settings, objective, jobs, progress
  report::SearchInfo info;       // what was asked, echoed in the reports (bars: filled in)
  std::string out;               // the report folder; empty: no files
  // The HTML report's file; empty: none. optimize charts the best combination's run (made
  // again over the same bars) and maps the objective over the searched parameters;
  // walk-forward charts the stitched test windows (each made again for its detector events)
  // and the windows. More than `html_report_bars` bars are aggregated in it.
  std::string html_report;
  std::size_t html_report_bars = report::kDefaultReportBars;
  DatabaseOptions database;    // walk-forward: store the run when `store`
  engine::WindowSpec windows;  // walk-forward only
  RunHooks hooks;
};

// Started as the ranks of an MPI job (cluster.h), every rank runs the command: rank 0 gets the
// outcome; the others only run batches of training runs and return an outcome with `worker`
// set and nothing else.
struct Distribution {
  int ranks = 0;        // the ranks that ran the search; 0: one process, no MPI launcher
  bool worker = false;  // this process is not rank 0: it has no results to show
};

struct OptimizeOutcome {
  engine::SearchResult result;
  report::SearchInfo info;
  Skipped skipped;
  Distribution distribution;
};

struct WalkForwardOutcome {
  engine::WalkForwardResult result;
  report::SearchInfo info;
  std::optional<std::int64_t> stored;
  Skipped skipped;
  Distribution distribution;
};

// Errors: the sources', the strategy's sizing, the search's, a report file that cannot be
// written; distributed (cluster.h): MPI support missing, another rank's ("rank 2: ...").
Result<OptimizeOutcome> RunOptimize(const SearchRequest& request);
// Errors: as RunOptimize, the windows' (data too short), the database's.
Result<WalkForwardOutcome> RunWalkForward(const SearchRequest& request);

}  // namespace wyckoff::app
