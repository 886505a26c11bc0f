#include "wyckoff/db/audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_database.h"
#include "wyckoff/db/migrations.h"

namespace wyckoff::db {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class AuditLogTest : public testing::MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto id = AppendAudit(
        conn(), AuditRecord{"alice", "run.created", "run", "1", R"({"strategy": "sma-cross"})"});
    ASSERT_TRUE(id) << id.error().message;
  }

  bool IsSuperuser() {
    return SqlValue("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == "t";
  }
};

TEST_F(AuditLogTest, AppendedEntriesComeBackNewestFirst) {
  ASSERT_TRUE(AppendAudit(conn(), {"alice", "run.created", "run", "2", "{}"}));
  ASSERT_TRUE(AppendAudit(conn(), {"alice", "run.failed", "run", "2", "{}"}));
  ASSERT_TRUE(AppendAudit(conn(), {"bob", "run.created", "run", "3", "{}"}));

  auto entries = QueryAudit(conn(), "alice", "run.created", testing::Now() - kNanosPerDay);

  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].entity_id, "2");
  EXPECT_EQ((*entries)[1].entity_id, "1");
  EXPECT_EQ((*entries)[1].payload_json, R"({"strategy": "sma-cross"})");
  EXPECT_EQ((*entries)[1].entity_type, "run");
  EXPECT_GT((*entries)[0].id, (*entries)[1].id);
  EXPECT_GE((*entries)[0].time, (*entries)[1].time);
  EXPECT_NEAR(static_cast<double>((*entries)[0].time), static_cast<double>(testing::Now()),
              60.0 * kNanosPerSecond);
}

TEST_F(AuditLogTest, QueryHonoursSince) {
  auto entries = QueryAudit(conn(), "alice", "run.created", testing::Now() + kNanosPerDay);

  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_THAT(*entries, IsEmpty());
}

TEST_F(AuditLogTest, UpdateIsRefused) {
  auto updated = ExecuteSql(conn(), "UPDATE audit_log SET actor = 'mallory'");

  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().message, "SQL failed: audit_log is append-only: UPDATE is not allowed");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM audit_log WHERE actor = 'mallory'"), "0");
}

TEST_F(AuditLogTest, DeleteIsRefused) {
  auto deleted = ExecuteSql(conn(), "DELETE FROM audit_log");

  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().message, "SQL failed: audit_log is append-only: DELETE is not allowed");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM audit_log WHERE actor = 'alice'"), "1");
}

TEST_F(AuditLogTest, TruncateIsRefused) {
  auto truncated = ExecuteSql(conn(), "TRUNCATE audit_log");

  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().message,
            "SQL failed: audit_log is append-only: TRUNCATE is not allowed");
}

TEST_F(AuditLogTest, ReplicationRoleDoesNotSilenceTheTrigger) {
  if (!IsSuperuser()) GTEST_SKIP() << "needs a superuser to set session_replication_role";

  auto deleted =
      ExecuteSql(conn(), "SET LOCAL session_replication_role = replica; DELETE FROM audit_log");

  ASSERT_FALSE(deleted);
  EXPECT_THAT(deleted.error().message, HasSubstr("audit_log is append-only"));
}

TEST_F(AuditLogTest, ApplicationRoleMayOnlyInsertAndSelect) {
  const std::string privileges = SqlValue(
      "SELECT string_agg(p || '=' || has_table_privilege('wyckoff_app', 'audit_log', p), ',') "
      "FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', "
      "'TRIGGER']) AS p");

  EXPECT_EQ(privileges,
            "SELECT=true,INSERT=true,UPDATE=false,DELETE=false,TRUNCATE=false,"
            "REFERENCES=false,TRIGGER=false");
}

TEST_F(AuditLogTest, ApplicationRoleIsDeniedUpdateAndDelete) {
  if (!IsSuperuser()) GTEST_SKIP() << "needs a superuser to SET ROLE wyckoff_app";

  auto inserted =
      ExecuteSql(conn(),
                 "SET LOCAL ROLE wyckoff_app; INSERT INTO audit_log (actor, action, entity_type, "
                 "entity_id) VALUES ('app', 'run.created', 'run', '9'); "
                 "SELECT count(*) FROM audit_log WHERE actor = 'app'");
  auto updated = ExecuteSql(conn(), "SET LOCAL ROLE wyckoff_app; UPDATE audit_log SET actor = 'x'");
  auto deleted = ExecuteSql(conn(), "SET LOCAL ROLE wyckoff_app; DELETE FROM audit_log");

  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_EQ((*inserted)[0][0], "1");
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().message, "SQL failed: permission denied for table audit_log");
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().message, "SQL failed: permission denied for table audit_log");
}

TEST_F(AuditLogTest, SecondDatabaseOnTheServerFindsTheRoleAndMigrates) {
  // Roles belong to the server: migrating another database must reuse wyckoff_app.
  const std::string second = database() + "_second";
  ASSERT_TRUE(ExecuteSql(admin(), "CREATE DATABASE " + second));
  Result<std::vector<std::string>> applied;
  {
    auto conn2 = Connect(server_url(), {.database = second});
    ASSERT_TRUE(conn2) << conn2.error().message;
    applied = Migrate(*conn2, testing::kMigrationsDir, testing::kActor);
  }
  auto dropped = ExecuteSql(admin(), "DROP DATABASE " + second + " WITH (FORCE)");

  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->size(), testing::kAllMigrations.size());
  EXPECT_TRUE(dropped) << dropped.error().message;
  EXPECT_EQ(SqlValue("SELECT count(*) FROM pg_roles WHERE rolname = 'wyckoff_app'"), "1");
}

TEST_F(AuditLogTest, EmptyActorIsRejected) {
  auto id = AppendAudit(conn(), {"", "run.created", "run", "1", "{}"});

  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(AuditLogTest, PayloadThatIsNotJsonIsRejected) {
  auto id = AppendAudit(conn(), {"alice", "run.created", "run", "1", "{not json"});

  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(id.error().message, HasSubstr("invalid input syntax for type json"));
  EXPECT_EQ(id.error().message.find('\n'), std::string::npos);
}

TEST(OsUserTest, NamesTheProcessOwner) {
  const std::string user = OsUser();

  EXPECT_FALSE(user.empty());
  EXPECT_EQ(user.find(' '), std::string::npos);
}

}  // namespace
}  // namespace wyckoff::db
