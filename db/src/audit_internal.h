// Private to db/src: appending an audit entry inside a transaction that also makes the change
// it records, so that the change and its entry commit or roll back together.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>

#include "wyckoff/db/audit_log.h"

namespace wyckoff::db::internal {

// Inserts the entry and returns its id. Throws what libpqxx throws (the caller is Guarded).
std::int64_t AppendAuditIn(pqxx::transaction_base& txn, const AuditRecord& record);

// The actor to record: `actor`, or OsUser() when it is empty.
std::string ActorOrOsUser(std::string_view actor);

}  // namespace wyckoff::db::internal
