// On a database loaded like production (100,000 bars over 10 symbols, 20,000 pattern events
// and signals, 50,000 audit entries, 2,000 runs with 20,000 trades and their orders and fills;
// see fixtures/database_seed.h), every query shape is planned on the index meant for it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "test_database.h"
#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"
#include "wyckoff/db/queries.h"
#include "wyckoff/db/runs.h"
#include "wyckoff/fixtures/database_seed.h"

namespace wyckoff::db {
namespace {

using fixtures::SyntheticSymbol;
using ::testing::HasSubstr;
using ::testing::Not;

struct PlanCase {
  QueryShape shape;
  std::vector<std::string> indexes;  // each must appear in the plan
  std::string table;                 // which must not be scanned sequentially
};

// Names the case in test listings (ctest shows the parameter).
void PrintTo(const PlanCase& c, std::ostream* os) { *os << QueryShapeName(c.shape); }

class SeededDatabaseTest : public testing::MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto sql = fixtures::SyntheticDataSql({});
    ASSERT_TRUE(sql) << sql.error().message;
    Sql(*sql);  // fails the test on an error
    Sql("ANALYZE");
  }

  // Arguments like those of the real callers: a year of one symbol's bars, the last 30 days
  // of patterns, the last 7 days of an actor's audit entries, one run.
  static QueryArgs ArgsFor(QueryShape shape) {
    const Timestamp now = testing::Now();
    switch (shape) {
      case QueryShape::kBarsInRange:
        return {.symbol = SyntheticSymbol(3),
                .timeframe = "1d",
                .from = *ParseDate("2000-01-01"),
                .to = *ParseDate("2001-01-01")};
      case QueryShape::kRecentPatterns:
        return {.symbol = SyntheticSymbol(3), .type = "SPRING", .from = now - 30 * kNanosPerDay};
      case QueryShape::kAuditByActorAction:
        return {.actor = "actor-07",
                .action = std::string(kActionRunCompleted),
                .from = now - 7 * kNanosPerDay};
      case QueryShape::kPortfolioSummary:
        return {.run_id = 1242};
      default:
        return {.symbol = SyntheticSymbol(3)};
    }
  }
};

class QueryPlanTest : public SeededDatabaseTest, public ::testing::WithParamInterface<PlanCase> {};

TEST_P(QueryPlanTest, UsesTheIntendedIndex) {
  const PlanCase& c = GetParam();

  auto plan = ExplainQuery(conn(), c.shape, ArgsFor(c.shape));

  ASSERT_TRUE(plan) << plan.error().message;
  for (const std::string& index : c.indexes) EXPECT_THAT(*plan, HasSubstr(index)) << *plan;
  EXPECT_THAT(*plan, Not(HasSubstr("Seq Scan on " + c.table))) << *plan;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, QueryPlanTest,
    ::testing::Values(
        PlanCase{QueryShape::kBarsInRange, {"bars_symbol_timeframe_time_key"}, "bars"},
        PlanCase{
            QueryShape::kRecentPatterns, {"pattern_events_symbol_type_time_idx"}, "pattern_events"},
        PlanCase{QueryShape::kActiveSignals, {"signals_symbol_status_created_idx"}, "signals"},
        PlanCase{QueryShape::kAuditByActorAction, {"audit_log_actor_action_time_idx"}, "audit_log"},
        PlanCase{QueryShape::kPortfolioSummary, {"trades_pkey", "fills_pkey"}, "trades"},
        PlanCase{QueryShape::kRunningRuns, {"backtest_runs_running_idx"}, "backtest_runs"}),
    [](const ::testing::TestParamInfo<PlanCase>& param) {
      std::string name(QueryShapeName(param.param.shape));
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return name;
    });

// The same loaded database answers each shape through the typed functions.
TEST_F(SeededDatabaseTest, EveryQueryShapeReturnsRows) {
  const Timestamp now = testing::Now();

  auto bars = LoadBars(conn(), SyntheticSymbol(3), "1d", *ParseDate("2000-01-01"),
                       *ParseDate("2001-01-01"));
  auto patterns = RecentPatterns(conn(), SyntheticSymbol(3), "SPRING", now - 30 * kNanosPerDay);
  auto signals = ActiveSignals(conn(), SyntheticSymbol(3));
  auto audit = QueryAudit(conn(), "actor-07", kActionRunCompleted, now - 7 * kNanosPerDay);
  auto portfolio = GetPortfolioSummary(conn(), 1242);  // 1242 % 3 == 0: one position open
  auto running = RunningRuns(conn());

  ASSERT_TRUE(bars) << bars.error().message;
  EXPECT_EQ(bars->size(), 366u);  // 2000 is a leap year
  ASSERT_TRUE(patterns) << patterns.error().message;
  EXPECT_FALSE(patterns->empty());
  ASSERT_TRUE(signals) << signals.error().message;
  EXPECT_FALSE(signals->empty());
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_FALSE(audit->empty());
  ASSERT_TRUE(portfolio) << portfolio.error().message;
  EXPECT_EQ(portfolio->trade_count, 9);
  EXPECT_EQ(portfolio->open_positions, 1);
  ASSERT_TRUE(running) << running.error().message;
  EXPECT_EQ(running->size(), 4u);  // 1 run in 500
}

// Synthetic rows never mix with real ones: a second load fails whole.
TEST_F(SeededDatabaseTest, LoadingIntoADatabaseWithDataIsRefused) {
  auto sql = fixtures::SyntheticDataSql({});
  ASSERT_TRUE(sql) << sql.error().message;

  auto again = ExecuteSql(conn(), *sql);

  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(again.error().message,
              HasSubstr("refusing to load synthetic data into a database that already holds "
                        "bars, runs, pattern events or signals"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM bars"), "100000");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM backtest_runs"), "2000");
}

}  // namespace
}  // namespace wyckoff::db
