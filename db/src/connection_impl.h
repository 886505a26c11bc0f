// Private to db/src: the libpqxx side of Connection, and the one place where libpqxx
// exceptions become Errors.
//
//   return internal::Guarded("importing bars ORCL 1d", [&]() -> Result<int> {
//     pqxx::work txn(internal::Pqxx(conn));
//     ...                      // may throw pqxx exceptions
//     txn.commit();
//     return n;
//   });
#pragma once

#include <exception>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <utility>

#include "wyckoff/core/error.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db {

struct Connection::Impl {
  explicit Impl(const std::string& conninfo) : conn(conninfo) {}
  pqxx::connection conn;
  std::string description;
};

namespace internal {

struct ConnectionAccess {
  static pqxx::connection& Get(Connection& c) { return c.impl_->conn; }
  static Connection Make(std::unique_ptr<Connection::Impl> impl) {
    return Connection(std::move(impl));
  }
};

inline pqxx::connection& Pqxx(Connection& c) { return ConnectionAccess::Get(c); }

// A libpq/libpqxx message on one line: the primary message without its `ERROR:` prefix, then
// the DETAIL in parentheses; HINT, CONTEXT and the rest are dropped.
std::string OneLine(std::string_view message);

// The Error for an exception thrown while `context` (`importing bars ORCL 1d`) was running.
Error TranslateException(std::string_view context, const std::exception& e);

// Runs `body` (returning a Result), turning any exception it throws into an Error.
template <typename Body>
auto Guarded(std::string_view context, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return tl::unexpected<Error>(TranslateException(context, e));
  }
}

}  // namespace internal
}  // namespace wyckoff::db
