#include "wyckoff/db/audit_log.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "audit_internal.h"
#include "connection_impl.h"
#include "pg_time.h"
#include "sql.h"

namespace wyckoff::db {

std::string OsUser() {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr && found->pw_name != nullptr && *found->pw_name != '\0') {
    return found->pw_name;
  }
  for (const char* name : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "uid:" + std::to_string(geteuid());
}

namespace internal {

std::int64_t AppendAuditIn(pqxx::transaction_base& txn, const AuditRecord& record) {
  const pqxx::row row = txn.exec_params1(
      "INSERT INTO audit_log (actor, action, entity_type, entity_id, payload) "
      "VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id",
      record.actor, record.action, record.entity_type, record.entity_id, record.payload_json);
  return row[0].as<std::int64_t>();
}

std::string ActorOrOsUser(std::string_view actor) {
  return actor.empty() ? OsUser() : std::string(actor);
}

}  // namespace internal

Result<std::int64_t> AppendAudit(Connection& conn, const AuditRecord& record) {
  if (record.actor.empty() || record.action.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "an audit entry needs an actor and an action (actor \"" + record.actor +
                    "\", action \"" + record.action + "\")");
  }
  return internal::Guarded("appending to the audit log", [&]() -> Result<std::int64_t> {
    pqxx::work txn(internal::Pqxx(conn));
    const std::int64_t id = internal::AppendAuditIn(txn, record);
    txn.commit();
    return id;
  });
}

Result<std::vector<AuditEntry>> QueryAudit(Connection& conn, std::string_view actor,
                                           std::string_view action, Timestamp since, int limit) {
  return internal::Guarded("reading the audit log", [&]() -> Result<std::vector<AuditEntry>> {
    pqxx::read_transaction txn(internal::Pqxx(conn));
    const pqxx::result rows =
        txn.exec_params(std::string(internal::kAuditByActorActionSql), std::string(actor),
                        std::string(action), internal::PgTimestamp(since), limit);
    std::vector<AuditEntry> entries;
    entries.reserve(rows.size());
    for (const auto& row : rows) {
      entries.push_back(AuditEntry{
          .id = row[0].as<std::int64_t>(),
          .time = internal::FromMicros(row[1].as<std::int64_t>()),
          .actor = row[2].as<std::string>(),
          .action = row[3].as<std::string>(),
          .entity_type = row[4].as<std::string>(),
          .entity_id = row[5].as<std::string>(),
          .payload_json = row[6].as<std::string>(),
      });
    }
    return entries;
  });
}

}  // namespace wyckoff::db
