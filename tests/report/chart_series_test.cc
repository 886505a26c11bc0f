#include "wyckoff/report/chart_series.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine_builders.h"

namespace wyckoff::report {
namespace {

using testing::BarBuilder;
using testing::D;

constexpr std::int64_t kMonday = 1'704'067'200;  // 2024-01-01 00:00 UTC, a Monday
constexpr Timestamp kSecond = kNanosPerSecond;

Bar MinuteBar(std::int64_t minute, std::string_view o, std::string_view h, std::string_view l,
              std::string_view c, std::int64_t volume) {
  return BarBuilder()
      .Time((kMonday + 9 * 3600 + 30 * 60 + minute * 60) * kSecond)  // Monday 09:30
      .Ohlc(o, h, l, c)
      .Volume(volume)
      .Build();
}

std::string Text(const ChartBar& b) {
  return std::to_string(b.time) + " " + b.open.ToString() + " " + b.high.ToString() + " " +
         b.low.ToString() + " " + b.close.ToString() + " " + b.volume.ToString();
}

TEST(ChartSeriesTest, PeriodsStartOnMondays) {
  EXPECT_EQ(PeriodStart(kMonday + 5 * 86'400 + 3600, 604'800), kMonday);  // Saturday
  EXPECT_EQ(PeriodStart(kMonday + 9 * 3600 + 31 * 60 + 7, 300), kMonday + 9 * 3600 + 30 * 60);
  EXPECT_EQ(PeriodStart(-1, 86'400), -86'400);  // 1969-12-31: before the epoch, rounded down
  EXPECT_EQ(ToSeconds(-1), -1);
  EXPECT_EQ(ToSeconds(1'500'000'000), 1);
}

TEST(ChartSeriesTest, KeepsEveryBarUpToTheLimit) {
  BarSeries s(3);
  s.Add(MinuteBar(0, "10", "11", "9.5", "10.5", 100));
  s.Add(MinuteBar(1, "10.5", "10.75", "10.25", "10.5", 200));
  s.Add(MinuteBar(2, "10.5", "12", "10", "11.999999999999", 300));
  ASSERT_EQ(s.rows().size(), 3u);
  EXPECT_EQ(s.period(), 0);
  EXPECT_FALSE(s.aggregated());
  EXPECT_EQ(s.count(), 3);
  const std::int64_t open = kMonday + 9 * 3600 + 30 * 60;
  EXPECT_EQ(Text(s.rows()[0]), std::to_string(open) + " 10 11 9.5 10.5 100");
  EXPECT_EQ(Text(s.rows()[2]), std::to_string(open + 120) + " 10.5 12 10 11.999999999999 300");
}

TEST(ChartSeriesTest, MergesIntoTheFirstPeriodThatFits) {
  BarSeries s(4);
  for (int m = 0; m < 10; ++m) {
    const std::string p = std::to_string(10 + m);
    s.Add(MinuteBar(m, p, std::to_string(11 + m), std::to_string(9 + m), p, 100 + m));
  }
  // 10 one-minute bars, at most 4 rows: 5-minute periods (09:30 and 09:35) are the first that fit.
  EXPECT_EQ(s.period(), 300);
  EXPECT_TRUE(s.aggregated());
  EXPECT_EQ(s.count(), 10);
  ASSERT_EQ(s.rows().size(), 2u);
  const std::int64_t open = kMonday + 9 * 3600 + 30 * 60;
  EXPECT_EQ(Text(s.rows()[0]), std::to_string(open) + " 10 15 9 14 510");
  EXPECT_EQ(Text(s.rows()[1]), std::to_string(open + 300) + " 15 20 14 19 535");
}

TEST(ChartSeriesTest, LaterBarsJoinTheirPeriod) {
  BarSeries s(4);
  for (int m = 0; m < 10; ++m) s.Add(MinuteBar(m, "10", "11", "9", "10", 1));
  s.Add(MinuteBar(10, "10", "30", "1", "7", 5));  // 09:40: a new 5-minute row
  s.Add(MinuteBar(11, "7", "8", "6", "6.5", 5));  // 09:41: the same row
  EXPECT_EQ(s.period(), 300);
  ASSERT_EQ(s.rows().size(), 3u);
  const std::int64_t open = kMonday + 9 * 3600 + 30 * 60;
  EXPECT_EQ(Text(s.rows()[2]), std::to_string(open + 600) + " 10 30 1 6.5 10");
}

TEST(ChartSeriesTest, MergingInStepsEqualsMergingOnce) {
  // 3000 bars of a random walk, two a day on weekdays (300 weeks); a limit of 80 ends in
  // 4-week periods after several steps. Each row must equal the aggregation of its bars done at
  // once.
  std::vector<Bar> bars;
  std::uint64_t state = 7;
  std::int64_t price = 10'000;
  Timestamp t = (kMonday)*kSecond;
  while (bars.size() < 3000) {
    for (int half = 0; half < 2; ++half) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const std::int64_t move = static_cast<std::int64_t>(state >> 60) - 8;
      const std::int64_t open = price;
      price = std::max<std::int64_t>(100, price + move * 10);
      const std::int64_t high = std::max(open, price) + 5, low = std::min(open, price) - 5;
      Bar b;
      b.time = t + half * 6 * 3600 * kSecond;
      b.open = Decimal::FromInt(open) / Decimal::FromInt(100);
      b.high = Decimal::FromInt(high) / Decimal::FromInt(100);
      b.low = Decimal::FromInt(low) / Decimal::FromInt(100);
      b.close = Decimal::FromInt(price) / Decimal::FromInt(100);
      b.volume = Decimal::FromInt(static_cast<std::int64_t>(state >> 40));
      bars.push_back(b);
    }
    t += kNanosPerDay * ((t / kNanosPerDay + 3) % 7 == 4 ? 3 : 1);  // Friday to Monday
  }
  BarSeries s(80);
  for (const Bar& b : bars) s.Add(b);
  EXPECT_EQ(s.period(), 2'419'200);
  std::vector<ChartBar> once;
  for (const Bar& b : bars) {
    const std::int64_t at = PeriodStart(ToSeconds(b.time), s.period());
    if (!once.empty() && once.back().time == at) {
      once.back().high = Max(once.back().high, b.high);
      once.back().low = Min(once.back().low, b.low);
      once.back().close = b.close;
      once.back().volume += b.volume;
    } else {
      once.push_back({at, b.open, b.high, b.low, b.close, b.volume});
    }
  }
  ASSERT_EQ(s.rows().size(), once.size());
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_EQ(Text(s.rows()[i]), Text(once[i]));
}

TEST(ChartSeriesTest, TwoBarsInOneSecondShareA1SecondPeriod) {
  BarSeries s(100);
  s.Add(BarBuilder().Time(kMonday * kSecond + 200'000'000).Ohlc("1", "2", "1", "2").Build());
  s.Add(BarBuilder().Time(kMonday * kSecond + 700'000'000).Ohlc("2", "3", "0.5", "1").Build());
  EXPECT_EQ(s.period(), 1);
  ASSERT_EQ(s.rows().size(), 1u);
  EXPECT_EQ(Text(s.rows()[0]), std::to_string(kMonday) + " 1 3 0.5 1 2000");
}

TEST(ChartSeriesTest, EquityKeepsTheLastValuesAndTheExtremes) {
  EquitySeries s(2);
  const std::int64_t day = kMonday;
  for (const auto& [offset, cash, equity] : std::vector<std::tuple<int, const char*, const char*>>{
           {0, "100", "100"}, {1, "50", "97.5"}, {2, "50", "103.25"}, {3, "100", "101"}}) {
    s.Add({day + offset * 86'400, D(cash), D(equity), D(equity), D(equity)});
  }
  EXPECT_EQ(s.period(), 604'800);
  ASSERT_EQ(s.rows().size(), 1u);
  const EquityRow& r = s.rows()[0];
  EXPECT_EQ(r.time, day);
  EXPECT_EQ(r.cash.ToString() + " " + r.equity.ToString() + " " + r.low.ToString() + " " +
                r.high.ToString(),
            "100 101 97.5 103.25");
}

}  // namespace
}  // namespace wyckoff::report
