#include "wyckoff/db/runs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_database.h"
#include "wyckoff/db/audit_log.h"

namespace wyckoff::db {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RunsTest : public testing::MigratedDatabaseTest {
 protected:
  static RunSpec Spec(std::string strategy) {
    return RunSpec{.strategy = std::move(strategy),
                   .symbols = {"ORCL", "KO"},
                   .timeframe = "1d",
                   .data_source = "postgresql:ORCL:1d",
                   .parameters_json = R"({"fast": 10, "slow": 30})",
                   .actor = "alice"};
  }
};

TEST_F(RunsTest, CreatedRunIsRunningAndAudited) {
  auto id = CreateRun(conn(), Spec("sma-cross"));

  ASSERT_TRUE(id) << id.error().message;
  auto runs = RecentRuns(conn());
  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 1u);
  const RunSummary& run = runs->front();
  EXPECT_EQ(run.id, *id);
  EXPECT_EQ(run.status, "RUNNING");
  EXPECT_EQ(run.kind, "backtest");
  EXPECT_THAT(run.symbols, ElementsAre("ORCL", "KO"));
  EXPECT_EQ(run.actor, "alice");
  EXPECT_EQ(run.finished_at, std::nullopt);
  EXPECT_EQ(run.net_pnl, std::nullopt);
  auto audit = QueryAudit(conn(), "alice", kActionRunCreated, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].entity_id, std::to_string(*id));
  EXPECT_THAT((*audit)[0].payload_json, HasSubstr(R"("parameters": {"fast": 10, "slow": 30})"));
}

TEST_F(RunsTest, FailedRunRecordsReasonAndAuditEntry) {
  auto id = CreateRun(conn(), Spec("sma-cross"));
  ASSERT_TRUE(id) << id.error().message;

  auto failed = FailRun(conn(), *id, "database went away", "alice");
  auto twice = FailRun(conn(), *id, "again", "alice");
  auto unknown = FailRun(conn(), *id + 1000, "nope", "alice");

  ASSERT_TRUE(failed) << failed.error().message;
  auto runs = RecentRuns(conn());
  ASSERT_TRUE(runs) << runs.error().message;
  EXPECT_EQ(runs->front().status, "FAILED");
  EXPECT_EQ(runs->front().error_message, "database went away");
  EXPECT_NE(runs->front().finished_at, std::nullopt);
  auto audit = QueryAudit(conn(), "alice", kActionRunFailed, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].payload_json, R"({"reason": "database went away"})");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(twice.error().message, "run " + std::to_string(*id) + " is FAILED, not RUNNING");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_F(RunsTest, RecentRunsAreNewestFirstWithHeadlineMetrics) {
  auto first = CreateRun(conn(), Spec("sma-cross"));
  auto second = CreateRun(conn(), Spec("wyckoff"));
  auto third = CreateRun(conn(), Spec("sma-cross"));
  ASSERT_TRUE(first && second && third);
  Sql("UPDATE backtest_runs SET status = 'COMPLETED', finished_at = now(), net_pnl = 1234.5, "
      "total_return = 0.012345, max_drawdown = 0.1, sharpe = 1.23456789012345678, "
      "win_rate = 0.5, trade_count = 12, digest = 'abc' WHERE id = " +
      std::to_string(*second));

  auto runs = RecentRuns(conn(), 2);

  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, *third);
  EXPECT_EQ((*runs)[1].id, *second);
  EXPECT_EQ((*runs)[1].status, "COMPLETED");
  EXPECT_EQ((*runs)[1].net_pnl->ToString(), "1234.5");
  EXPECT_EQ((*runs)[1].sharpe->ToString(), "1.234567890123");  // rounded to 12 places
  EXPECT_EQ((*runs)[1].trade_count, 12);
  EXPECT_EQ((*runs)[1].digest, "abc");
}

TEST_F(RunsTest, RunningRunsListsOnlyRunningOnes) {
  auto done = CreateRun(conn(), Spec("sma-cross"));
  auto running = CreateRun(conn(), Spec("wyckoff"));
  ASSERT_TRUE(done && running);
  ASSERT_TRUE(FailRun(conn(), *done, "crashed", "alice"));

  auto runs = RunningRuns(conn());

  ASSERT_TRUE(runs) << runs.error().message;
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().id, *running);
}

TEST_F(RunsTest, BadSpecIsRejected) {
  RunSpec no_symbols = Spec("sma-cross");
  no_symbols.symbols.clear();
  RunSpec bad_kind = Spec("sma-cross");
  bad_kind.kind = "forward";
  RunSpec bad_json = Spec("sma-cross");
  bad_json.parameters_json = "{fast: 10}";

  auto a = CreateRun(conn(), no_symbols);
  auto b = CreateRun(conn(), bad_kind);
  auto c = CreateRun(conn(), bad_json);

  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(c.error().message, HasSubstr("invalid input syntax for type json"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM backtest_runs"), "0");
}

}  // namespace
}  // namespace wyckoff::db
