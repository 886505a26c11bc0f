#include "wyckoff/db/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_database.h"
#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"

namespace wyckoff::db {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kActor;
using testing::kAllMigrations;
using testing::kMigrationsDir;
using testing::TempDir;

class MigrateTest : public testing::DatabaseTest {
 protected:
  // A copy of the real migrations that a test may edit.
  fs::path CopyMigrations() {
    fs::copy(kMigrationsDir, dir_.path() / "migrations");
    return dir_.path() / "migrations";
  }

  static void Write(const fs::path& path, const std::string& text, bool append = false) {
    std::ofstream out(path, append ? std::ios::app : std::ios::trunc);
    out << text;
  }

  TempDir dir_;
};

std::string Sha256Sum(const fs::path& path) {
  const std::string command = "sha256sum '" + path.string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::array<char, 65> sum{};
  if (!pipe || std::fread(sum.data(), 1, 64, pipe.get()) != 64) return "sha256sum failed";
  return std::string(sum.data(), 64);
}

TEST_F(MigrateTest, FirstRunAppliesAllInOrderAndSecondRunNothing) {
  auto first = Migrate(conn(), kMigrationsDir, kActor);
  auto second = Migrate(conn(), kMigrationsDir, kActor);

  ASSERT_TRUE(first) << first.error().message;
  EXPECT_THAT(*first, ElementsAreArray(kAllMigrations));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_THAT(*second, IsEmpty());
  EXPECT_EQ(SqlValue("SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations"),
            "0001_schema.sql,0002_audit_log_append_only.sql,0003_application_role.sql,"
            "0004_run_results.sql,0005_single_bar_windows.sql,"
            "0006_equity_points_statement_checks.sql");
}

TEST_F(MigrateTest, WalkForwardWindowsMayBeOneBarButKeepTheirOrder) {
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));
  Sql("INSERT INTO backtest_runs (kind, strategy, symbols, timeframe, actor) "
      "VALUES ('walk-forward', 'sma-cross', '{KO}', '1d', 'tester')");
  // A one-bar test part: its first and last bar are the same time.
  Sql("INSERT INTO walk_forward_windows (run_id, window_index, in_sample_start, in_sample_end, "
      "out_of_sample_start, out_of_sample_end) SELECT id, 0, '1997-01-02', '1998-01-02', "
      "'1998-01-05', '1998-01-05' FROM backtest_runs");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM walk_forward_windows"), "1");
  // A test part that starts before the train part ends is refused.
  auto overlap = ExecuteSql(conn(),
                            "INSERT INTO walk_forward_windows (run_id, window_index, "
                            "in_sample_start, in_sample_end, out_of_sample_start, "
                            "out_of_sample_end) SELECT id, 1, '1997-01-02', '1998-01-05', "
                            "'1998-01-05', '1998-01-06' FROM backtest_runs");
  ASSERT_FALSE(overlap.has_value());
  EXPECT_THAT(overlap.error().message, HasSubstr("walk_forward_windows_order_check"));
}

TEST_F(MigrateTest, EquityPointsNeedTheirRunAndGoWithIt) {
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));
  Sql("INSERT INTO backtest_runs (strategy, symbols, timeframe, actor) "
      "VALUES ('sma-cross', '{KO}', '1d', 'tester'), ('sma-cross', '{PEP}', '1d', 'tester')");
  Sql("INSERT INTO equity_points (run_id, time, cash, equity) SELECT id, '1998-01-05', 1, 2 "
      "FROM backtest_runs");
  // One statement, checked once: a point of a run that does not exist refuses all of it.
  auto orphan = ExecuteSql(conn(),
                           "INSERT INTO equity_points (run_id, time, cash, equity) VALUES "
                           "((SELECT min(id) FROM backtest_runs), '1998-01-06', 1, 2), "
                           "(424242, '1998-01-06', 1, 2)");
  ASSERT_FALSE(orphan.has_value());
  EXPECT_THAT(orphan.error().message,
              HasSubstr("insert or update on table \"equity_points\" violates its run "
                        "reference: run 424242 is not in backtest_runs"));
  auto moved = ExecuteSql(conn(),
                          "UPDATE equity_points SET run_id = 424243 "
                          "WHERE run_id = (SELECT min(id) FROM backtest_runs)");
  ASSERT_FALSE(moved.has_value());
  EXPECT_THAT(moved.error().message, HasSubstr("run 424243 is not in backtest_runs"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM equity_points"), "2");
  // Deleting a run deletes its points (and only its).
  Sql("DELETE FROM backtest_runs WHERE id = (SELECT min(id) FROM backtest_runs)");
  EXPECT_EQ(SqlValue("SELECT count(*) || ' ' || min(r.symbols[1]) FROM equity_points e "
                     "JOIN backtest_runs r ON r.id = e.run_id"),
            "1 PEP");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM equity_points"), "1");
}

TEST_F(MigrateTest, CreatesEveryTableOfTheSchema) {
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));

  EXPECT_EQ(SqlValue("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                     "WHERE schemaname = 'public'"),
            "audit_log,backtest_runs,bars,equity_points,fills,orders,pattern_events,"
            "schema_migrations,signals,trades,walk_forward_windows");
  // Money is never floating point.
  EXPECT_EQ(SqlValue("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                     "'public' AND data_type IN ('real', 'double precision', 'money')"),
            "0");
}

TEST_F(MigrateTest, RecordsSha256OfEachFileAndWhoAppliedIt) {
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));

  for (const std::string& name : kAllMigrations) {
    EXPECT_EQ(SqlValue("SELECT checksum || ' ' || applied_by FROM schema_migrations "
                       "WHERE name = '" +
                       name + "'"),
              Sha256Sum(kMigrationsDir / name) + " tester")
        << name;
  }
}

