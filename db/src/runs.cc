#include "wyckoff/db/runs.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit_internal.h"
#include "connection_impl.h"
#include "fields.h"
#include "run_lock.h"
#include "sql.h"

namespace wyckoff::db {
namespace {

Result<void> ValidateSpec(const RunSpec& spec) {
  if (spec.kind != "backtest" && spec.kind != "walk-forward") {
    return Fail(ErrorCode::kInvalidArgument,
                "run kind \"" + spec.kind + "\" is neither backtest nor walk-forward");
  }
  if (spec.strategy.empty() || spec.symbols.empty() || spec.timeframe.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a run needs a strategy, at least one symbol and a timeframe (strategy \"" +
                    spec.strategy + "\", " + std::to_string(spec.symbols.size()) +
                    " symbols, timeframe \"" + spec.timeframe + "\")");
  }
  return {};
}

// A text[] parameter, as a JSON array turned into text[] by SQL: no array quoting rules here.
std::string SymbolsJson(const std::vector<std::string>& symbols) {
  return nlohmann::json(symbols).dump();
}

RunSummary RunOf(const pqxx::row& row) {
  RunSummary run;
  run.id = row[0].as<std::int64_t>();
  run.kind = row[1].as<std::string>();
  run.status = row[2].as<std::string>();
  run.strategy = row[3].as<std::string>();
  run.symbols = nlohmann::json::parse(row[4].c_str()).get<std::vector<std::string>>();
  run.timeframe = row[5].as<std::string>();
  run.data_source = row[6].as<std::string>();
  run.actor = row[7].as<std::string>();
  run.started_at = internal::TimeOf(row[8]);
  run.finished_at = internal::OptionalTimeOf(row[9]);
  run.net_pnl = internal::OptionalDecimalOf(row[10], "net_pnl");
  run.total_return = internal::OptionalDecimalOf(row[11], "total_return");
  run.max_drawdown = internal::OptionalDecimalOf(row[12], "max_drawdown");
  run.sharpe = internal::OptionalDecimalOf(row[13], "sharpe");
  run.win_rate = internal::OptionalDecimalOf(row[14], "win_rate");
  run.trade_count = internal::OptionalOf<std::int64_t>(row[15]);
  run.digest = row[16].as<std::string>();
  run.error_message = row[17].as<std::string>();
  return run;
}

Result<std::vector<RunSummary>> ReadRuns(Connection& conn, const std::string& sql,
                                         std::optional<int> limit) {
  return internal::Guarded("listing runs", [&]() -> Result<std::vector<RunSummary>> {
    pqxx::read_transaction txn(internal::Pqxx(conn));
    const pqxx::result rows = limit ? txn.exec_params(sql, *limit) : txn.exec(sql);
    std::vector<RunSummary> runs;
    runs.reserve(rows.size());
    for (const auto& row : rows) runs.push_back(RunOf(row));
    return runs;
  });
}

}  // namespace

Result<std::int64_t> CreateRun(Connection& conn, const RunSpec& spec) {
  if (auto ok = ValidateSpec(spec); !ok) return tl::unexpected(ok.error());
  const std::string actor = internal::ActorOrOsUser(spec.actor);
  return internal::Guarded("creating a run", [&]() -> Result<std::int64_t> {
    pqxx::work txn(internal::Pqxx(conn));
    // The audit payload is the stored run, built by the database from what it accepted.
    const pqxx::row row = txn.exec_params1(
        "INSERT INTO backtest_runs (kind, strategy, symbols, timeframe, data_source, "
        "parameters, settings, actor) "
        "SELECT $1, $2, array(SELECT jsonb_array_elements_text($3::jsonb)), $4, $5, $6::jsonb, "
        "$7::jsonb, $8 "
        "RETURNING id, jsonb_build_object('kind', kind, 'strategy', strategy, 'symbols', "
        "to_jsonb(symbols), 'timeframe', timeframe, 'data_source', data_source, 'parameters', "
        "parameters, 'settings', settings)::text",
        spec.kind, spec.strategy, SymbolsJson(spec.symbols), spec.timeframe, spec.data_source,
        spec.parameters_json, spec.settings_json, actor);
    const auto id = row[0].as<std::int64_t>();
    const auto payload = row[1].as<std::string>();
    // Held by this session until the run ends (run_lock.h); taken before the row is visible.
    txn.exec_params(std::string(internal::kLockRunSql), id);
    internal::AppendAuditIn(txn, AuditRecord{actor, std::string(kActionRunCreated), "run",
                                             std::to_string(id), payload});
    txn.commit();
    return id;
  });
}

Result<void> FailRun(Connection& conn, std::int64_t run_id, std::string_view reason,
                     std::string_view actor) {
  const std::string who = internal::ActorOrOsUser(actor);
  const std::string run = "run " + std::to_string(run_id);
  return internal::Guarded("marking " + run + " FAILED", [&]() -> Result<void> {
    pqxx::work txn(internal::Pqxx(conn));
    const pqxx::result status =
        txn.exec_params("SELECT status FROM backtest_runs WHERE id = $1 FOR UPDATE", run_id);
    if (status.empty()) return Fail(ErrorCode::kNotFound, "there is no " + run);
    const auto current = status[0][0].as<std::string>();
    if (current != "RUNNING") {
      return Fail(ErrorCode::kInvalidArgument, run + " is " + current + ", not RUNNING");
    }
    txn.exec_params(
        "UPDATE backtest_runs SET status = 'FAILED', finished_at = now(), error_message = $2 "
        "WHERE id = $1",
        run_id, std::string(reason));
    internal::AppendAuditIn(
        txn, AuditRecord{who, std::string(kActionRunFailed), "run", std::to_string(run_id),
                         nlohmann::json{{"reason", reason}}.dump()});
    txn.commit();
    return {};
  });
}

Result<StoredRun> GetRun(Connection& conn, std::int64_t run_id) {
  return internal::Guarded("reading run " + std::to_string(run_id), [&]() -> Result<StoredRun> {
    pqxx::read_transaction txn(internal::Pqxx(conn));
    const pqxx::result rows = txn.exec_params(internal::kRunByIdSql, run_id);
    if (rows.empty())
      return Fail(ErrorCode::kNotFound, "there is no run " + std::to_string(run_id));
    const pqxx::row& row = rows[0];
    StoredRun run{.summary = RunOf(row),
                  .parameters_json = row[18].as<std::string>(),
                  .settings_json = row[19].as<std::string>(),
                  .initial_cash = internal::OptionalDecimalOf(row[20], "initial_cash"),
                  .final_equity = internal::OptionalDecimalOf(row[21], "final_equity")};
    return run;
  });
}

Result<std::vector<StoredTrade>> RunTrades(Connection& conn, std::int64_t run_id) {
  return internal::Guarded(
      "reading the trades of run " + std::to_string(run_id),
      [&]() -> Result<std::vector<StoredTrade>> {
        pqxx::read_transaction txn(internal::Pqxx(conn));
        const pqxx::result rows = txn.exec_params(std::string(internal::kRunTradesSql), run_id);
        std::vector<StoredTrade> trades;
        trades.reserve(rows.size());
        for (const auto& row : rows) {
          trades.push_back({.trade_id = row[0].as<std::int64_t>(),
                            .symbol = row[1].as<std::string>(),
                            .side = row[2].as<std::string>(),
                            .entry_time = internal::TimeOf(row[3]),
                            .exit_time = internal::TimeOf(row[4]),
                            .entry_price = internal::DecimalOf(row[5], "entry_price"),
                            .exit_price = internal::DecimalOf(row[6], "exit_price"),
                            .quantity = internal::DecimalOf(row[7], "quantity"),
                            .pnl = internal::DecimalOf(row[8], "pnl"),
                            .fees = internal::DecimalOf(row[9], "fees"),
                            .bars_held = row[10].as<std::int64_t>(),
                            .r_multiple = internal::OptionalDecimalOf(row[11], "r_multiple"),
                            .tag = row[12].as<std::string>()});
        }
        return trades;
      });
}

Result<std::vector<RunSummary>> RecentRuns(Connection& conn, int limit) {
  return ReadRuns(conn, internal::kRecentRunsSql, limit);
}

Result<std::vector<RunSummary>> RunningRuns(Connection& conn) {
  return ReadRuns(conn, internal::kRunningRunsSql, std::nullopt);
}

}  // namespace wyckoff::db
