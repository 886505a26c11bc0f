#include "wyckoff/app/database.h"

#include "wyckoff/db/connection.h"

namespace wyckoff::app {

Database::Database(DatabaseOptions options) : options_(std::move(options)) {}

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