TEST_F(MigrateTest, WritesOneAuditEntryPerAppliedMigration) {
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));

  auto entries = QueryAudit(conn(), kActor, kActionMigrationApplied, 0);

  ASSERT_TRUE(entries) << entries.error().message;
  std::vector<std::string> ids;
  for (const AuditEntry& e : *entries) ids.push_back(e.entity_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_THAT(ids, ElementsAreArray(kAllMigrations));
  EXPECT_THAT(entries->front().payload_json, HasSubstr("\"checksum\": "));
}

TEST_F(MigrateTest, EditedAppliedMigrationIsAnErrorNamingTheFile) {
  const fs::path dir = CopyMigrations();
  ASSERT_TRUE(Migrate(conn(), dir, kActor));
  Write(dir / "0002_audit_log_append_only.sql", "\n-- an innocent-looking edit\n", true);

  auto again = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(again.error().message,
              HasSubstr("migration " + (dir / "0002_audit_log_append_only.sql").string() +
                        " was changed after it was applied"));
  EXPECT_EQ(again.error().message.find('\n'), std::string::npos);
}

TEST_F(MigrateTest, StatusAlsoRefusesAnEditedMigration) {
  const fs::path dir = CopyMigrations();
  ASSERT_TRUE(Migrate(conn(), dir, kActor));
  Write(dir / "0001_schema.sql", "-- edited\n", true);

  auto status = GetMigrationStatus(conn(), dir);

  ASSERT_FALSE(status);
  EXPECT_THAT(status.error().message, HasSubstr("0001_schema.sql was changed"));
}

TEST_F(MigrateTest, NewMigrationIsAppliedAlone) {
  const fs::path dir = CopyMigrations();
  ASSERT_TRUE(Migrate(conn(), dir, kActor));
  Write(dir / "0099_notes.sql", "CREATE TABLE notes (id int PRIMARY KEY, body text);\n");

  auto applied = Migrate(conn(), dir, kActor);

  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_THAT(*applied, ElementsAre("0099_notes.sql"));
  EXPECT_EQ(SqlValue("SELECT to_regclass('notes') IS NOT NULL"), "t");
}

TEST_F(MigrateTest, FailingMigrationRollsBackAndNamesTheFile) {
  const fs::path dir = CopyMigrations();
  Write(dir / "0099_broken.sql", "CREATE TABLE half_done (id int);\nSELEC 1;\n");

  auto applied = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(applied);
  EXPECT_THAT(applied.error().message,
              HasSubstr("migration " + (dir / "0099_broken.sql").string() + " failed: "));
  EXPECT_THAT(applied.error().message, HasSubstr("syntax error"));
  EXPECT_EQ(SqlValue("SELECT to_regclass('half_done') IS NULL"), "t");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM schema_migrations"),
            std::to_string(kAllMigrations.size()));  // the good ones stay
}

TEST_F(MigrateTest, AppliedMigrationMissingFromTheFolderIsAnError) {
  const fs::path dir = CopyMigrations();
  ASSERT_TRUE(Migrate(conn(), dir, kActor));
  fs::remove(dir / "0003_application_role.sql");

  auto again = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message,
              HasSubstr("migration 0003_application_role.sql was applied to this database but "
                        "is missing from " +
                        dir.string()));
}

TEST_F(MigrateTest, MigrationNumberedBeforeTheLastAppliedIsAnError) {
  const fs::path dir = CopyMigrations();
  ASSERT_TRUE(Migrate(conn(), dir, kActor));
  Write(dir / "0000_early.sql", "SELECT 1;\n");

  auto again = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message, HasSubstr("0000_early.sql comes before the last applied"));
}

