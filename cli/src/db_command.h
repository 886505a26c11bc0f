// The database side of the CLI: `wyckoff db migrate|status|import|runs` (registered in
// db_cli.cc), and what `wyckoff backtest` needs for `--data postgresql:SYMBOL:TIMEFRAME` and
// `--db URL` (BacktestDatabase). No CLI11 here, and no libpqxx: everything goes through
// wyckoff::db.
//
// Every command connects to `--db URL`, or to the server of the libpq environment variables
// (PGHOST, PGDATABASE, ...) when --db is absent, and returns the exit code: 0 success, 1 the
// database failed or refused, 2 bad input (a malformed URL, a bad file or flag).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wyckoff/db/connection.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"

namespace wyckoff::cli {

// Flags every db subcommand shares.
struct DbOptions {
  std::string url;    // --db; empty: the PG* environment variables
  std::string actor;  // --actor; empty: the operating-system user
};

struct DbMigrateOptions {
  DbOptions db;
  std::string migrations;  // --migrations DIR; empty: db::DefaultMigrationsDir()
};

struct DbImportOptions {
  DbOptions db;
  std::string data;       // the CSV file
  std::string symbol;     // default: the file name's stem
  std::string timeframe;  // "1d", "5m", ...
  bool replace = false;   // overwrite bars already stored
  std::string on_bad_row = "stop";
  bool allow_nonpositive_prices = false;
};

struct DbRunsOptions {
  DbOptions db;
  int limit = 20;
};

// `db migrate`: applies the pending migrations; prints `applied NAME` for each, then a total.
int RunDbMigrate(const DbMigrateOptions& options);
// `db status`: the applied and pending migrations; exit 0 either way.
int RunDbStatus(const DbMigrateOptions& options);
// `db import`: stores the bars of one CSV file (all or nothing).
int RunDbImport(const DbImportOptions& options);
// `db runs`: marks abandoned runs FAILED, then lists the most recent runs as a table.
int RunDbRuns(const DbRunsOptions& options);

// Forwards the equity curve to two sinks (either may be null): equity.csv and the database.
class TeeEquitySink final : public engine::EquitySink {
 public:
  TeeEquitySink(engine::EquitySink* first, engine::EquitySink* second)
      : first_(first), second_(second) {}
  void OnStart(bool intraday) override;
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override;
  // The sink to give the engine: this tee when both sinks are set, else the one that is set,
  // else null (no equity work per bar).
  engine::EquitySink* Single() {
    if (first_ != nullptr && second_ != nullptr) return this;
    return first_ != nullptr ? first_ : second_;
  }

 private:
  engine::EquitySink* first_;
  engine::EquitySink* second_;
};

// `wyckoff backtest`'s use of the database: stored bars as sources, and the run's persistence.
//
//   BacktestDatabase db(o.db, o.db_given, o.actor);
//   for (const auto& data : o.data) sources.push_back(*db.OpenSource(data, csv));
//   engine::EquitySink* sink = *db.Begin(info, symbols);      // null unless persisting
//   Result<RunResult> run = engine.Run(sources, sink);
//   db.Finish(run);                                           // COMPLETED or FAILED
//
// It connects once, on first need, and keeps the session for the run's results.
class BacktestDatabase {
 public:
  // `url`: --db (empty: the PG* variables); `persist`: whether --db was given.
  BacktestDatabase(std::string url, bool persist, std::string actor);
  ~BacktestDatabase();

  // The symbol a --data value names when --symbol is absent: SYMBOL of
  // postgresql:SYMBOL:TIMEFRAME, else the file name's stem.
  static std::string DefaultSymbol(const std::string& data);

  // Opens the source of one --data value: the stored bars of postgresql:SYMBOL:TIMEFRAME, or
  // the CSV file. Errors: a malformed postgresql: value, no such stored bars, the connection's
  // and the CSV file's errors.
  Result<std::unique_ptr<engine::BarSource>> OpenSource(const std::string& data,
                                                        const engine::CsvOptions& csv);

  // When persisting: marks abandoned runs FAILED, records this run as RUNNING and returns the
  // sink that streams its equity into the database; null when not persisting.
  Result<engine::EquitySink*> Begin(const report::RunInfo& info,
                                    const std::vector<engine::SymbolInfo>& symbols);

  // Stores the results of a successful run (the run's id), or marks the run FAILED with the
  // run's error. Returns std::nullopt when not persisting. Errors: the database's; the run is
  // then marked FAILED (or stays RUNNING until the next `db runs` when the server is gone).
  Result<std::optional<std::int64_t>> Finish(const Result<engine::RunResult>& run);

 private:
  Result<db::Connection*> Conn();

  std::string url_;
  bool persist_;
  std::string actor_;
  std::optional<db::Connection> conn_;
  std::vector<std::string> data_;        // the --data values opened, in order
  std::vector<std::string> timeframes_;  // their timeframes ("1d", "intraday" for CSV files)
  std::unique_ptr<db::RunWriter> writer_;
};

}  // namespace wyckoff::cli
