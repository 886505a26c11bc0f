// The migration runner behind `wyckoff db migrate` and `wyckoff db status`.
//
// Migrations are the files `NNNN_name.sql` of one folder (four digits, an underscore, a
// lower-case name), applied in the order of their numbers. Each one runs in its own
// transaction together with its row in schema_migrations (number, file name, SHA-256 of the
// file's bytes, who applied it, when) and its `migration.applied` audit entry, so a failed
// migration leaves no trace. Applying is idempotent: a second run applies nothing.
//
//   Result<std::vector<std::string>> applied =
//       Migrate(*conn, DefaultMigrationsDir(), OsUser());   // {"0001_schema.sql", ...}
//
// An applied migration is history: if its file changed since (checksum mismatch) or
// disappeared, Migrate and GetMigrationStatus refuse to go on and name the file. Concurrent
// runners serialise on an advisory lock, so each migration is applied once.
//
// NOTE: a migration runs inside the runner's transaction, so it must not contain BEGIN,
// COMMIT or ROLLBACK, nor statements that refuse transaction blocks (CREATE INDEX
// CONCURRENTLY, CREATE DATABASE, VACUUM). Creating the role in 0003 needs CREATEROLE.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db {

struct MigrationFile {
  int version = 0;   // NNNN
  std::string name;  // the file name, `0001_schema.sql`
  std::filesystem::path path;
};

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;  // hex SHA-256 of the file's bytes, as `sha256sum` prints it
  Timestamp applied_at = 0;
  std::string applied_by;
};

struct MigrationStatus {
  std::vector<AppliedMigration> applied;  // in order
  std::vector<MigrationFile> pending;     // in the order Migrate would apply them
};

// The migrations folder: $WYCKOFF_MIGRATIONS_DIR when set and not empty; else, for an installed
// program (PREFIX/bin/wyckoff), PREFIX/share/wyckoff/migrations when that folder exists; else the
// folder compiled in (the source tree's db/migrations, or the WYCKOFF_MIGRATIONS_DIR CMake
// cache path given at configure time).
std::filesystem::path DefaultMigrationsDir();

// The migration files of `dir`, in order. Files not ending in `.sql` are ignored.
// Errors: kNotFound when `dir` does not exist or holds no migration; kInvalidArgument for a
// `.sql` file not named NNNN_name.sql, or two files with the same number.
Result<std::vector<MigrationFile>> ListMigrations(const std::filesystem::path& dir);

// Applies the pending migrations of `dir` and returns their file names, in order (empty when
// the database is up to date). `actor` is recorded in schema_migrations and the audit log
// (empty: OsUser()).
// Errors (nothing more is applied after one; migrations applied before it stay applied):
//   kNotFound / kInvalidArgument  as ListMigrations; kIo when a file cannot be read
//   kDatabase  `migration DIR/0002_x.sql was changed after it was applied ...`,
//              `migration 0002_x.sql was applied to this database but is missing from DIR`,
//              `migration DIR/0002_x.sql comes before the last applied one ...`,
//              `migration DIR/0002_x.sql failed: <server message>`, or a connection failure
Result<std::vector<std::string>> Migrate(Connection& conn, const std::filesystem::path& dir,
                                         std::string_view actor);

// What is applied and what is pending, without changing anything. A database never migrated
// has everything pending. Errors: as Migrate, except that nothing fails to apply.
Result<MigrationStatus> GetMigrationStatus(Connection& conn, const std::filesystem::path& dir);

}  // namespace wyckoff::db
