#include "wyckoff/db/queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_database.h"
#include "wyckoff/db/runs.h"

namespace wyckoff::db {
namespace {

using ::testing::HasSubstr;

class QueriesTest : public testing::MigratedDatabaseTest {};

TEST_F(QueriesTest, RecentPatternsFiltersBySymbolTypeAndTimeNewestFirst) {
  Sql("INSERT INTO pattern_events (symbol, timeframe, type, time, phase, price, range_low, "
      "range_high, confidence) VALUES "
      "('ORCL', '1d', 'SPRING', now() - interval '40 days', 'C', 10, 9, 12, 0.5), "
      "('ORCL', '1d', 'SPRING', now() - interval '10 days', 'C', 10.25, 9, 12, 0.75), "
      "('ORCL', '1d', 'SPRING', now() - interval '2 days', NULL, 10.5, NULL, NULL, NULL), "
      "('ORCL', '1d', 'UTAD', now() - interval '1 day', 'E', 13, 9, 12, 0.5), "
      "('KO', '1d', 'SPRING', now() - interval '1 day', 'C', 40, 39, 45, 0.5)");

  auto events = RecentPatterns(conn(), "ORCL", "SPRING", testing::Now() - 30 * kNanosPerDay);

  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].price.ToString(), "10.5");
  EXPECT_EQ((*events)[0].phase, "");
  EXPECT_EQ((*events)[0].confidence, std::nullopt);
  EXPECT_EQ((*events)[1].price.ToString(), "10.25");
  EXPECT_EQ((*events)[1].range_high->ToString(), "12");
  EXPECT_EQ((*events)[1].confidence->ToString(), "0.75");
  EXPECT_GT((*events)[0].time, (*events)[1].time);
}

TEST_F(QueriesTest, ActiveSignalsAreTheSymbolsActiveOnesNewestFirst) {
  Sql("INSERT INTO signals (symbol, strategy, side, status, created_at, entry_price, "
      "stop_price, target_price, quantity) VALUES "
      "('ORCL', 'wyckoff', 'BUY', 'ACTIVE', now() - interval '3 days', 10, 9, 13, 100), "
      "('ORCL', 'wyckoff', 'BUY', 'ACTIVE', now() - interval '1 day', 10.5, 9.5, 13.5, 50), "
      "('ORCL', 'wyckoff', 'BUY', 'FILLED', now(), 11, 10, 14, 100), "
      "('KO', 'wyckoff', 'SELL', 'ACTIVE', now(), 40, 42, 35, 10)");

  auto signals = ActiveSignals(conn(), "ORCL");

  ASSERT_TRUE(signals) << signals.error().message;
  ASSERT_EQ(signals->size(), 2u);
  EXPECT_EQ((*signals)[0].entry_price->ToString(), "10.5");
  EXPECT_EQ((*signals)[0].quantity->ToString(), "50");
  EXPECT_EQ((*signals)[1].entry_price->ToString(), "10");
  EXPECT_EQ((*signals)[1].status, "ACTIVE");
  EXPECT_EQ((*signals)[1].side, "BUY");
}

TEST_F(QueriesTest, PortfolioSummaryAggregatesTradesAndFillsExactly) {
  auto run = CreateRun(conn(), {.strategy = "wyckoff", .symbols = {"A", "B"}, .timeframe = "1d"});
  ASSERT_TRUE(run) << run.error().message;
  const std::string id = std::to_string(*run);
  Sql("INSERT INTO orders (run_id, order_id, symbol, side, type, quantity, created_time, "
      "status) VALUES "
      "(" +
      id +
      ", 1, 'A', 'BUY', 'MARKET', 100, '2000-01-03+00', 'FILLED'), "
      "(" +
      id +
      ", 2, 'A', 'SELL', 'MARKET', 100, '2000-01-10+00', 'FILLED'), "
      "(" +
      id +
      ", 3, 'B', 'BUY', 'MARKET', 50, '2000-01-11+00', 'FILLED'); "
      "INSERT INTO fills (run_id, fill_id, order_id, symbol, side, time, price, quantity, "
      "commission) VALUES "
      "(" +
      id +
      ", 1, 1, 'A', 'BUY', '2000-01-04+00', 10.10, 100, 1), "
      "(" +
      id +
      ", 2, 2, 'A', 'SELL', '2000-01-11+00', 10.20, 100, 1), "
      "(" +
      id +
      ", 3, 3, 'B', 'BUY', '2000-01-12+00', 20, 50, 1); "
      "INSERT INTO trades (run_id, trade_id, symbol, entry_time, exit_time, entry_price, "
      "exit_price, quantity, pnl, fees, bars_held) VALUES "
      "(" +
      id +
      ", 1, 'A', '2000-01-04+00', '2000-01-11+00', 10.10, 10.20, 100, 8.00, 2, 5), "
      "(" +
      id +
      ", 2, 'A', '2000-01-12+00', '2000-01-13+00', 10.20, 10.17, 100, -3.10, 0.1, 1), "
      "(" +
      id + ", 3, 'A', '2000-01-14+00', '2000-01-15+00', 10.20, 10.20, 100, 0, 0, 1)");

  auto summary = GetPortfolioSummary(conn(), *run);
  auto missing = GetPortfolioSummary(conn(), *run + 1000);

  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->total_pnl.ToString(), "4.9");
  EXPECT_EQ(summary->total_fees.ToString(), "2.1");
  EXPECT_EQ(summary->trade_count, 3);
  EXPECT_EQ(summary->winning_trades, 1);
  EXPECT_EQ(summary->win_rate.ToString(), "0.333333333333");
  EXPECT_EQ(summary->open_positions, 1);  // B bought 50, never sold
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(QueriesTest, PortfolioSummaryOfARunWithoutTradesIsZero) {
  auto run = CreateRun(conn(), {.strategy = "wyckoff", .symbols = {"A"}, .timeframe = "1d"});
  ASSERT_TRUE(run) << run.error().message;

  auto summary = GetPortfolioSummary(conn(), *run);

  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_TRUE(summary->total_pnl.IsZero());
  EXPECT_TRUE(summary->win_rate.IsZero());
  EXPECT_EQ(summary->trade_count, 0);
  EXPECT_EQ(summary->open_positions, 0);
}

TEST_F(QueriesTest, ExplainShowsAPlan) {
  auto plan = ExplainQuery(conn(), QueryShape::kActiveSignals, {.symbol = "ORCL"});

  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(*plan, HasSubstr("signals"));
}

}  // namespace
}  // namespace wyckoff::db
