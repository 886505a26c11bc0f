// The audit log: an append-only record of who did what to which entity, when, with a JSON
// payload. The store writes one entry, in the same transaction as the change itself, when a
// run is created, completed or failed, a migration is applied, or bars are imported.
//
//   AuditRecord record{.actor = OsUser(), .action = std::string(kActionBarsImported),
//                      .entity_type = "bars", .entity_id = "ORCL:1d",
//                      .payload_json = R"({"rows": 5036})"};
//   Result<std::int64_t> id = AppendAudit(conn, record);
//   Result<std::vector<AuditEntry>> mine =
//       QueryAudit(conn, OsUser(), kActionBarsImported, now - 7 * kNanosPerDay);
//
// The database enforces append-only (db/migrations/0002 and 0003): the application role
// `wyckoff_app` may only INSERT and SELECT, and a trigger refuses UPDATE, DELETE and TRUNCATE
// for everyone with `audit_log is append-only: <OPERATION> is not allowed`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db {

// The actions the store records (AuditRecord::action).
inline constexpr std::string_view kActionRunCreated = "run.created";
inline constexpr std::string_view kActionRunCompleted = "run.completed";
inline constexpr std::string_view kActionRunFailed = "run.failed";
inline constexpr std::string_view kActionMigrationApplied = "migration.applied";
inline constexpr std::string_view kActionBarsImported = "bars.imported";

struct AuditRecord {
  std::string actor;                // who: --actor, or OsUser(); must not be empty
  std::string action;               // what: one of the kAction* names, or another dotted name
  std::string entity_type;          // which kind of entity: "run", "migration", "bars", ...
  std::string entity_id;            // which one: "42", "0001_schema.sql", "ORCL:1d"
  std::string payload_json = "{}";  // any JSON value; stored as jsonb
};

struct AuditEntry {
  std::int64_t id = 0;
  Timestamp time = 0;  // when the writing transaction started (UTC, microseconds)
  std::string actor;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string payload_json;  // as PostgreSQL prints jsonb: keys sorted, `": "` spacing
};

// The name of the operating-system user running this process (the default actor): the
// password database entry of the effective uid, else $USER or $LOGNAME, else `uid:N`.
std::string OsUser();

// Appends one entry in its own transaction and returns its id.
// Errors: kInvalidArgument for an empty actor or action; kDatabase when the payload is not
// JSON or the database refuses (the message says which).
Result<std::int64_t> AppendAudit(Connection& conn, const AuditRecord& record);

// Entries of `actor` and `action` at or after `since`, newest first, at most `limit`. Served by
// the index audit_log_actor_action_time_idx.
// Errors: kDatabase, with the server's message.
Result<std::vector<AuditEntry>> QueryAudit(Connection& conn, std::string_view actor,
                                           std::string_view action, Timestamp since,
                                           int limit = 1000);

}  // namespace wyckoff::db
