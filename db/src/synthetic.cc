#include "wyckoff/db/synthetic.h"

#include <cstdio>
#include <string>

#include "connection_impl.h"

namespace wyckoff::db {
namespace {

// $1 symbols, $2 bars per symbol. Prices are exact numerics between 49 and 125.
constexpr const char* kBarsSql = R"sql(
INSERT INTO bars (symbol, timeframe, time, open, high, low, close, volume)
SELECT 'SYN' || lpad(s::text, 3, '0'), '1d',
       timestamptz '1990-01-01 00:00:00+00' + d * interval '1 day',
       p, p + 1, p - 1, p + 0.5, 1000 + d
FROM generate_series(0, $1::int - 1) AS s,
     generate_series(0, $2::int - 1) AS d,
     LATERAL (SELECT 50 + s + (d % 97) * 0.25 AS p) AS price)sql";

// $1 symbols, $2 events.
constexpr const char* kPatternsSql = R"sql(
INSERT INTO pattern_events (symbol, timeframe, type, time, phase, price, range_low, range_high,
                            confidence)
SELECT 'SYN' || lpad((i % $1::int)::text, 3, '0'), '1d',
       (ARRAY['SPRING', 'SOS', 'LPS', 'UTAD', 'SC'])[1 + (i / $1::int) % 5],
       now() - (i * 7 % 730) * interval '1 day' - (i % 1440) * interval '1 minute',
       'C', 50 + (i % 100) * 0.5, 45, 60, 0.75
FROM generate_series(0, $2::int - 1) AS i)sql";

// $1 symbols, $2 signals.
constexpr const char* kSignalsSql = R"sql(
INSERT INTO signals (symbol, strategy, side, status, created_at, entry_price, stop_price,
                     target_price, quantity)
SELECT 'SYN' || lpad((i % $1::int)::text, 3, '0'), 'wyckoff',
       CASE WHEN i % 2 = 0 THEN 'BUY' ELSE 'SELL' END,
       CASE WHEN (i / $1::int) % 20 = 0 THEN 'ACTIVE'
            WHEN (i / $1::int) % 20 < 12 THEN 'FILLED'
            WHEN (i / $1::int) % 20 < 17 THEN 'CANCELLED'
            ELSE 'EXPIRED' END,
       now() - (i * 7 % 365) * interval '1 day' - (i % 997) * interval '1 second',
       50, 48, 56, 100
FROM generate_series(0, $2::int - 1) AS i)sql";

// $1 entries.
constexpr const char* kAuditSql = R"sql(
INSERT INTO audit_log (time, actor, action, entity_type, entity_id, payload)
SELECT now() - (i * 7 % 365) * interval '1 day' - (i % 86400) * interval '1 second',
       'actor-' || lpad((i % 20)::text, 2, '0'),
       (ARRAY['run.created', 'run.completed', 'run.failed', 'bars.imported',
              'migration.applied'])[1 + (i / 20) % 5],
       'run', (i / 100)::text, jsonb_build_object('synthetic', true)
FROM generate_series(0, $1::int - 1) AS i)sql";

// $1 symbols, $2 runs, $3 trades per run.
constexpr const char* kRunsSql = R"sql(
INSERT INTO backtest_runs (strategy, symbols, timeframe, actor, status, started_at, finished_at,
                           initial_cash, trade_count)
SELECT 'sma-cross', ARRAY['SYN' || lpad((r % $1::int)::text, 3, '0')], '1d', 'synthetic',
       CASE WHEN r % 500 = 0 THEN 'RUNNING' ELSE 'COMPLETED' END,
       now() - r * interval '1 hour',
       CASE WHEN r % 500 = 0 THEN NULL ELSE now() - r * interval '1 hour' + interval '1 minute' END,
       100000, $3::int
FROM generate_series(1, $2::int) AS r)sql";

// $1 trades per run. Order 2k enters trade k, order 2k+1 exits it; the last trade of every
// third run stays open (its exit order is OPEN and has no fill).
constexpr const char* kOrdersSql = R"sql(
INSERT INTO orders (run_id, order_id, symbol, side, type, quantity, created_time, status,
                    filled_quantity)
