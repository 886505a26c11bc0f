// `wyckoff db migrate|status|import|runs|show` (registered in db_cli.cc). No CLI11 here, and no
// libpqxx: everything goes through wyckoff::db and wyckoff::app.
//
// Every command connects through app::Database: to `--db URL`, else to $WYCKOFF_DB, else to the
// server of the libpq environment variables (PGHOST, PGDATABASE, ...), and returns the exit
// code: 0 success, 1 the database failed or refused, 2 bad input (a malformed URL, a bad file or
// flag, no such run).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wyckoff::cli {

// Flags every db subcommand shares.
struct DbOptions {
  std::string url;    // --db; empty: WYCKOFF_DB, else the PG* environment variables
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

struct DbShowOptions {
  DbOptions db;
  std::int64_t run = 0;  // the run's id
};

// `db migrate`: applies the pending migrations; prints `applied NAME` for each, then a total.
int RunDbMigrate(const DbMigrateOptions& options);
// `db status`: the applied and pending migrations; exit 0 either way.
int RunDbStatus(const DbMigrateOptions& options);
// `db import`: stores the bars of one CSV file (all or nothing).
int RunDbImport(const DbImportOptions& options);
// `db runs`: marks abandoned runs FAILED, then lists the most recent runs as a table.
int RunDbRuns(const DbRunsOptions& options);
// `db show RUN`: one stored run's summary (kind, strategy, data, parameters, settings, status,
// metrics) and, when COMPLETED, its trades. No such run: exit 2.
int RunDbShow(const DbShowOptions& options);

}  // namespace wyckoff::cli
