#include "wyckoff/db/migrations.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "audit_internal.h"
#include "connection_impl.h"
#include "pg_time.h"

namespace wyckoff::db {
namespace {

namespace fs = std::filesystem;

// Serialises concurrent runners on one database (advisory locks are per database).
constexpr std::int64_t kMigrationLockKey = 0x7779'636b'6f66'6601;  // "wyckoff" 01

constexpr std::string_view kCreateSchemaMigrationsSql = R"sql(
CREATE TABLE schema_migrations (
  version     integer     PRIMARY KEY,
  name        text        NOT NULL UNIQUE,
  checksum    text        NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  applied_by  text        NOT NULL
))sql";

struct LoadedMigration {
  MigrationFile file;
  std::string sql;
  std::string checksum;  // filled in by the database (sha256), see Checksums
};

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return Fail(ErrorCode::kIo,
                "cannot read migration " + path.string() + ": " + std::strerror(errno));
  }
  return text;
}

Result<std::vector<LoadedMigration>> LoadMigrations(const fs::path& dir) {
  auto files = ListMigrations(dir);
  if (!files) return tl::unexpected(files.error());
  std::vector<LoadedMigration> loaded;
  for (MigrationFile& file : *files) {
    auto sql = ReadFile(file.path);
    if (!sql) return tl::unexpected(sql.error());
    loaded.push_back(LoadedMigration{std::move(file), std::move(*sql), ""});
  }
  return loaded;
}

void Lock(pqxx::transaction_base& txn) {
  txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
}

bool SchemaMigrationsExists(pqxx::transaction_base& txn) {
  return !txn.exec("SELECT to_regclass('schema_migrations')")[0][0].is_null();
}

std::vector<AppliedMigration> ReadApplied(pqxx::transaction_base& txn) {
  std::vector<AppliedMigration> applied;
  for (const auto& row : txn.exec("SELECT version, name, checksum, "
                                  "(EXTRACT(EPOCH FROM applied_at) * 1000000)::int8, applied_by "
                                  "FROM schema_migrations ORDER BY version")) {
    applied.push_back(AppliedMigration{
        row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>(),
        internal::FromMicros(row[3].as<std::int64_t>()), row[4].as<std::string>()});
  }
  return applied;
}

// SHA-256 of each file's bytes. The session's client encoding is UTF8 (Connect sets it), so
// the text reaches sha256() unchanged and the sums equal `sha256sum FILE`.
void Checksums(pqxx::transaction_base& txn, std::vector<LoadedMigration>& migrations) {
  for (LoadedMigration& m : migrations) {
    m.checksum = txn.exec_params1("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", m.sql)[0]
                     .as<std::string>();
  }
}

std::string ChangedMessage(const LoadedMigration& m, std::string_view recorded) {
  return "migration " + m.file.path.string() +
         " was changed after it was applied (recorded checksum " + std::string(recorded) +
         ", file now " + m.checksum +
         "); restore the applied version and put the change in a new migration";
}

// Checks the applied history against the files and returns the pending ones, in order.
Result<std::vector<const LoadedMigration*>> Plan(const std::vector<AppliedMigration>& applied,
                                                 const std::vector<LoadedMigration>& files,
                                                 const fs::path& dir) {
  for (const AppliedMigration& a : applied) {
    auto it = std::find_if(files.begin(), files.end(),
                           [&](const LoadedMigration& m) { return m.file.name == a.name; });
    if (it == files.end()) {
      return Fail(ErrorCode::kDatabase, "migration " + a.name +
                                            " was applied to this database but is missing from " +
                                            dir.string() + "; is this folder out of date?");
    }
    if (it->checksum != a.checksum)
      return Fail(ErrorCode::kDatabase, ChangedMessage(*it, a.checksum));
  }
  const int last_applied = applied.empty() ? 0 : applied.back().version;
  std::vector<const LoadedMigration*> pending;
  for (const LoadedMigration& m : files) {
    const bool done = std::any_of(applied.begin(), applied.end(),
                                  [&](const AppliedMigration& a) { return a.name == m.file.name; });
    if (done) continue;
    if (m.file.version < last_applied) {
      return Fail(ErrorCode::kDatabase,
                  "migration " + m.file.path.string() + " comes before the last applied one (" +
                      applied.back().name + "); renumber it after " + applied.back().name);
    }
    pending.push_back(&m);
  }
  return pending;
}

std::string AuditPayload(const LoadedMigration& m) {
  return nlohmann::json{{"version", m.file.version}, {"checksum", m.checksum}}.dump();
}

