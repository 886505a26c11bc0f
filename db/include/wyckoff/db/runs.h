// Backtest runs in PostgreSQL: their lifecycle (RUNNING, then COMPLETED or FAILED) and the
// listing behind `wyckoff db runs`.
//
//   Result<std::int64_t> id = CreateRun(conn, {.strategy = "sma-cross", .symbols = {"ORCL"},
//                                              .timeframe = "1d",
//                                              .parameters_json = R"({"fast": 10})",
//                                              .actor = "alice"});
//   ... the backtest runs ...
//   if (failed) FailRun(conn, *id, "database went away", "alice");
//   Result<std::vector<RunSummary>> recent = RecentRuns(conn, 20);
//
// Every transition writes its audit entry (`run.created`, `run.failed`) in the same
// transaction. Completing a run stores its results (trades, fills, orders, equity points,
// pattern events) with COPY in the transaction that marks it COMPLETED, so a run's results
// appear all at once or not at all: see RunWriter in run_store.h.
//
// The session that creates a run holds a session-level advisory lock on it until the session
// ends (or the run is completed or failed through RunWriter), which is how FailAbandonedRuns
// (run_store.h) tells a run in flight from one whose process died.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/error.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db {

struct RunSpec {
  std::string kind = "backtest";  // "backtest" or "walk-forward"
  std::string strategy;           // "sma-cross", "wyckoff"
  std::vector<std::string> symbols;
  std::string timeframe;               // "1d", "5m"
  std::string data_source;             // where the bars came from: files or postgresql:SYM:TF
  std::string parameters_json = "{}";  // the strategy's parameters, a JSON object
  std::string settings_json = "{}";    // the run's other settings (cash, models), a JSON object
  std::string actor;                   // empty: OsUser()
};

struct RunSummary {
  std::int64_t id = 0;
  std::string kind;
  std::string status;  // "RUNNING", "COMPLETED" or "FAILED"
  std::string strategy;
  std::vector<std::string> symbols;
  std::string timeframe;
  std::string data_source;
  std::string actor;
  Timestamp started_at = 0;
  std::optional<Timestamp> finished_at;  // none while RUNNING
  // Headline metrics: set when COMPLETED, none otherwise.
  std::optional<Decimal> net_pnl;
  std::optional<Decimal> total_return;
  std::optional<Decimal> max_drawdown;
  std::optional<Decimal> sharpe;
  std::optional<Decimal> win_rate;
  std::optional<std::int64_t> trade_count;
  std::string digest;         // empty until COMPLETED
  std::string error_message;  // why it FAILED; empty otherwise
};

// Records a new RUNNING run and its `run.created` audit entry; returns the run's id. This
// session holds the run's advisory lock from then on.
// Errors: kInvalidArgument for an empty strategy, symbol list or timeframe, or a kind other
// than backtest / walk-forward; kDatabase when parameters_json or settings_json is not JSON or
// the database refuses.
Result<std::int64_t> CreateRun(Connection& conn, const RunSpec& spec);

// Marks a RUNNING run FAILED with `reason`, and writes its `run.failed` audit entry.
// Errors: kNotFound when there is no such run; kInvalidArgument when it is not RUNNING
// (`run 7 is COMPLETED, not RUNNING`); kDatabase.
Result<void> FailRun(Connection& conn, std::int64_t run_id, std::string_view reason,
                     std::string_view actor);

// One stored run with what `wyckoff db show` prints beside its summary.
struct StoredRun {
  RunSummary summary;
  std::string parameters_json;  // the strategy's parameters, a JSON object
  std::string settings_json;    // the run's other settings, a JSON object
  // Set when COMPLETED.
  std::optional<Decimal> initial_cash;
  std::optional<Decimal> final_equity;
};

// One closed round trip of a stored run, as trades.csv has it.
struct StoredTrade {
  std::int64_t trade_id = 0;
  std::string symbol;
  std::string side;  // "LONG" or "SHORT"
  Timestamp entry_time = 0, exit_time = 0;
  Decimal entry_price, exit_price, quantity;
  Decimal pnl, fees;  // pnl net of fees
  std::int64_t bars_held = 0;
  std::optional<Decimal> r_multiple;  // none when the entry had no stop
  std::string tag;                    // the pattern that opened it (SPRING_TEST, ...), or ""
};

// The run `run_id` (`wyckoff db show`). Errors: kNotFound (`there is no run 7`); kDatabase.
Result<StoredRun> GetRun(Connection& conn, std::int64_t run_id);

// The trades of run `run_id` in the order they closed (empty for a run without trades, or no
// such run). Errors: kDatabase.
Result<std::vector<StoredTrade>> RunTrades(Connection& conn, std::int64_t run_id);

// The `limit` most recently started runs, newest first (`wyckoff db runs`).
Result<std::vector<RunSummary>> RecentRuns(Connection& conn, int limit = 20);

// The runs still RUNNING, oldest first: in-flight runs, or runs whose process died. Served by
// the partial index backtest_runs_running_idx.
Result<std::vector<RunSummary>> RunningRuns(Connection& conn);

}  // namespace wyckoff::db
