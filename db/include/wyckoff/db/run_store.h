// The run store: a backtest's results written to PostgreSQL so that they appear whole or not
// at all.
//
//   Result<std::unique_ptr<RunWriter>> writer =
//       RunWriter::Start(conn, spec, {.reconnect_url = url, .actor = "alice"});
//   Result<RunResult> run = engine.Run(sources, writer->get());   // equity streams by COPY
//   if (!run) { (*writer)->Fail(run.error().message); return ...; }
//   if (auto ok = (*writer)->Complete(*run); !ok) { (*writer)->Fail(ok.error().message); ... }
//
// A walk-forward run goes through the same writer (walk_forward_store.h): its stitched
// out-of-sample curve and trades are the run's equity and trades, and its windows, given to
// AddWindows, go into walk_forward_windows in the transaction that completes the run.
//
// Start records the run as RUNNING (its own committed transaction, with the `run.created`
// audit entry) and opens the results transaction. The engine streams the equity curve into it
// through the EquitySink interface with COPY, point by point, so memory does not grow with the
// number of bars. Complete COPYs the orders, fills, trades, pattern events and signals into
// the same transaction, marks the run COMPLETED with its headline metrics, digest and
// `run.completed` audit entry, and commits: until that commit no result row is visible, and if
// anything fails before it (an error, a killed connection, a crash) none ever is.
//
// A run whose results failed is marked FAILED, with the reason and a `run.failed` audit entry:
// by Fail (on the run's own session, or on a new one when that session is gone), or, when the
// process died or the server was unreachable, by the next FailAbandonedRuns. A run's session
// holds a session-level advisory lock on the run from its creation (CreateRun takes it), so
// FailAbandonedRuns tells a run in flight from one whose session ended.
//
// What goes where:
// | RunResult        | table            | notes                                                   |
// | ---------------- | ---------------- | ------------------------------------------------------- |
// | equity curve     | equity_points    | streamed during the run                                 |
// | orders           | orders           | WORKING becomes OPEN, or PARTIALLY_FILLED once filled   |
// | fills            | fills            | fill_id counts from 1; slippage NULL (part of price)   |
// | trades           | trades           | trade_id counts from 1 in closing order; side LONG/SHORT|
// | events           | pattern_events   | time = pattern_time; price = level; details as JSONB;   |
// |                  |                  | phase from detail phase_after; range from support and   |
// |                  |                  | resistance                                              |
// | events with a    | signals          | side BUY for LONG, SELL for SHORT; status from the      |
// | `signal` detail  |                  | `status` detail: TRADED/EXIT.. -> FILLED, SKIPPED.. ->  |
// | LONG or SHORT    |                  | CANCELLED, empty -> EXPIRED; entry, stop, target from   |
// |                  |                  | the details; created_at = confirm_time                  |
// | metrics          | backtest_runs    | headline columns, and every metric in `metrics` JSONB   |
//
// Every decimal is written as Decimal's exact text into NUMERIC; statistics that the engine
// keeps as doubles (Sharpe, returns) as their shortest round-trip text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/db/connection.h"
#include "wyckoff/db/runs.h"
#include "wyckoff/engine/backtest_engine.h"

namespace wyckoff::db {

// One row of walk_forward_windows: a window's dates (its first and last bar of each part) and
// JSON objects of its chosen parameters and in-sample and out-of-sample metrics.
struct WindowRecord {
  int index = 0;  // from 0
  Timestamp in_sample_start = 0, in_sample_end = 0;
  Timestamp out_of_sample_start = 0, out_of_sample_end = 0;
  std::string best_parameters_json = "{}";
  std::string in_sample_metrics_json = "{}";
  std::string out_of_sample_metrics_json = "{}";
};

struct RunWriterOptions {
  // Where Fail opens a new session when the run's own is gone: a libpq URL ("" = the PG*
  // environment variables) and its options. When `reconnect` is false Fail only uses the run's
  // session.
  bool reconnect = true;
  std::string reconnect_url;
  ConnectOptions reconnect_options;
  // Recorded in the audit log by Complete and Fail; empty: RunSpec::actor, then OsUser().
  std::string actor;
  // Called before each step of Complete, with the step's name: "equity" (ending the equity
  // COPY), "orders", "fills", "trades", "events", "commit". For tests that break the
  // connection between COPY batches; may be empty. Runs with windows (AddWindows) have a
  // "windows" step before "commit".
  std::function<void(std::string_view step)> before_step;
};

// Writes one run's results. Not copyable or movable (the engine holds it as its EquitySink);
// used by one thread. The Connection must outlive it and is busy with the results transaction
// from Start until Complete or Fail returns.
class RunWriter final : public engine::EquitySink {
 public:
  ~RunWriter() override;
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Creates the RUNNING run (CreateRun) and opens its results transaction.
  // Errors: those of CreateRun; kDatabase when the results transaction cannot start.
  static Result<std::unique_ptr<RunWriter>> Start(Connection& conn, const RunSpec& spec,
                                                  RunWriterOptions options = {});

  std::int64_t run_id() const;
  // The process id of the run's server session (pg_stat_activity.pid), for monitoring.
  int backend_pid() const;

  // EquitySink: opens the equity COPY, then streams one row per point. A failure (the
  // connection broke) is kept, later points are dropped, and Complete reports it.
  void OnStart(bool intraday) override;
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override;

  // Writes the results of `run` (which must be the run the equity came from), marks the run
  // COMPLETED and commits. Called at most once.
  // Errors (nothing of the results is stored then, and the run is still RUNNING: call Fail):
  //   kDatabase  the connection broke or the database refused (the server's message), or an
  //              equity point failed earlier (its message)
  //   kInvalidArgument  an event or trade names a symbol index outside run.symbols
  Result<void> Complete(const engine::RunResult& run);

  // Walk-forward runs: the windows Complete stores in walk_forward_windows, in its transaction
  // (replacing those given before). Call before Complete.
  void AddWindows(std::vector<WindowRecord> windows);

  // Abandons the results transaction (if still open) and marks the run FAILED with `reason`
  // and a `run.failed` audit entry: on the run's session when it still works, else on a new
  // session (RunWriterOptions::reconnect_url). Does nothing after a successful Complete.
  // Errors: kDatabase when no session could mark it (the run stays RUNNING until
  // FailAbandonedRuns finds it); FailRun's errors.
  Result<void> Fail(std::string_view reason);

  struct State;  // private; defined in run_store.cc

 private:
  explicit RunWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The reason FailAbandonedRuns records.
inline constexpr std::string_view kAbandonedRunReason =
    "the run's database session ended before its results were stored";

// Marks FAILED (reason kAbandonedRunReason, `run.failed` audit entry by `actor`, "" for
// OsUser()) every RUNNING run whose creating session has ended: crashed processes, killed
// connections, runs whose Fail could not reach the server. Runs in flight are left alone.
// Returns the ids marked, oldest first. Errors: kDatabase.
Result<std::vector<std::int64_t>> FailAbandonedRuns(Connection& conn, std::string_view actor);

}  // namespace wyckoff::db
