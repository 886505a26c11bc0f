#include "test_database.h"

#include <chrono>
#include <cstdlib>
#include <random>

#include "wyckoff/db/migrations.h"

namespace wyckoff::db::testing {

std::string RandomSuffix() {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 12; ++i) out += kHex[generator() % 16];
  return out;
}

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void DatabaseTest::SetUp() {
  const char* url = std::getenv("WYCKOFF_TEST_DB");
  if (url == nullptr || *url == '\0') {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
      FAIL() << "WYCKOFF_TEST_DB is not set, and CI is: the database integration tests must "
                "run against a real server; run them under "
                "`scripts/pg-test-server.sh run -- ctest -L integration-db`";
    }
    GTEST_SKIP() << "WYCKOFF_TEST_DB is not set; run under "
                    "`scripts/pg-test-server.sh run -- ctest -L integration-db` to test against "
                    "a throwaway PostgreSQL server";
  }
  url_ = url;
  auto admin = Connect(url_);
  ASSERT_TRUE(admin) << admin.error().message;
  admin_.emplace(std::move(*admin));
  const std::string name = "test_" + RandomSuffix();
  auto created = ExecuteSql(*admin_, "CREATE DATABASE " + name);
  ASSERT_TRUE(created) << created.error().message;
  database_ = name;
  auto conn = Connect(url_, {.database = database_});
  ASSERT_TRUE(conn) << conn.error().message;
  conn_.emplace(std::move(*conn));
}

void DatabaseTest::TearDown() {
  conn_.reset();
  if (admin_ && !database_.empty()) {
    auto dropped = ExecuteSql(*admin_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    EXPECT_TRUE(dropped) << dropped.error().message;
  }
  admin_.reset();
}

std::vector<SqlRow> DatabaseTest::Sql(std::string_view sql) {
  auto rows = ExecuteSql(conn(), sql);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? *rows : std::vector<SqlRow>{};
}

std::string DatabaseTest::SqlValue(std::string_view sql) {
  const std::vector<SqlRow> rows = Sql(sql);
  EXPECT_EQ(rows.size(), 1u) << sql;
  if (rows.size() != 1 || rows[0].empty()) return "";
  return rows[0][0].value_or("");
}

Result<Connection> DatabaseTest::ConnectAgain() { return Connect(url_, {.database = database_}); }

void MigratedDatabaseTest::SetUp() {
  DatabaseTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  auto applied = Migrate(conn(), kMigrationsDir, kActor);
  ASSERT_TRUE(applied) << applied.error().message;
}

TempDir::TempDir()
    : path_(std::filesystem::temp_directory_path() / ("wyckoff-db-test-" + RandomSuffix())) {
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace wyckoff::db::testing
