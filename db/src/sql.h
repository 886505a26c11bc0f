// Private to db/src: the SQL of every query the store runs, in one place, so that the typed
// functions and ExplainQuery (whose plans the integration tests check) run the same text.
//
// Times travel as text: parameters as `YYYY-MM-DD HH:MM:SS.ffffff+00` (PgTimestamp), results
// as int8 microseconds since the epoch. NUMERIC results travel as their exact text.
#pragma once

#include <string>
#include <string_view>

namespace wyckoff::db::internal {

// $1 symbol, $2 timeframe, $3 from (inclusive), $4 to (exclusive).
inline constexpr std::string_view kBarsInRangeSql = R"sql(
SELECT (EXTRACT(EPOCH FROM time) * 1000000)::int8, open, high, low, close, volume
FROM bars
WHERE symbol = $1 AND timeframe = $2 AND time >= $3::timestamptz AND time < $4::timestamptz
ORDER BY time)sql";

// $1 symbol, $2 type, $3 since (inclusive), $4 limit.
inline constexpr std::string_view kRecentPatternsSql = R"sql(
SELECT id, run_id, symbol, timeframe, type, (EXTRACT(EPOCH FROM time) * 1000000)::int8,
       coalesce(phase, ''), price, range_low, range_high, confidence, details::text
FROM pattern_events
WHERE symbol = $1 AND type = $2 AND time >= $3::timestamptz
ORDER BY time DESC
LIMIT $4)sql";

// $1 symbol, $2 limit.
inline constexpr std::string_view kActiveSignalsSql = R"sql(
SELECT id, run_id, pattern_event_id, symbol, strategy, side, status,
       (EXTRACT(EPOCH FROM created_at) * 1000000)::int8, entry_price, stop_price, target_price,
       quantity, details::text
FROM signals
WHERE symbol = $1 AND status = 'ACTIVE'
ORDER BY created_at DESC
LIMIT $2)sql";

// $1 actor, $2 action, $3 since (inclusive), $4 limit.
inline constexpr std::string_view kAuditByActorActionSql = R"sql(
SELECT id, (EXTRACT(EPOCH FROM time) * 1000000)::int8, actor, action, entity_type, entity_id,
       payload::text
FROM audit_log
WHERE actor = $1 AND action = $2 AND time >= $3::timestamptz
ORDER BY time DESC
LIMIT $4)sql";

// $1 run id. Total P&L and fees and the win rate over the run's closed trades; open positions
// are the symbols whose fills do not net to zero.
inline constexpr std::string_view kPortfolioSummarySql = R"sql(
WITH closed AS (
  SELECT coalesce(sum(pnl), 0) AS total_pnl,
         coalesce(sum(fees), 0) AS total_fees,
         count(*) AS trade_count,
         count(*) FILTER (WHERE pnl > 0) AS winning_trades
  FROM trades
  WHERE run_id = $1
), open AS (
  SELECT count(*) AS open_positions
  FROM (SELECT symbol
        FROM fills
        WHERE run_id = $1
        GROUP BY symbol
        HAVING sum(CASE side WHEN 'BUY' THEN quantity ELSE -quantity END) <> 0) AS held
)
SELECT EXISTS (SELECT 1 FROM backtest_runs WHERE id = $1),
       closed.total_pnl, closed.total_fees, closed.trade_count, closed.winning_trades,
       CASE WHEN closed.trade_count = 0 THEN 0
            ELSE round(closed.winning_trades::numeric / closed.trade_count, 12) END,
       open.open_positions
FROM closed, open)sql";

// The columns of a RunSummary, for kRecentRunsSql and kRunningRunsSql. Metrics are rounded to
// Decimal's 12 places: ratios such as the Sharpe ratio may have been written with more.
inline constexpr std::string_view kRunColumnsSql = R"sql(
SELECT id, kind, status, strategy, array_to_json(symbols)::text, timeframe, data_source, actor,
       (EXTRACT(EPOCH FROM started_at) * 1000000)::int8,
       (EXTRACT(EPOCH FROM finished_at) * 1000000)::int8,
       round(net_pnl, 12), round(total_return, 12), round(max_drawdown, 12), round(sharpe, 12),
       round(win_rate, 12), trade_count, coalesce(digest, ''), coalesce(error_message, '')
FROM backtest_runs)sql";

// $1 limit. Newest first; served by backtest_runs_started_idx.
inline const std::string kRecentRunsSql =
    std::string(kRunColumnsSql) + "\nORDER BY started_at DESC, id DESC\nLIMIT $1";

// No parameters. Oldest first; served by the partial index backtest_runs_running_idx.
inline const std::string kRunningRunsSql =
    std::string(kRunColumnsSql) + "\nWHERE status = 'RUNNING'\nORDER BY started_at";

// $1 run id. A RunSummary's columns, then the parameters, settings, initial cash and final
// equity (GetRun).
inline const std::string kRunByIdSql =
    "SELECT summary.*, run.parameters::text, run.settings::text, run.initial_cash, "
    "run.final_equity\nFROM (" +
    std::string(kRunColumnsSql) +
    "\nWHERE id = $1) AS summary\nJOIN backtest_runs AS run ON run.id = summary.id";

// $1 run id. The run's trades in the order they closed.
inline constexpr std::string_view kRunTradesSql = R"sql(
SELECT trade_id, symbol, side, (EXTRACT(EPOCH FROM entry_time) * 1000000)::int8,
       (EXTRACT(EPOCH FROM exit_time) * 1000000)::int8, entry_price, exit_price, quantity, pnl,
       fees, bars_held, r_multiple, tag
FROM trades
WHERE run_id = $1
ORDER BY trade_id)sql";

}  // namespace wyckoff::db::internal
