#include "wyckoff/db/queries.h"

#include <string>
#include <vector>

#include "connection_impl.h"
#include "fields.h"
#include "pg_time.h"
#include "sql.h"

namespace wyckoff::db {
namespace {

// A shape's SQL and its parameters as text, in $1, $2, ... order.
struct BoundQuery {
  std::string sql;
  std::vector<std::string> params;
};

BoundQuery Bind(QueryShape shape, const QueryArgs& a) {
  using internal::PgTimestamp;
  const std::string limit = std::to_string(a.limit);
  switch (shape) {
    case QueryShape::kBarsInRange:
      return {std::string(internal::kBarsInRangeSql),
              {a.symbol, a.timeframe, PgTimestamp(a.from), PgTimestamp(a.to)}};
    case QueryShape::kRecentPatterns:
      return {std::string(internal::kRecentPatternsSql),
              {a.symbol, a.type, PgTimestamp(a.from), limit}};
    case QueryShape::kActiveSignals:
      return {std::string(internal::kActiveSignalsSql), {a.symbol, limit}};
    case QueryShape::kAuditByActorAction:
      return {std::string(internal::kAuditByActorActionSql),
              {a.actor, a.action, PgTimestamp(a.from), limit}};
    case QueryShape::kPortfolioSummary:
      return {std::string(internal::kPortfolioSummarySql), {std::to_string(a.run_id)}};
    case QueryShape::kRunningRuns:
      return {internal::kRunningRunsSql, {}};
  }
  WYCKOFF_CHECK(false, "unknown QueryShape");
  return {};
}

pqxx::result Run(pqxx::transaction_base& txn, const BoundQuery& q) {
  return txn.exec_params(q.sql, pqxx::prepare::make_dynamic_params(q.params));
}

PatternEvent PatternOf(const pqxx::row& row) {
  return PatternEvent{
      .id = row[0].as<std::int64_t>(),
      .run_id = internal::OptionalOf<std::int64_t>(row[1]),
      .symbol = row[2].as<std::string>(),
      .timeframe = row[3].as<std::string>(),
      .type = row[4].as<std::string>(),
      .time = internal::TimeOf(row[5]),
      .phase = row[6].as<std::string>(),
      .price = internal::DecimalOf(row[7], "price"),
      .range_low = internal::OptionalDecimalOf(row[8], "range_low"),
      .range_high = internal::OptionalDecimalOf(row[9], "range_high"),
      .confidence = internal::OptionalDecimalOf(row[10], "confidence"),
      .details_json = row[11].as<std::string>(),
  };
}

Signal SignalOf(const pqxx::row& row) {
  return Signal{
      .id = row[0].as<std::int64_t>(),
      .run_id = internal::OptionalOf<std::int64_t>(row[1]),
      .pattern_event_id = internal::OptionalOf<std::int64_t>(row[2]),
      .symbol = row[3].as<std::string>(),
      .strategy = row[4].as<std::string>(),
      .side = row[5].as<std::string>(),
      .status = row[6].as<std::string>(),
      .created_at = internal::TimeOf(row[7]),
      .entry_price = internal::OptionalDecimalOf(row[8], "entry_price"),
      .stop_price = internal::OptionalDecimalOf(row[9], "stop_price"),
      .target_price = internal::OptionalDecimalOf(row[10], "target_price"),
      .quantity = internal::OptionalDecimalOf(row[11], "quantity"),
      .details_json = row[12].as<std::string>(),
  };
}

}  // namespace

Result<std::vector<PatternEvent>> RecentPatterns(Connection& conn, std::string_view symbol,
                                                 std::string_view type, Timestamp since,
                                                 int limit) {
  const QueryArgs args{
      .symbol = std::string(symbol), .type = std::string(type), .from = since, .limit = limit};
  return internal::Guarded(
      "reading " + args.type + " patterns of " + args.symbol,
      [&]() -> Result<std::vector<PatternEvent>> {
        pqxx::read_transaction txn(internal::Pqxx(conn));
        std::vector<PatternEvent> events;
        for (const auto& row : Run(txn, Bind(QueryShape::kRecentPatterns, args))) {
          events.push_back(PatternOf(row));
        }
        return events;
      });
}

Result<std::vector<Signal>> ActiveSignals(Connection& conn, std::string_view symbol, int limit) {
  const QueryArgs args{.symbol = std::string(symbol), .limit = limit};
  return internal::Guarded(
      "reading active signals of " + args.symbol, [&]() -> Result<std::vector<Signal>> {
        pqxx::read_transaction txn(internal::Pqxx(conn));
        std::vector<Signal> signals;
        for (const auto& row : Run(txn, Bind(QueryShape::kActiveSignals, args))) {
          signals.push_back(SignalOf(row));
        }
        return signals;
      });
}

Result<PortfolioSummary> GetPortfolioSummary(Connection& conn, std::int64_t run_id) {
  const std::string run = "run " + std::to_string(run_id);
  return internal::Guarded(
      "summarising the portfolio of " + run, [&]() -> Result<PortfolioSummary> {
        pqxx::read_transaction txn(internal::Pqxx(conn));
        const pqxx::result rows = Run(txn, Bind(QueryShape::kPortfolioSummary, {.run_id = run_id}));
        const pqxx::row row = rows.at(0);
        if (!row[0].as<bool>()) {
          return Fail(ErrorCode::kNotFound, "there is no " + run);
        }
        return PortfolioSummary{
            .total_pnl = internal::DecimalOf(row[1], "total P&L"),
            .total_fees = internal::DecimalOf(row[2], "total fees"),
            .trade_count = row[3].as<std::int64_t>(),
            .winning_trades = row[4].as<std::int64_t>(),
            .win_rate = internal::DecimalOf(row[5], "win rate"),
            .open_positions = row[6].as<std::int64_t>(),
        };
      });
}

std::string_view QueryShapeName(QueryShape shape) {
  switch (shape) {
    case QueryShape::kBarsInRange:
      return "bars-in-range";
    case QueryShape::kRecentPatterns:
      return "recent-patterns";
    case QueryShape::kActiveSignals:
      return "active-signals";
    case QueryShape::kAuditByActorAction:
      return "audit-by-actor-action";
    case QueryShape::kPortfolioSummary:
      return "portfolio-summary";
    case QueryShape::kRunningRuns:
      return "running-runs";
  }
  return "unknown";
}

Result<std::string> ExplainQuery(Connection& conn, QueryShape shape, const QueryArgs& args,
                                 bool analyze) {
  return internal::Guarded("explaining the " + std::string(QueryShapeName(shape)) + " query",
                           [&]() -> Result<std::string> {
                             BoundQuery q = Bind(shape, args);
                             q.sql = (analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ") + q.sql;
                             pqxx::read_transaction txn(internal::Pqxx(conn));
                             std::string plan;
                             for (const auto& row : Run(txn, q)) {
                               plan += row[0].as<std::string>() + "\n";
                             }
                             return plan;
                           });
}

}  // namespace wyckoff::db
