#include "wyckoff/engine/metrics.h"

#include <gtest/gtest.h>

#include "engine_builders.h"

namespace wyckoff::engine {
namespace {

using testing::D;

// Four steps spread over exactly one 365.25-day year, so periods per year = 4.
// Equity 100 -> 100, 110, 99, 121: returns 0, 0.1, -0.1, 22/99.
Metrics FourSteps(const std::vector<Trade>& trades) {
  MetricsAccumulator m(D("100"));
  const Timestamp third = 10'519'200 * kNanosPerSecond;  // 365.25 days / 3
  m.OnEquity(0, D("100"), false);
  m.OnEquity(third, D("110"), true);
  m.OnEquity(2 * third, D("99"), true);
  m.OnEquity(3 * third, D("121"), false);
  return *m.Finish(trades);
}

Trade MakeTrade(const char* pnl, std::optional<const char*> r, std::int64_t bars) {
  Trade t;
  t.pnl = D(pnl);
  if (r) t.r_multiple = D(*r);
  t.entry_index = 100;
  t.exit_index = 100 + bars;
  return t;
}

TEST(MetricsTest, ReturnsAndRatiosMatchHandComputation) {
  Metrics m = FourSteps({});
  EXPECT_EQ(m.net_profit, D("21"));
  EXPECT_DOUBLE_EQ(m.total_return, 0.21);
  ASSERT_TRUE(m.cagr.has_value());
  EXPECT_NEAR(*m.cagr, 0.21, 1e-12);  // one year exactly
  // mean = (0 + 0.1 - 0.1 + 0.2222...) / 4 = 0.0555...; sample stdev = 0.137885...
  ASSERT_TRUE(m.sharpe.has_value());
  EXPECT_NEAR(*m.sharpe, 0.0555555555555556 / 0.1378852627332318 * 2.0, 1e-12);
  // downside deviation = sqrt(0.1^2 / 4) = 0.05; sortino = 0.0555... / 0.05 x 2 = 2.2222...
  ASSERT_TRUE(m.sortino.has_value());
  EXPECT_NEAR(*m.sortino, 2.2222222222222223, 1e-12);
  EXPECT_EQ(m.steps, 4);
  EXPECT_DOUBLE_EQ(m.exposure, 0.5);
}

TEST(MetricsTest, DrawdownDepthAmountAndDuration) {
  Metrics m = FourSteps({});
  EXPECT_DOUBLE_EQ(m.max_drawdown, 0.1);  // 110 -> 99
  EXPECT_EQ(m.max_drawdown_amount, D("11"));
  EXPECT_EQ(m.max_drawdown_duration, 1);

  MetricsAccumulator never_recovers(D("100"));
  const char* path[] = {"120", "90", "100", "110", "60", "80"};
  for (int i = 0; i < 6; ++i) never_recovers.OnEquity(i * kNanosPerDay, D(path[i]), true);
  Metrics n = *never_recovers.Finish({});
  EXPECT_DOUBLE_EQ(n.max_drawdown, 0.5);  // 120 -> 60
  EXPECT_EQ(n.max_drawdown_amount, D("60"));
  EXPECT_EQ(n.max_drawdown_duration, 5);  // below 120 from the 2nd step to the end
}

TEST(MetricsTest, TradeStatistics) {
  Metrics m = FourSteps({MakeTrade("30", "3", 5), MakeTrade("-10", "-1", 3),
                         MakeTrade("20", "2", 2), MakeTrade("-5", std::nullopt, 10)});
  EXPECT_EQ(m.trade_count, 4);
  EXPECT_EQ(m.winning_trades, 2);
  EXPECT_EQ(m.losing_trades, 2);
  EXPECT_DOUBLE_EQ(*m.win_rate, 0.5);
  EXPECT_EQ(*m.expectancy, D("8.75"));  // 35 / 4
  EXPECT_EQ(m.gross_profit, D("50"));
  EXPECT_EQ(m.gross_loss, D("15"));
  EXPECT_DOUBLE_EQ(*m.profit_factor, 50.0 / 15.0);
  EXPECT_DOUBLE_EQ(*m.average_r, 4.0 / 3.0);  // the three trades that carry an R
  EXPECT_DOUBLE_EQ(*m.average_bars_held, 5.0);
}

TEST(MetricsTest, UndefinedValuesAreEmpty) {
  MetricsAccumulator one(D("100"));
  one.OnEquity(0, D("100"), false);
  Metrics m = *one.Finish({MakeTrade("5", std::nullopt, 1)});
  EXPECT_FALSE(m.sharpe.has_value());
  EXPECT_FALSE(m.sortino.has_value());
  EXPECT_FALSE(m.cagr.has_value());
  EXPECT_FALSE(m.profit_factor.has_value());  // no losing trade
  EXPECT_FALSE(m.average_r.has_value());
  Metrics none = *MetricsAccumulator(D("100")).Finish({});
  EXPECT_FALSE(none.win_rate.has_value());
  EXPECT_FALSE(none.expectancy.has_value());
}

TEST(MetricsTest, ASumOfTradesBeyondTheDecimalRangeIsAnError) {
  Trade huge;
  huge.pnl = *Decimal::Parse("100000000000000000000000000");  // 1e26
  auto m = MetricsAccumulator(D("100")).Finish({huge, huge});
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().message,
            "the sum of the trades' P&L left the exact decimal range (about 1.7e26)");
}

}  // namespace
}  // namespace wyckoff::engine
