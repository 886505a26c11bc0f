// Report files and terminal tables of parameter searches (`wyckoff optimize`) and
// walk-forward runs (`wyckoff walk-forward`).
//
//   SearchInfo info{.command = "optimize", .strategy = "sma-cross", .data = {"orcl.csv"}};
//   if (auto ok = WriteOptimizeReport(out_dir, *result, *grid, *plan, info); !ok) return ...;
//   std::cout << OptimizeTable(*result, *grid, *plan, info, /*top=*/10);
//
//   if (auto ok = WriteWalkForwardReport(out_dir, *wf, *grid, *plan, info); !ok) return ...;
//   std::cout << WalkForwardTable(*wf, *grid, *plan, info);
//
// optimize writes results.csv (every combination, best first: rank, index, one column per
// searched parameter, score, the headline metrics, digest) and summary.json. walk-forward
// writes windows.csv (one row per window: train and test dates, chosen parameters, in-sample
// and out-of-sample metrics, efficiency), oos_trades.csv (the columns of trades.csv, then
// window and closed_at_window_end), oos_equity.csv (time, cash, equity, window) and
// summary.json (stitched metrics, efficiency, digest). Nothing depends on the thread count, so
// the files are byte-identical whatever --jobs is. Files are written under temporary names and
// renamed when all are complete, as the backtest's are.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/walk_forward.h"

namespace wyckoff::report {

// What was asked for, echoed into summary.json and the tables.
struct SearchInfo {
  std::string command = "optimize";  // or "walk-forward"
  std::string strategy;
  std::vector<std::string> data;
  std::vector<std::pair<std::string, std::string>> settings;  // cash, sizing, models, ...
  std::string objective = "sharpe";
  std::int64_t min_trades = 0;
  std::uint64_t samples = 0;  // 0: the whole grid
  std::uint64_t seed = 1;
  std::int64_t bars = 0;  // bars loaded over all symbols
  // walk-forward only: the window flags as given.
  std::string train, test, step;
  bool anchored = false;
  std::size_t warmup = 0;  // clock steps
};

std::string OptimizeResultsCsv(const engine::SearchResult& result, const engine::ParamGrid& grid);
std::string OptimizeSummaryJson(const engine::SearchResult& result, const engine::ParamGrid& grid,
                                const engine::SearchPlan& plan, const SearchInfo& info);
// The `top` best combinations and the search's counts and digest.
std::string OptimizeTable(const engine::SearchResult& result, const engine::ParamGrid& grid,
                          const engine::SearchPlan& plan, const SearchInfo& info, std::size_t top);
// Writes results.csv and summary.json into `dir` (created when missing). Error names the file.
Result<void> WriteOptimizeReport(const std::string& dir, const engine::SearchResult& result,
                                 const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                 const SearchInfo& info);

std::string WindowsCsv(const engine::WalkForwardResult& wf, const engine::ParamGrid& grid);
std::string OosTradesCsv(const engine::WalkForwardResult& wf);
std::string OosEquityCsv(const engine::WalkForwardResult& wf);
std::string WalkForwardSummaryJson(const engine::WalkForwardResult& wf,
                                   const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                   const SearchInfo& info);
// One row per window, then the stitched out-of-sample metrics, the efficiency and the digest.
std::string WalkForwardTable(const engine::WalkForwardResult& wf, const engine::ParamGrid& grid,
                             const engine::SearchPlan& plan, const SearchInfo& info);
// Writes windows.csv, oos_trades.csv, oos_equity.csv and summary.json into `dir`.
Result<void> WriteWalkForwardReport(const std::string& dir, const engine::WalkForwardResult& wf,
                                    const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                    const SearchInfo& info);

}  // namespace wyckoff::report
