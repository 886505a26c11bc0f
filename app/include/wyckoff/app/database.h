// The database a command may use: for stored bars, and to record runs. It connects once, when
// first needed, and the session serves both.
//
//   Database database({.url = "", .store = true, .actor = "alice"});   // "" : the PG* variables
//   Result<db::Connection*> conn = database.Connection();
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "wyckoff/core/error.h"

namespace wyckoff::db {
class Connection;
}

namespace wyckoff::app {

struct DatabaseOptions {
  std::string url;     // a libpq URL; empty: the PG* environment variables
  bool store = false;  // record the run (backtest, walk-forward)
  std::string actor;   // who the audit log names; empty: the operating-system user
};

class Database {
 public:
  explicit Database(DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const DatabaseOptions& options() const { return options_; }
  // The session, connecting on first use. Errors: those of db::Connect.
  Result<db::Connection*> Connection();

 private:
  DatabaseOptions options_;
  std::unique_ptr<db::Connection> conn_;
};

}  // namespace wyckoff::app
