// The read queries of the store beyond bars and the audit log: pattern events, active signals
// and portfolio aggregates; and ExplainQuery, which shows the plan of each query shape.
//
//   auto springs = RecentPatterns(conn, "ORCL", "SPRING", now - 30 * kNanosPerDay);
//   auto signals = ActiveSignals(conn, "ORCL");
//   auto summary = GetPortfolioSummary(conn, run_id);   // total P&L, win rate, open positions
//   auto plan = ExplainQuery(conn, QueryShape::kRecentPatterns, {.symbol = "ORCL", ...});
//
// The query shapes and the index each one is meant to use (the integration tests check the
// plans on a loaded database, and benchmarks/ times them):
//
// | shape                | function            | index                                 |
// | -------------------- | ------------------- | ------------------------------------- |
// | kBarsInRange         | LoadBars            | bars_symbol_timeframe_time_key        |
// | kRecentPatterns      | RecentPatterns      | pattern_events_symbol_type_time_idx   |
// | kActiveSignals       | ActiveSignals       | signals_symbol_status_created_idx     |
// | kAuditByActorAction  | QueryAudit          | audit_log_actor_action_time_idx       |
// | kPortfolioSummary    | GetPortfolioSummary | trades_pkey and fills_pkey (by run)   |
// | kRunningRuns         | RunningRuns         | backtest_runs_running_idx (partial)   |
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/error.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db {

struct PatternEvent {
  std::int64_t id = 0;
  std::optional<std::int64_t> run_id;  // none for events of `wyckoff detect`
  std::string symbol;
  std::string timeframe;
  std::string type;  // "SPRING", "SOS", "LPS", "UTAD", ...
  Timestamp time = 0;
  std::string phase;  // empty when unknown
  Decimal price;
  std::optional<Decimal> range_low;
  std::optional<Decimal> range_high;
  std::optional<Decimal> confidence;
  std::string details_json;
};

struct Signal {
  std::int64_t id = 0;
  std::optional<std::int64_t> run_id;
  std::optional<std::int64_t> pattern_event_id;
  std::string symbol;
  std::string strategy;
  std::string side;    // "BUY" or "SELL"
  std::string status;  // "ACTIVE", "FILLED", "CANCELLED" or "EXPIRED"
  Timestamp created_at = 0;
  std::optional<Decimal> entry_price;
  std::optional<Decimal> stop_price;
  std::optional<Decimal> target_price;
  std::optional<Decimal> quantity;
  std::string details_json;
};

struct PortfolioSummary {
  Decimal total_pnl;   // sum of the closed trades' P&L (net of fees)
  Decimal total_fees;  // sum of the closed trades' fees
  std::int64_t trade_count = 0;
  std::int64_t winning_trades = 0;  // trades with P&L > 0
  Decimal win_rate;                 // winning_trades / trade_count, 12 places; 0 without trades
  std::int64_t open_positions = 0;  // symbols whose fills do not net to zero
};

// Pattern events of `symbol` and `type` at or after `since`, newest first, at most `limit`.
Result<std::vector<PatternEvent>> RecentPatterns(Connection& conn, std::string_view symbol,
                                                 std::string_view type, Timestamp since,
                                                 int limit = 1000);

// ACTIVE signals of `symbol`, newest first, at most `limit`.
Result<std::vector<Signal>> ActiveSignals(Connection& conn, std::string_view symbol,
                                          int limit = 100);

// The aggregates of one run's trades and fills, computed by SQL.
// Errors: kNotFound when there is no such run; kDatabase.
Result<PortfolioSummary> GetPortfolioSummary(Connection& conn, std::int64_t run_id);

enum class QueryShape {
  kBarsInRange,
  kRecentPatterns,
  kActiveSignals,
  kAuditByActorAction,
  kPortfolioSummary,
  kRunningRuns,
};

// The parameters of a query shape; each shape reads the fields its function takes.
struct QueryArgs {
  std::string symbol;
  std::string timeframe;                                   // kBarsInRange
  std::string type;                                        // kRecentPatterns
  std::string actor;                                       // kAuditByActorAction
  std::string action;                                      // kAuditByActorAction
  Timestamp from = std::numeric_limits<Timestamp>::min();  // kBarsInRange, and
                                                           // `since` of patterns and audit
  Timestamp to = std::numeric_limits<Timestamp>::max();    // kBarsInRange
  std::int64_t run_id = 0;                                 // kPortfolioSummary
  int limit = 100;
};

// The name of a shape, as in the table above: "kBarsInRange" -> "bars-in-range".
std::string_view QueryShapeName(QueryShape shape);

// The plan PostgreSQL chooses for the shape's query with these arguments: the text of
// EXPLAIN, or of EXPLAIN (ANALYZE, BUFFERS) when `analyze` (which runs the query).
Result<std::string> ExplainQuery(Connection& conn, QueryShape shape, const QueryArgs& args,
                                 bool analyze = false);

}  // namespace wyckoff::db
