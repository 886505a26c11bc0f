#include "wyckoff/app/database.h"

#include <cstdlib>

#include "wyckoff/db/connection.h"

namespace wyckoff::app {

std::string ResolveDatabaseUrl(const std::string& url) {
  if (!url.empty()) return url;
  const char* env = std::getenv("WYCKOFF_DB");
  return env != nullptr ? env : "";
}

Database::Database(DatabaseOptions options) : options_(std::move(options)) {
  options_.url = ResolveDatabaseUrl(options_.url);
}

Database::~Database() = default;

Result<db::Connection*> Database::Connection() {
  if (!conn_) {
    auto conn = db::Connect(options_.url);
    if (!conn) return tl::unexpected(conn.error());
    conn_ = std::make_unique<db::Connection>(std::move(*conn));
  }
  return conn_.get();
}

}  // namespace wyckoff::app