// Applies one migration in its own transaction; false when another runner applied it first.
Result<bool> ApplyOne(pqxx::connection& conn, const LoadedMigration& m, const std::string& actor) {
  pqxx::work txn(conn);
  Lock(txn);
  const pqxx::result done =
      txn.exec_params("SELECT checksum FROM schema_migrations WHERE version = $1", m.file.version);
  if (!done.empty()) {
    const auto recorded = done[0][0].as<std::string>();
    if (recorded != m.checksum) return Fail(ErrorCode::kDatabase, ChangedMessage(m, recorded));
    return false;
  }
  try {
    txn.exec(m.sql, "migration " + m.file.name);
  } catch (const pqxx::sql_error& e) {
    return Fail(ErrorCode::kDatabase,
                "migration " + m.file.path.string() + " failed: " + internal::OneLine(e.what()));
  }
  txn.exec_params(
      "INSERT INTO schema_migrations (version, name, checksum, applied_by) VALUES ($1, $2, $3, $4)",
      m.file.version, m.file.name, m.checksum, actor);
  if (!txn.exec("SELECT to_regclass('audit_log')")[0][0].is_null()) {
    internal::AppendAuditIn(txn, AuditRecord{actor, std::string(kActionMigrationApplied),
                                             "migration", m.file.name, AuditPayload(m)});
  }
  txn.commit();
  return true;
}

}  // namespace

Result<std::vector<MigrationFile>> ListMigrations(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    return Fail(ErrorCode::kNotFound,
                "migrations folder " + dir.string() +
                    " does not exist; point WYCKOFF_MIGRATIONS_DIR at the db/migrations folder");
  }
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument,
                "migrations folder " + dir.string() + " is not a folder");
  }
  static const std::regex kName(R"(^([0-9]{4})_[a-z0-9_]+\.sql$)");
  std::vector<MigrationFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql" || !entry.is_regular_file(ec)) continue;
    std::smatch match;
    if (!std::regex_match(name, match, kName)) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "migration " + entry.path().string() +
              " is not named NNNN_name.sql (four digits, an underscore, a lower-case name)");
    }
    files.push_back(MigrationFile{std::stoi(match[1].str()), name, entry.path()});
  }
  if (ec) {
    return Fail(ErrorCode::kIo,
                "cannot list migrations folder " + dir.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      return Fail(ErrorCode::kInvalidArgument, "migrations " + files[i - 1].path.string() +
                                                   " and " + files[i].name +
                                                   " have the same number");
    }
  }
  if (files.empty()) {
    return Fail(ErrorCode::kNotFound, "no migrations (NNNN_name.sql) in " + dir.string());
  }
  return files;
}

Result<std::vector<std::string>> Migrate(Connection& conn, const fs::path& dir,
                                         std::string_view actor) {
  auto files = LoadMigrations(dir);
  if (!files) return tl::unexpected(files.error());
  const std::string who = internal::ActorOrOsUser(actor);
  return internal::Guarded("migrating " + conn.description(),
                           [&]() -> Result<std::vector<std::string>> {
                             pqxx::connection& c = internal::Pqxx(conn);
                             {
                               pqxx::work txn(c);
                               Lock(txn);
                               if (!SchemaMigrationsExists(txn))
                                 txn.exec(std::string(kCreateSchemaMigrationsSql));
                               txn.commit();
                             }
                             std::vector<AppliedMigration> applied;
                             {
                               pqxx::read_transaction txn(c);
                               applied = ReadApplied(txn);
                               Checksums(txn, *files);
                             }
                             auto pending = Plan(applied, *files, dir);
                             if (!pending) return tl::unexpected(pending.error());
                             std::vector<std::string> names;
                             for (const LoadedMigration* m : *pending) {
                               auto done = ApplyOne(c, *m, who);
                               if (!done) return tl::unexpected(done.error());
                               if (*done) names.push_back(m->file.name);
                             }
                             return names;
                           });
}

Result<MigrationStatus> GetMigrationStatus(Connection& conn, const fs::path& dir) {
  auto files = LoadMigrations(dir);
  if (!files) return tl::unexpected(files.error());
  return internal::Guarded("reading the migration status of " + conn.description(),
                           [&]() -> Result<MigrationStatus> {
                             pqxx::read_transaction txn(internal::Pqxx(conn));
                             MigrationStatus status;
                             if (SchemaMigrationsExists(txn)) status.applied = ReadApplied(txn);
                             Checksums(txn, *files);
                             auto pending = Plan(status.applied, *files, dir);
                             if (!pending) return tl::unexpected(pending.error());
                             for (const LoadedMigration* m : *pending) {
                               status.pending.push_back(m->file);
                             }
                             return status;
                           });
}

}  // namespace wyckoff::db
