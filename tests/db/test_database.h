// TestDatabase: each integration test of wyckoff::db gets a fresh database of its own on the
// server named by WYCKOFF_TEST_DB, dropped when the test ends.
//
//   class BarsTest : public MigratedDatabaseTest {};   // fresh database, migrations applied
//   TEST_F(BarsTest, Something) {
//     auto bars = LoadBars(conn(), "ORCL", "1d");
//     auto rows = Sql("SELECT count(*) FROM bars");     // asserts success
//   }
//
// Without WYCKOFF_TEST_DB the tests skip, saying why; when the environment variable CI is set
// they fail instead, so that CI never passes by skipping them. Start a server with
//   scripts/pg-test-server.sh run -- ctest --preset release -L integration-db
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"

namespace wyckoff::db::testing {

// The migrations of the source tree.
inline const std::filesystem::path kMigrationsDir =
    std::filesystem::path(WYCKOFF_SOURCE_DIR) / "db" / "migrations";

// The file names of kMigrationsDir, in order.
inline const std::vector<std::string> kAllMigrations = {"0001_schema.sql",
                                                        "0002_audit_log_append_only.sql",
                                                        "0003_application_role.sql",
                                                        "0004_run_results.sql",
                                                        "0005_single_bar_windows.sql",
                                                        "0006_equity_points_statement_checks.sql"};

// The actor the tests record.
inline constexpr std::string_view kActor = "tester";

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  Connection& conn() { return *conn_; }
  const std::string& database() const { return database_; }
  const std::string& server_url() const { return url_; }

  // Runs SQL on conn() and returns its rows; a failure fails the test (the rows are empty).
  std::vector<SqlRow> Sql(std::string_view sql);
  // The single value of a one-row, one-column query ("" for NULL).
  std::string SqlValue(std::string_view sql);
  // Another session on this test's database.
  Result<Connection> ConnectAgain();
  // The admin session (on the database of WYCKOFF_TEST_DB).
  Connection& admin() { return *admin_; }

 private:
  std::string url_;
  std::string database_;
  std::optional<Connection> admin_;
  std::optional<Connection> conn_;
};

// A DatabaseTest whose database has all of kMigrationsDir applied.
class MigratedDatabaseTest : public DatabaseTest {
 protected:
  void SetUp() override;
};

// A fresh, empty folder under the system's temporary folder, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Random lower-case hex, for unique names.
std::string RandomSuffix();

// Nanoseconds since the epoch, now.
Timestamp Now();

}  // namespace wyckoff::db::testing
