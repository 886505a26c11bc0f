// `wyckoff walk-forward --db` end to end against a real PostgreSQL server: the run and its
// windows stored as the --out files show them (walk_forward_store.h), and a walk-forward that
// fails marked FAILED.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "stored_results.h"
#include "test_database.h"

namespace wyckoff::db {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Slurp;

struct Outcome {
  int exit_code;
  std::string out, err;
};

// Runs `wyckoff ARGS` from the repository root and captures its exit code and output.
Outcome Wyckoff(const std::string& args) {
  const testing::TempDir dir;
  const std::string cmd = "cd " WYCKOFF_SOURCE_DIR " && " WYCKOFF_CLI " " + args + " >" +
                          (dir.path() / "stdout").string() + " 2>" +
                          (dir.path() / "stderr").string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  return {WEXITSTATUS(status), Slurp(dir.path() / "stdout"), Slurp(dir.path() / "stderr")};
}

// The first `count` comma-separated fields of every line of `csv`, each line joined again.
std::string FirstFields(const std::string& csv, std::size_t count) {
  std::istringstream in(csv);
  std::string line, out;
  while (std::getline(in, line)) {
    std::size_t end = 0;
    for (std::size_t i = 0; i < count && end != std::string::npos; ++i) {
      end = line.find(',', i == 0 ? 0 : end + 1);
    }
    out += line.substr(0, end) + "\n";
  }
  return out;
}

// The run id of a `stored as run N` line.
std::string StoredRunId(const std::string& text) {
  std::smatch m;
  static const std::regex kStored(R"(stored as run (\d+))");
  return std::regex_search(text, m, kStored) ? m[1].str() : "";
}

class WalkForwardStoreTest : public testing::MigratedDatabaseTest {
 protected:
  // --db with this test's database: WYCKOFF_TEST_DB with its database name replaced.
  std::string Db() {
    static const std::regex kPath(R"(^([a-z]+://[^/?]*)(/[^?]*)?)");
    return "--db '" +
           std::regex_replace(server_url(), kPath, "$1/" + database(),
                              std::regex_constants::format_first_only) +
           "'";
  }

  // windows.csv's first columns (window to test_steps, then fast and slow), from the store.
  std::string StoredWindowsCsv(const std::string& id) {
    std::string csv =
        "window,train_start,train_end,test_start,test_end,train_steps,test_steps,"
        "fast,slow\n";
    const char* kDay = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    auto day = [&](const char* column) {
      char buf[128];
      std::snprintf(buf, sizeof buf, kDay, column);
      return std::string(buf);
    };
    for (const SqlRow& r :
         Sql("SELECT window_index + 1, " + day("in_sample_start") + ", " + day("in_sample_end") +
             ", " + day("out_of_sample_start") + ", " + day("out_of_sample_end") +
             ", in_sample_metrics->>'steps', out_of_sample_metrics->>'steps', "
             "best_parameters->>'fast', best_parameters->>'slow' FROM walk_forward_windows "
             "WHERE run_id = " +
             id + " ORDER BY window_index")) {
      for (std::size_t i = 0; i < r.size(); ++i) csv += (i ? "," : "") + r[i].value_or("");
      csv += "\n";
    }
    return csv;
  }
};

TEST_F(WalkForwardStoreTest, StoresTheRunItsWindowsAndTheOutOfSampleResults) {
  const testing::TempDir out;

  const Outcome wf = Wyckoff(
      "walk-forward " + Db() +
      " --actor alice --data data/daily/orcl-1995-2014.csv --symbol ORCL --strategy sma-cross "
      "--grid fast=5:15:5 --grid slow=30,50 --train 2y --test 1y --jobs 2 --out " +
      out.path().string());
  const std::string id = StoredRunId(wf.out);

  ASSERT_EQ(wf.exit_code, 0) << wf.err;
  ASSERT_NE(id, "") << wf.out;
  EXPECT_EQ(SqlValue("SELECT kind || ' ' || status || ' ' || strategy || ' ' || timeframe || ' ' "
                     "|| array_to_string(symbols, ',') || ' ' || actor FROM backtest_runs "
                     "WHERE id = " +
                     id),
            "walk-forward COMPLETED sma-cross 1d ORCL alice");
  EXPECT_EQ(SqlValue("SELECT parameters::text FROM backtest_runs WHERE id = " + id),
            R"({"grid": {"fast": ["5", "10", "15"], "slow": ["30", "50"]}, "fixed": {}})");
  EXPECT_EQ(SqlValue("SELECT settings->>'train' || ' ' || (settings->>'test') || ' ' || "
                     "(settings->>'objective') FROM backtest_runs WHERE id = " +
                     id),
            "2y 1y sharpe");
  const std::string windows_csv = Slurp(out.path() / "windows.csv");
  EXPECT_EQ(StoredWindowsCsv(id), FirstFields(windows_csv, 9));
  EXPECT_EQ(std::count(windows_csv.begin(), windows_csv.end(), '\n'), 19);  // 1995-2014
  EXPECT_EQ(SqlValue("SELECT count(*) FROM walk_forward_windows WHERE run_id = " + id), "18");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM trades WHERE run_id = " + id), "60");
  EXPECT_EQ(testing::StoredTradesCsv(conn(), std::stoll(id)),
            FirstFields(Slurp(out.path() / "oos_trades.csv"), 12));
  EXPECT_EQ(testing::StoredEquityCsv(conn(), std::stoll(id)),
            FirstFields(Slurp(out.path() / "oos_equity.csv"), 3));
  const std::string digest = SqlValue("SELECT digest FROM backtest_runs WHERE id = " + id);
  EXPECT_EQ(digest.size(), 16u);
  EXPECT_THAT(Slurp(out.path() / "summary.json"), HasSubstr("\"" + digest + "\""));
  EXPECT_EQ(SqlValue("SELECT trade_count FROM backtest_runs WHERE id = " + id),
            SqlValue("SELECT count(*) FROM trades WHERE run_id = " + id));
  EXPECT_EQ(SqlValue("SELECT string_agg(action || ':' || actor || ':' || "
                     "coalesce(payload->>'windows', '-'), ' ' ORDER BY id) FROM audit_log "
                     "WHERE entity_type = 'run' AND entity_id = '" +
                     id + "'"),
            "run.created:alice:- run.completed:alice:" +
                SqlValue("SELECT count(*) FROM walk_forward_windows WHERE run_id = " + id));
}

TEST_F(WalkForwardStoreTest, AFailedWalkForwardIsMarkedFailedWithoutWindows) {
  const Outcome wf = Wyckoff("walk-forward " + Db() +
                             " --actor alice --data data/daily/orcl-1995-2014.csv --strategy "
                             "sma-cross --grid fast=5,10 --train 30y --test 1y --jobs 1");

  EXPECT_EQ(wf.exit_code, 2);
  EXPECT_THAT(wf.err, HasSubstr("data too short for one walk-forward window"));
  EXPECT_EQ(SqlValue("SELECT kind || ' ' || status FROM backtest_runs"), "walk-forward FAILED");
  EXPECT_THAT(SqlValue("SELECT error_message FROM backtest_runs"),
              HasSubstr("data too short for one walk-forward window"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM walk_forward_windows"), "0");
  EXPECT_EQ(SqlValue("SELECT string_agg(action, ' ' ORDER BY id) FROM audit_log "
                     "WHERE entity_type = 'run'"),
            "run.created run.failed");
}

}  // namespace
}  // namespace wyckoff::db
