// Connection: one session with PostgreSQL, the handle every db:: function takes.
//
// The URL is a libpq connection string: a `postgresql://` URI or `key=value` pairs. An empty
// URL means the libpq environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD,
// ...). Connecting never hangs: unless the URL or PGCONNECT_TIMEOUT sets one, a connect
// timeout of ConnectOptions::connect_timeout_seconds applies.
//
//   Result<Connection> conn = Connect("postgresql://localhost/wyckoff");
//   if (!conn) { std::cerr << conn.error().message << "\n"; return 2; }
//   std::cerr << "connected to " << conn->description() << "\n";
//
// Every failure is an Error with one line of text and never contains the password:
//   kInvalidArgument  the URL does not parse (`invalid connection URL "...": ...`)
//   kDatabase         the server is down, refuses the login, or the database does not exist
//                     (`cannot connect to PostgreSQL at ...: ... Connection refused`)
//
// A Connection is movable, not copyable, and used by one thread at a time. libpqxx stays in
// db/src: this header does not include it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::db {

namespace internal {
struct ConnectionAccess;
}  // namespace internal

struct ConnectOptions {
  // When not empty, replaces the database name of the URL (tests open fresh databases so).
  std::string database;
  // Seconds to wait for the server; applies unless the URL or PGCONNECT_TIMEOUT sets a
  // timeout. libpq rounds values below 2 up to 2; 0 waits forever.
  int connect_timeout_seconds = 5;
};

class Connection {
 public:
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // `DBNAME on HOST:PORT as USER`, for messages; never the password.
  const std::string& description() const;

  struct Impl;  // opaque here; defined in db/src, where libpqxx lives

 private:
  friend struct internal::ConnectionAccess;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens a session. `url` empty means the libpq environment variables. Errors: see above.
Result<Connection> Connect(std::string_view url, const ConnectOptions& options = {});

// One row of ExecuteSql: each field as PostgreSQL's text, std::nullopt for NULL.
using SqlRow = std::vector<std::optional<std::string>>;

// Runs SQL text (one or more statements, no parameters) in one transaction and returns the
// rows of the last statement. For administration, test set-up and assertions; application
// code calls the typed functions of this module instead.
// Errors: kDatabase with the server's message on one line; nothing is committed then.
Result<std::vector<SqlRow>> ExecuteSql(Connection& conn, std::string_view sql);

}  // namespace wyckoff::db
