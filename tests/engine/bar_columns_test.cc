#include "wyckoff/engine/bar_columns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine_builders.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/fixtures/random_walk.h"
#include "wyckoff/fixtures/scenario.h"

namespace wyckoff::engine {
namespace {

using testing::D;

constexpr BarColumns::Field kFields[] = {BarColumns::kOpen, BarColumns::kHigh, BarColumns::kLow,
                                         BarColumns::kClose, BarColumns::kVolume};

bool SameBar(const Bar& a, const Bar& b) {
  return a.time == b.time && a.decimals == b.decimals && a.open == b.open && a.high == b.high &&
         a.low == b.low && a.close == b.close && a.volume == b.volume;
}

// Every bar of `columns` decodes to bars[i], by Get, operator[] and Value, and a
// ColumnBarSource gives them all in order.
void ExpectSameBars(const BarColumns& columns, const std::vector<Bar>& bars) {
  ASSERT_EQ(columns.size(), bars.size());
  Bar got;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    columns.Get(i, got);
    ASSERT_TRUE(SameBar(got, bars[i])) << "bar " << i;
    ASSERT_TRUE(SameBar(columns[i], bars[i])) << "bar " << i;
    ASSERT_EQ(columns.Time(i), bars[i].time) << "bar " << i;
    ASSERT_EQ(columns.Value(BarColumns::kClose, i), bars[i].close) << "bar " << i;
  }
  ColumnBarSource source(columns, true);
  for (const Bar& want : bars) {
    auto more = source.Next(got);
    ASSERT_TRUE(more.has_value() && *more);
    ASSERT_TRUE(SameBar(got, want));
  }
  auto end = source.Next(got);
  ASSERT_TRUE(end.has_value());
  EXPECT_FALSE(*end);
}

std::vector<Bar> ReadBars(const std::string& path) {
  auto source = CsvBarSource::Open(path, {});
  EXPECT_TRUE(source.has_value()) << path;
  if (!source) return {};
  auto bars = ReadAll(**source);
  EXPECT_TRUE(bars.has_value()) << path;
  return bars ? *bars : std::vector<Bar>{};
}

BarColumns ReadBarColumns(const std::string& path) {
  auto source = CsvBarSource::Open(path, {});
  EXPECT_TRUE(source.has_value()) << path;
  if (!source) return {};
  auto columns = ReadColumns(**source);
  EXPECT_TRUE(columns.has_value()) << path;
  return columns ? std::move(*columns) : BarColumns{};
}

double BytesPerBar(const BarColumns& columns) {
  return static_cast<double>(columns.bytes()) / static_cast<double>(columns.size());
}

TEST(BarColumnsTest, EveryBundledFileRoundTripsExactlyInAboutHalfABarsSize) {
  for (const char* file :
       {"daily/ko-1997-1998.csv", "daily/orcl-1995-2014.csv", "daily/pep-1997-1998.csv",
        "daily/yhoo-1996-2015.csv", "intraday/estx50-futures-2006-01-02-1min.csv",
        "intraday/estx50-index-2006-01-5min.csv"}) {
    SCOPED_TRACE(file);
    const std::vector<Bar> bars = ReadBars(testing::DataPath(file));
    ASSERT_FALSE(bars.empty());
    const BarColumns columns = ReadBarColumns(testing::DataPath(file));
    ExpectSameBars(columns, bars);
    ExpectSameBars(BarColumns(bars), bars);
    for (BarColumns::Field f : kFields) EXPECT_FALSE(columns.wide(f)) << f;
    // 8 (time) + 1 (decimals) + 5 x 8, nothing reserved beyond the bars.
    EXPECT_EQ(columns.bytes(), 49 * bars.size());
  }
}

TEST(BarColumnsTest, RealDailyFileTakesAtMostFiftyBytesPerBar) {
  const BarColumns columns = ReadBarColumns(testing::DataPath("daily/orcl-1995-2014.csv"));
  ASSERT_GT(columns.size(), 4000u);
  EXPECT_LE(BytesPerBar(columns), 50.0);
  // Prices of up to 6 decimals and whole volumes: values of 10^-6 and 1.
  EXPECT_EQ(columns.exponent(BarColumns::kVolume), 12);
  EXPECT_GE(columns.exponent(BarColumns::kClose), 6);
}

TEST(BarColumnsTest, GeneratedOneMinuteFileTakesAtMostFiftyBytesPerBar) {
  auto scenario = fixtures::GenerateScenario(
      {.kind = fixtures::ScenarioKind::kMixed, .bars = 60'000, .seed = 1});
  ASSERT_TRUE(scenario.has_value());
  ASSERT_TRUE(scenario->intraday);
  std::string csv = "Timestamp,Open,High,Low,Close,Volume\n";
  for (const Bar& b : scenario->bars) {
    csv += FormatTimestamp(b.time, false) + "," + b.open.ToString(2) + "," + b.high.ToString(2) +
           "," + b.low.ToString(2) + "," + b.close.ToString(2) + "," + b.volume.ToString() + "\n";
  }
  auto source = CsvBarSource::OpenText(csv, {});
  ASSERT_TRUE(source.has_value());
  auto columns = ReadColumns(**source);
  ASSERT_TRUE(columns.has_value());
  auto again = CsvBarSource::OpenText(csv, {});
  ASSERT_TRUE(again.has_value());
  auto bars = ReadAll(**again);
  ASSERT_TRUE(bars.has_value());
  ASSERT_EQ(columns->size(), 60'000u);
  ExpectSameBars(*columns, *bars);
  EXPECT_LE(BytesPerBar(*columns), 50.0);
}

TEST(BarColumnsTest, EdgeValuesRoundTripAndWidenOnlyTheColumnsThatNeedIt) {
  const Decimal max = Decimal::Max();
  const Decimal tiny = Decimal::FromRaw(1);  // 10^-12
  std::vector<Bar> bars = {
      {.time = 1,
       .decimals = 0,
       .open = D("0"),
       .high = D("0"),
       .low = D("-5"),
       .close = D("-5"),
       .volume = D("0")},
      {.time = 2,
       .decimals = 12,
       .open = D("-0.000000000001"),
       .high = D("0.123456789012"),
       .low = D("-9300001.123456789012"),
       .close = D("0.000000000001"),
       .volume = D("1")},
      // 10^-12 units beyond int64 and a volume of 1e20 shares: wide.
      {.time = 3,
       .decimals = 1,
       .open = D("1.5"),
       .high = max,
       .low = -max,
       .close = tiny,
       .volume = D("100000000000000000000")},
      {.time = kEndOfTime - 1,
       .decimals = 2,
       .open = D("-0.01"),
       .high = D("0.01"),
       .low = D("-0.01"),
       .close = D("0"),
       .volume = D("999999999999.5")},
  };
  BarColumns columns;
  for (const Bar& b : bars) columns.push_back(b);
  ExpectSameBars(columns, bars);
  EXPECT_FALSE(columns.wide(BarColumns::kOpen));
  EXPECT_EQ(columns.exponent(BarColumns::kOpen), 0);  // -10^-12 is a raw of -1
  EXPECT_TRUE(columns.wide(BarColumns::kHigh));
  EXPECT_TRUE(columns.wide(BarColumns::kLow));
  EXPECT_FALSE(columns.wide(BarColumns::kClose));
  EXPECT_TRUE(columns.wide(BarColumns::kVolume));
  // Wide columns take 16 bytes per bar.
  EXPECT_GE(columns.bytes(), bars.size() * (8 + 1 + 2 * 8 + 3 * 16));
}

TEST(BarColumnsTest, ClearStartsEveryColumnNarrowAgain) {
  const Bar wide{.time = 1,
                 .decimals = 12,
                 .open = D("1.5"),
                 .high = Decimal::Max(),
                 .low = D("0.000000000001"),
                 .close = D("1"),
                 .volume = D("3")};
  const Bar plain{.time = 2,
                  .decimals = 2,
                  .open = D("10.25"),
                  .high = D("10.5"),
                  .low = D("10"),
                  .close = D("10.25"),
                  .volume = D("1500")};
  BarColumns columns;
  columns.push_back(wide);
  ASSERT_TRUE(columns.wide(BarColumns::kHigh));
  ASSERT_EQ(columns.exponent(BarColumns::kLow), 0);
  columns.clear();
  EXPECT_TRUE(columns.empty());
  columns.push_back(plain);
  ExpectSameBars(columns, {plain});
  EXPECT_FALSE(columns.wide(BarColumns::kHigh));
  EXPECT_EQ(columns.exponent(BarColumns::kHigh), 11);     // 10.5
  EXPECT_EQ(columns.exponent(BarColumns::kLow), 12);      // 10
  EXPECT_EQ(columns.scaled(BarColumns::kOpen)[0], 1025);  // 10.25 / 10^10
  EXPECT_TRUE(columns.raws(BarColumns::kHigh).empty());
  EXPECT_EQ(columns.decimals()[0], 2);
}

TEST(BarColumnsTest, HugeIntegerVolumesStayNarrowByTheirTrailingZeros) {
  // 9e18 shares are a raw of 9e30, far beyond int64; without their twelve trailing zeros
  // they fit.
  std::vector<Bar> bars = {{.time = 1,
                            .open = D("1"),
                            .high = D("1"),
                            .low = D("1"),
                            .close = D("1"),
                            .volume = D("9000000000000000000")}};
  BarColumns columns(bars);
  ExpectSameBars(columns, bars);
  EXPECT_FALSE(columns.wide(BarColumns::kVolume));
  EXPECT_EQ(columns.exponent(BarColumns::kVolume), 12);
}

TEST(BarColumnsTest, ALaterFinerValueRescalesTheColumnAndKeepsEveryEarlierValue) {
  std::vector<Bar> bars;
  for (int i = 0; i < 1000; ++i) {
    const Decimal p = Decimal::FromInt(100 + i % 7);
    bars.push_back({.time = i,
                    .open = p,
                    .high = p,
                    .low = p,
                    .close = p,
                    .volume = Decimal::FromInt(1000 * i)});
  }
  BarColumns columns(bars);
  EXPECT_EQ(columns.exponent(BarColumns::kClose), 12);
  EXPECT_EQ(columns.exponent(BarColumns::kVolume), 12);
  Bar finer = bars.back();
  finer.time = 1000;
  finer.close = finer.low = D("99.25");
  finer.volume = D("0.5");
  bars.push_back(finer);
  columns.push_back(finer);
  EXPECT_EQ(columns.exponent(BarColumns::kClose), 10);
  EXPECT_EQ(columns.exponent(BarColumns::kVolume), 11);
  EXPECT_EQ(columns.exponent(BarColumns::kOpen), 12);
  ExpectSameBars(columns, bars);
  for (BarColumns::Field f : kFields) EXPECT_FALSE(columns.wide(f)) << f;
}

TEST(BarColumnsTest, RescalingThatWouldOverflowWidensTheColumn) {
  // 9e18 whole shares fit as shares; once a fraction of a share comes, they no longer fit as
  // tenths: the column holds raws from then on, every value exact.
  std::vector<Bar> bars = {
      {.time = 1,
       .open = D("1"),
       .high = D("1"),
       .low = D("1"),
       .close = D("1"),
       .volume = D("9000000000000000000")},
      {.time = 2,
       .open = D("1"),
       .high = D("1"),
       .low = D("1"),
       .close = D("1"),
       .volume = D("0.1")},
      {.time = 3, .open = D("1"), .high = D("1"), .low = D("1"), .close = D("1"), .volume = D("7")},
  };
  BarColumns columns;
  columns.push_back(bars[0]);
  EXPECT_FALSE(columns.wide(BarColumns::kVolume));
  columns.push_back(bars[1]);
  EXPECT_TRUE(columns.wide(BarColumns::kVolume));
  columns.push_back(bars[2]);
  ExpectSameBars(columns, bars);
}

// The clock and slices as they were computed over std::vector<Bar>.
std::vector<Timestamp> VectorClock(const std::vector<std::vector<Bar>>& symbols) {
  std::vector<Timestamp> clock;
  for (const auto& bars : symbols) {
    for (const Bar& b : bars) clock.push_back(b.time);
  }
  std::sort(clock.begin(), clock.end());
  clock.erase(std::unique(clock.begin(), clock.end()), clock.end());
  return clock;
}

std::span<const Bar> VectorSlice(const std::vector<Bar>& bars, Timestamp begin, Timestamp end) {
  auto by_time = [](const Bar& b, Timestamp t) { return b.time < t; };
  auto first = std::lower_bound(bars.begin(), bars.end(), begin, by_time);
  auto last = std::lower_bound(first, bars.end(), end, by_time);
  return {first, last};
}

TEST(BarColumnsTest, ClockAndSlicesAreThoseOfTheBarVectors) {
  const std::vector<std::vector<Bar>> symbols = {
      fixtures::RandomWalkBars({.bars = 500, .seed = 1}),
      fixtures::RandomWalkBars({.bars = 300,
                                .seed = 2,
                                .start = 946'684'800LL * kNanosPerSecond + 7 * kNanosPerDay,
                                .interval = 2 * kNanosPerDay}),
      {}};
  MarketData data;
  for (const auto& bars : symbols) {
    data.symbols.push_back({"S" + std::to_string(data.symbols.size()), false});
    data.bars.emplace_back(bars);
  }
  const std::vector<Timestamp> clock = data.Clock();
  EXPECT_EQ(clock, VectorClock(symbols));
  const std::vector<std::pair<Timestamp, Timestamp>> ranges = {
      {kBeginningOfTime, kEndOfTime}, {clock[0], clock[0]},        {clock[10], clock[11]},
      {clock[3], clock[200]},         {clock[250], clock[499]},    {clock[499], kEndOfTime},
      {clock[499] + 1, kEndOfTime},   {kBeginningOfTime, clock[0]}};
  for (const auto& [begin, end] : ranges) {
    const DataSlice slice = data.Slice(begin, end);
    ASSERT_EQ(slice.bars.size(), symbols.size());
    for (std::size_t s = 0; s < symbols.size(); ++s) {
      const std::span<const Bar> want = VectorSlice(symbols[s], begin, end);
      ASSERT_EQ(slice.bars[s].size(), want.size()) << begin << " " << end << " symbol " << s;
      for (std::size_t i = 0; i < want.size(); ++i) {
        ASSERT_TRUE(SameBar(slice.bars[s][i], want[i])) << i;
        ASSERT_EQ(slice.bars[s].Time(i), want[i].time) << i;
      }
    }
    auto sources = slice.Sources();
    Bar got;
    for (std::size_t s = 0; s < symbols.size(); ++s) {
      for (const Bar& want : VectorSlice(symbols[s], begin, end)) {
        auto more = sources[s]->Next(got);
        ASSERT_TRUE(more.has_value() && *more);
        ASSERT_TRUE(SameBar(got, want));
      }
      EXPECT_FALSE(*sources[s]->Next(got));
    }
  }
  const DataSlice all = data.All();
  for (std::size_t s = 0; s < symbols.size(); ++s) EXPECT_EQ(all.bars[s].size(), symbols[s].size());
  EXPECT_FALSE(all.empty());
  EXPECT_TRUE(data.Slice(kBeginningOfTime, clock[0]).empty());
}

}  // namespace
}  // namespace wyckoff::engine
