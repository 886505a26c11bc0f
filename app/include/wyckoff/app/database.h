// The database a command may use: for stored bars, and to record runs. It connects once, when
// first needed, and the session serves both. Every command connects through it, so every
// command finds its server the same way (ResolveDatabaseUrl):
//
//   1. the URL given (`--db URL`), when not empty;
//   2. else the environment variable WYCKOFF_DB, when set and not empty;
//   3. else libpq's own environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, ...).
//
//   Database database({.url = "", .store = true, .actor = "alice"});   // WYCKOFF_DB, or PG*
//   Result<DatabaseSession*> session = database.Session();
//
// PostgreSQL support is the module libwyckoff-pg.so (database_session.h), loaded on the first
// Session(): a command that uses no database never loads libpq. It is looked for at
// $WYCKOFF_PG_MODULE when set, else beside the program (a build tree), else in the program's
// PREFIX/LIBDIR/wyckoff/ (an installed program).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "wyckoff/app/database_session.h"
#include "wyckoff/core/error.h"

namespace wyckoff::app {

// The URL to connect to: `url` when not empty, else $WYCKOFF_DB when set and not empty, else
// "" (which libpq reads as: its PG* environment variables).
std::string ResolveDatabaseUrl(const std::string& url);

struct DatabaseOptions {
  std::string url;     // a libpq URL; empty: WYCKOFF_DB, else the PG* environment variables
  bool store = false;  // record the run (backtest, walk-forward)
  std::string actor;   // who the audit log names; empty: the operating-system user
};

class Database {
 public:
  // Resolves options.url with ResolveDatabaseUrl; options().url is the resolved URL.
  explicit Database(DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const DatabaseOptions& options() const { return options_; }
  // The session, connecting on first use. Errors: the module cannot be loaded (kDatabase,
  // where it was looked for and the loader's reason); those of db::Connect.
  Result<DatabaseSession*> Session();

 private:
  DatabaseOptions options_;
  std::unique_ptr<DatabaseSession> session_;
};

}  // namespace wyckoff::app
