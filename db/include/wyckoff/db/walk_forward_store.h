// Walk-forward runs in PostgreSQL: one backtest_runs row of kind `walk-forward` and one
// walk_forward_windows row per window, written through RunWriter so that they appear whole or
// not at all.
//
//   RunSpec spec = ...;                                  // kind "walk-forward"
//   auto writer = RunWriter::Start(conn, spec, options); // RUNNING, `run.created`
//   Result<WalkForwardResult> wf = RunWalkForward(...);
//   if (!wf) { (*writer)->Fail(wf.error().message); return ...; }
//   if (auto ok = CompleteWalkForward(**writer, *wf, grid); !ok) { (*writer)->Fail(...); }
//
// What goes where:
// | WalkForwardResult     | table                | notes                                      |
// | --------------------- | -------------------- | ------------------------------------------ |
// | stitched curve        | equity_points        | one point per test-window clock step       |
// | out-of-sample trades  | trades               | in closing order, as oos_trades.csv        |
// | stitched metrics      | backtest_runs        | headline columns and `metrics` JSONB;      |
// |                       |                      | digest = the walk-forward digest           |
// | windows               | walk_forward_windows | window_index from 0; start and end are the |
// |                       |                      | first and last bar of each part, as in     |
// |                       |                      | windows.csv; best_parameters: every        |
// |                       |                      | parameter of the chosen combination (fixed |
// |                       |                      | and searched), {} when none had a score    |
//
// The orders and fills of the test runs are not kept by the walk-forward engine, so a stored
// walk-forward run has none.
#pragma once

#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/engine/param_grid.h"
#include "wyckoff/engine/walk_forward.h"

namespace wyckoff::db {

// The walk_forward_windows rows of `wf`, in window order. in_sample_metrics: score, net_profit,
// total_return, sharpe, sortino, max_drawdown, trades, steps (all null but steps when the
// window had no winner); out_of_sample_metrics: the same of the test run, and efficiency.
std::vector<WindowRecord> WindowRecords(const engine::WalkForwardResult& wf,
                                        const engine::ParamGrid& grid);

// The stitched out-of-sample result as the run's RunResult: trades, metrics, final cash and
// value (of the last equity point), clock steps and digest; no orders, fills or events.
engine::RunResult StitchedRun(const engine::WalkForwardResult& wf);

// Streams the stitched curve into `writer`, hands it the windows and completes the run
// (COMPLETED, `run.completed` with the number of windows). Errors: RunWriter::Complete's; the
// run is then still RUNNING: call Fail.
Result<void> CompleteWalkForward(RunWriter& writer, const engine::WalkForwardResult& wf,
                                 const engine::ParamGrid& grid);

}  // namespace wyckoff::db