TEST_F(MigrateTest, MissingFolderIsAClearError) {
  auto applied = Migrate(conn(), dir_.path() / "no-such-folder", kActor);

  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(applied.error().message,
              HasSubstr("migrations folder " + (dir_.path() / "no-such-folder").string() +
                        " does not exist"));
}

TEST_F(MigrateTest, FolderWithoutMigrationsIsAClearError) {
  Write(dir_.path() / "README.md", "not a migration\n");

  auto applied = Migrate(conn(), dir_.path(), kActor);

  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(applied.error().message, HasSubstr("no migrations (NNNN_name.sql) in"));
}

TEST_F(MigrateTest, BadlyNamedMigrationIsRejected) {
  const fs::path dir = CopyMigrations();
  Write(dir / "5_oops.sql", "SELECT 1;\n");

  auto applied = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(applied.error().message, HasSubstr("5_oops.sql is not named NNNN_name.sql"));
  EXPECT_EQ(SqlValue("SELECT to_regclass('schema_migrations') IS NULL"), "t");
}

TEST_F(MigrateTest, TwoMigrationsWithOneNumberAreRejected) {
  const fs::path dir = CopyMigrations();
  Write(dir / "0002_other.sql", "SELECT 1;\n");

  auto applied = Migrate(conn(), dir, kActor);

  ASSERT_FALSE(applied);
  EXPECT_THAT(applied.error().message, HasSubstr("have the same number"));
}

TEST_F(MigrateTest, ConcurrentRunnersApplyEachMigrationOnce) {
  auto other = ConnectAgain();
  ASSERT_TRUE(other) << other.error().message;
  Result<std::vector<std::string>> a, b;

  std::thread thread([&] { b = Migrate(*other, kMigrationsDir, "other"); });
  a = Migrate(conn(), kMigrationsDir, kActor);
  thread.join();

  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  std::vector<std::string> all = *a;
  all.insert(all.end(), b->begin(), b->end());
  std::sort(all.begin(), all.end());
  EXPECT_THAT(all, ElementsAreArray(kAllMigrations));
}

TEST_F(MigrateTest, StatusListsPendingThenApplied) {
  auto before = GetMigrationStatus(conn(), kMigrationsDir);
  ASSERT_TRUE(Migrate(conn(), kMigrationsDir, kActor));
  auto after = GetMigrationStatus(conn(), kMigrationsDir);

  ASSERT_TRUE(before) << before.error().message;
  EXPECT_THAT(before->applied, IsEmpty());
  ASSERT_EQ(before->pending.size(), kAllMigrations.size());
  EXPECT_EQ(before->pending[0].name, "0001_schema.sql");
  EXPECT_EQ(before->pending[0].version, 1);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_THAT(after->pending, IsEmpty());
  ASSERT_EQ(after->applied.size(), kAllMigrations.size());
  EXPECT_EQ(after->applied[2].name, "0003_application_role.sql");
  EXPECT_EQ(after->applied[2].applied_by, "tester");
  EXPECT_EQ(after->applied.back().name, kAllMigrations.back());
}

TEST_F(MigrateTest, QueryOnAnUnmigratedDatabaseSaysToMigrate) {
  auto bars = LoadBars(conn(), "ORCL", "1d");

  ASSERT_FALSE(bars);
  EXPECT_EQ(bars.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(bars.error().message, HasSubstr("relation \"bars\" does not exist"));
  EXPECT_THAT(bars.error().message, HasSubstr("Run `wyckoff db migrate` first"));
}

TEST(DefaultMigrationsDirTest, EnvironmentOverridesTheCompiledFolder) {
  const char* saved = std::getenv("WYCKOFF_MIGRATIONS_DIR");
  const std::string restore = saved != nullptr ? saved : "";

  setenv("WYCKOFF_MIGRATIONS_DIR", "/opt/wyckoff/migrations", 1);
  const fs::path overridden = DefaultMigrationsDir();
  unsetenv("WYCKOFF_MIGRATIONS_DIR");
  const fs::path compiled = DefaultMigrationsDir();
  if (saved != nullptr) setenv("WYCKOFF_MIGRATIONS_DIR", restore.c_str(), 1);

  EXPECT_EQ(overridden, "/opt/wyckoff/migrations");
  EXPECT_TRUE(fs::equivalent(compiled, kMigrationsDir)) << compiled;
}

TEST(ListMigrationsTest, ListsTheSourceTreeMigrationsInOrder) {
  auto files = ListMigrations(kMigrationsDir);

  ASSERT_TRUE(files) << files.error().message;
  std::vector<std::string> names;
  for (const MigrationFile& f : *files) names.push_back(f.name);
  EXPECT_THAT(names, ElementsAreArray(kAllMigrations));
}

}  // namespace
}  // namespace wyckoff::db