SELECT r.id, 2 * k + leg, r.symbols[1], CASE leg WHEN 0 THEN 'BUY' ELSE 'SELL' END, 'MARKET',
       100, r.started_at + (2 * k + leg) * interval '1 day',
       CASE WHEN leg = 1 AND k = $1::int - 1 AND r.id % 3 = 0 THEN 'OPEN' ELSE 'FILLED' END,
       CASE WHEN leg = 1 AND k = $1::int - 1 AND r.id % 3 = 0 THEN 0 ELSE 100 END
FROM backtest_runs AS r, generate_series(0, $1::int - 1) AS k, generate_series(0, 1) AS leg)sql";

constexpr const char* kFillsSql = R"sql(
INSERT INTO fills (run_id, fill_id, order_id, symbol, side, time, price, quantity, commission)
SELECT run_id, order_id, order_id, symbol, side, created_time + interval '1 day',
       50 + (order_id % 10) * 0.5, quantity, 1
FROM orders
WHERE status = 'FILLED')sql";

// Winning, flat and losing trades in turn.
constexpr const char* kTradesSql = R"sql(
INSERT INTO trades (run_id, trade_id, symbol, entry_time, exit_time, entry_price, exit_price,
                    quantity, pnl, fees, bars_held, r_multiple)
SELECT entry.run_id, entry.order_id / 2, entry.symbol, entry.time, exit.time, entry.price,
       exit.price, entry.quantity, (entry.order_id / 2 % 3 - 1) * 25.5, 2, 5,
       (entry.order_id / 2 % 3 - 1) * 0.5
FROM fills AS entry
JOIN fills AS exit ON exit.run_id = entry.run_id AND exit.order_id = entry.order_id + 1
WHERE entry.side = 'BUY')sql";

Result<void> ValidateSpec(const SyntheticDataSpec& s) {
  for (int n : {s.symbols, s.bars_per_symbol, s.pattern_events, s.signals, s.audit_entries, s.runs,
                s.trades_per_run}) {
    if (n < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "synthetic data counts must not be negative (got " + std::to_string(n) + ")");
    }
  }
  if (s.symbols < 1 || s.symbols > 1000) {
    return Fail(ErrorCode::kInvalidArgument,
                "synthetic data needs 1 to 1000 symbols (got " + std::to_string(s.symbols) + ")");
  }
  return {};
}

}  // namespace

std::string SyntheticSymbol(int index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "SYN%03d", index);
  return buf;
}

Result<void> SeedSyntheticData(Connection& conn, const SyntheticDataSpec& spec) {
  if (auto ok = ValidateSpec(spec); !ok) return ok;
  return internal::Guarded("loading synthetic data", [&]() -> Result<void> {
    pqxx::connection& c = internal::Pqxx(conn);
    {
      pqxx::work txn(c);
      const bool has_data =
          txn.exec1(
                 "SELECT EXISTS (SELECT 1 FROM bars) OR EXISTS (SELECT 1 FROM backtest_runs) "
                 "OR EXISTS (SELECT 1 FROM pattern_events) OR EXISTS (SELECT 1 FROM signals)")[0]
              .as<bool>();
      if (has_data) {
        return Fail(ErrorCode::kDatabase,
                    "refusing to load synthetic data into " + conn.description() +
                        ", which already holds bars, runs, pattern events or signals");
      }
      txn.exec_params(kBarsSql, spec.symbols, spec.bars_per_symbol);
      txn.exec_params(kPatternsSql, spec.symbols, spec.pattern_events);
      txn.exec_params(kSignalsSql, spec.symbols, spec.signals);
      txn.exec_params(kAuditSql, spec.audit_entries);
      txn.exec_params(kRunsSql, spec.symbols, spec.runs, spec.trades_per_run);
      txn.exec_params(kOrdersSql, spec.trades_per_run);
      txn.exec(kFillsSql);
      txn.exec(kTradesSql);
      txn.commit();
    }
    pqxx::nontransaction txn(c);
    txn.exec("ANALYZE");
    return {};
  });
}

}  // namespace wyckoff::db
