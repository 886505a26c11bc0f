#include "wyckoff/detectors/pattern_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "engine_builders.h"
#include "real_data.h"
#include "wave.h"

namespace wyckoff::detectors {
namespace {

using wyckoff::testing::BarBuilder;

std::vector<PatternEvent> RunAll(const std::vector<engine::Bar>& bars, std::size_t count,
                                 const DetectorParams& params = {}) {
  PatternEngine patterns(params, "SYM");
  std::vector<PatternEvent> all;
  std::vector<PatternEvent> step;
  step.reserve(16);
  for (std::size_t i = 0; i < count; ++i) {
    step.clear();
    patterns.OnBar(bars[i], step);
    for (const PatternEvent& e : step) {
      EXPECT_EQ(e.confirm_index, static_cast<std::int64_t>(i));
      EXPECT_EQ(e.confirm_time, bars[i].time);
      EXPECT_LE(e.pattern_index, e.confirm_index);
    }
    all.insert(all.end(), step.begin(), step.end());
  }
  return all;
}

bool IsVolumeGated(EventType type) {
  return type == EventType::kSpring || type == EventType::kSpringTest ||
         type == EventType::kSpringInvalidated || type == EventType::kSignOfStrength ||
         type == EventType::kLastPointOfSupport || type == EventType::kUpthrust ||
         type == EventType::kSellingClimax || type == EventType::kBuyingClimax ||
         type == EventType::kSecondaryTest;
}

// The bars t at which to compare a prefix run with the full run: every t for the daily files;
// for long files every `stride`-th t plus the bars around each event's confirmation.
std::vector<std::size_t> SampleIndices(std::size_t n, const std::vector<PatternEvent>& events,
                                       std::size_t stride) {
  std::vector<std::size_t> out;
  for (std::size_t t = 0; t < n; t += stride) out.push_back(t);
  for (const PatternEvent& e : events) {
    const auto c = static_cast<std::size_t>(e.confirm_index);
    out.push_back(c);
    if (c > 0) out.push_back(c - 1);
  }
  out.push_back(n - 1);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ExpectCausal(const std::string& file, std::size_t stride) {
  const std::vector<engine::Bar> bars = testing::ReadBars(file);
  ASSERT_FALSE(bars.empty());
  const std::vector<PatternEvent> full = RunAll(bars, bars.size());
  for (std::size_t t : SampleIndices(bars.size(), full, stride)) {
    const std::vector<PatternEvent> prefix = RunAll(bars, t + 1);
    std::vector<const PatternEvent*> expected;
    for (const PatternEvent& e : full) {
      if (e.confirm_index <= static_cast<std::int64_t>(t)) expected.push_back(&e);
    }
    ASSERT_EQ(prefix.size(), expected.size()) << file << " t=" << t;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      ASSERT_TRUE(SameEvent(prefix[i], *expected[i]))
          << file << " t=" << t << " event " << i << " " << EventTypeName(prefix[i].type);
    }
  }
}

TEST(PatternEngineCausalityTest, DailyKoEveryBar) {
  ExpectCausal("data/daily/ko-1997-1998.csv", 1);
}
TEST(PatternEngineCausalityTest, DailyPepEveryBar) {
  ExpectCausal("data/daily/pep-1997-1998.csv", 1);
}
TEST(PatternEngineCausalityTest, DailyOrclDense) {
  ExpectCausal("data/daily/orcl-1995-2014.csv", 7);
}
TEST(PatternEngineCausalityTest, DailyYhooDense) {
  ExpectCausal("data/daily/yhoo-1996-2015.csv", 7);
}
TEST(PatternEngineCausalityTest, IntradayFuturesSampled) {
  ExpectCausal("data/intraday/estx50-futures-2006-01-02-1min.csv", 997);
}
TEST(PatternEngineCausalityTest, IntradayIndexEveryFewBars) {
  ExpectCausal("data/intraday/estx50-index-2006-01-5min.csv", 3);
}

TEST(PatternEngineRealDataTest, RealFilesProduceSpringsSosAndUtad) {
  const std::vector<std::string> files = {"data/daily/ko-1997-1998.csv",
                                          "data/daily/pep-1997-1998.csv",
                                          "data/daily/orcl-1995-2014.csv",
                                          "data/daily/yhoo-1996-2015.csv",
                                          "data/intraday/estx50-futures-2006-01-02-1min.csv",
                                          "data/intraday/estx50-index-2006-01-5min.csv"};
  std::map<EventType, int> total;
  for (const std::string& file : files) {
    const std::vector<engine::Bar> bars = testing::ReadBars(file);
    std::map<EventType, int> counts;
    int tradeable = 0;
    for (const PatternEvent& e : RunAll(bars, bars.size())) {
      ++counts[e.type];
      ++total[e.type];
      tradeable += e.tradeable() ? 1 : 0;
    }
    std::cout << "[ counts   ] " << file << ":";
    for (const auto& [type, n] : counts) std::cout << " " << EventTypeName(type) << "=" << n;
    std::cout << " tradeable=" << tradeable << "\n";
  }
  EXPECT_GT(total[EventType::kSpring], 0);
  EXPECT_GT(total[EventType::kSpringTest], 0);
  EXPECT_GT(total[EventType::kSignOfStrength], 0);
  EXPECT_GT(total[EventType::kLastPointOfSupport], 0);
  EXPECT_GT(total[EventType::kUpthrust], 0);
  EXPECT_GT(total[EventType::kRangeActive], 0);
}

TEST(PatternEngineRealDataTest, WarmUpHoldsOnRealData) {
  const std::vector<engine::Bar> bars = testing::ReadBars("data/daily/orcl-1995-2014.csv");
  for (const PatternEvent& e : RunAll(bars, bars.size())) {
    if (IsVolumeGated(e.type)) {
      EXPECT_GE(e.pattern_index, 20) << EventTypeName(e.type);
    }
    if (e.type == EventType::kSignOfStrength) {
      EXPECT_GE(e.confirm_index, 24);
    }
    if (e.type == EventType::kRangeActive) {
      EXPECT_GE(e.confirm_index, 2 * 5);
    }
  }
}

TEST(PatternEngineRealDataTest, IndexDataWithoutVolumeEmitsNoVolumeGatedEvent) {
  const std::vector<engine::Bar> bars =
      testing::ReadBars("data/intraday/estx50-index-2006-01-5min.csv");
  PatternEngine patterns(DetectorParams{}, "ESTX50");
  std::vector<PatternEvent> events;
  for (const engine::Bar& bar : bars) patterns.OnBar(bar, events);
  EXPECT_TRUE(patterns.volume_missing());
  EXPECT_EQ(patterns.zero_volume_bars(), static_cast<std::int64_t>(bars.size()));
  EXPECT_EQ(patterns.price_scale(), 0.20);
  for (const PatternEvent& e : events) {
    EXPECT_FALSE(IsVolumeGated(e.type)) << EventTypeName(e.type) << " at " << e.confirm_index;
  }
}

TEST(PatternEngineRealDataTest, IntervalScalesPricePercentages) {
  const std::vector<engine::Bar> minute =
      testing::ReadBars("data/intraday/estx50-futures-2006-01-02-1min.csv");
  PatternEngine intraday(DetectorParams{}, "FESX");
  std::vector<PatternEvent> events;
  for (std::size_t i = 0; i < 100; ++i) intraday.OnBar(minute[i], events);
  EXPECT_EQ(intraday.price_scale(), 0.15);
  EXPECT_FALSE(intraday.volume_missing());

  DetectorParams fixed;
  fixed.bar_interval = BarInterval::kHour1;
  PatternEngine hourly(fixed, "FESX");
  for (std::size_t i = 0; i < 100; ++i) hourly.OnBar(minute[i], events);
  EXPECT_EQ(hourly.price_scale(), 0.70);
}

TEST(PatternEngineTest, FlatBarsProduceNothing) {
  PatternEngine patterns(DetectorParams{}, "FLAT");
  std::vector<PatternEvent> events;
  for (int day = 0; day < 300; ++day) {
    patterns.OnBar(BarBuilder().Day(day).Flat("25.5").Volume(day % 7 == 0 ? 5000 : 100).Build(),
                   events);
  }
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(patterns.features().close_position, 0.5);
  EXPECT_EQ(patterns.range(), nullptr);
  EXPECT_EQ(patterns.phase(), Phase::kNone);
}

TEST(PatternEngineTest, TimeGapIsCounted) {
  PatternEngine patterns(DetectorParams{}, "GAP");
  std::vector<PatternEvent> events;
  for (int day = 0; day < 30; ++day) {
    patterns.OnBar(BarBuilder().Day(day).Ohlc("10", "11", "9", "10").Volume(100).Build(), events);
  }
  EXPECT_EQ(patterns.time_gaps(), 0);
  patterns.OnBar(BarBuilder().Day(36).Ohlc("10", "11", "9", "10").Volume(100).Build(), events);
  EXPECT_EQ(patterns.time_gaps(), 1);  // 6 days > 5 x the 1-day median
}

TEST(PatternEngineTest, SymbolIsCopiedIntoEvents) {
  PatternEngine patterns(DetectorParams{}, "WAVE");
  std::vector<PatternEvent> events;
  for (int t = 0; t < 60; ++t) patterns.OnBar(testing::WaveBar(t), events);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().type, EventType::kRangeActive);
  EXPECT_EQ(events.front().symbol, "WAVE");
  EXPECT_EQ(events.front().confirm_index, 45);
  EXPECT_EQ(events.front().pattern_index, 6);
  EXPECT_EQ(events.front().phase_after, Phase::kA);
  EXPECT_EQ(patterns.phase(), Phase::kB);
}

// A whole accumulation on synthetic bars: range, spring, test, SOS, LPS.
TEST(PatternEngineTest, AccumulationScenarioEmitsSpringTestSosLps) {
  PatternEngine patterns(DetectorParams{}, "ACC");
  std::vector<PatternEvent> events;
  std::int64_t t = 0;
  for (; t < 90; ++t) patterns.OnBar(testing::DeclineThenWaveBar(t), events);  // B from 70
  const engine::Timestamp day = 86'400LL * 1'000'000'000LL;
  auto bar = [&](double o, double h, double l, double c, double v) {
    patterns.OnBar(BarValues{t * day, o, h, l, c, v}, events);
    ++t;
  };
  // t = 90 is a trough of the wave (low 100): instead, a spring on low volume.
  bar(101, 101.5, 98.5, 100.5, 500);  // pierces 1.5%, volume ratio 0.5, closes back above
  bar(101, 102.5, 100.5, 102, 900);
  bar(102, 103.5, 101.5, 103, 900);
  bar(101, 101.5, 99, 100.8, 300);  // +3: test, 0.51% above the spring low, ratio 0.3
  bar(101, 104, 100.5, 103.5, 900);
  bar(103.5, 107, 103, 106.5, 900);
  bar(106.5, 109.5, 106, 109, 900);
  bar(109, 114, 108.5, 113.5, 2500);  // SOS: close 3.2% above R, ratio ~2.7, wide bar
  bar(113, 113.5, 110.5, 111, 800);   // pullback
  bar(111, 113.5, 110.8, 113, 800);   // close 2.3% above the pullback low: LPS
  std::vector<EventType> types;
  for (const PatternEvent& e : events) types.push_back(e.type);
  const std::vector<EventType> expected = {EventType::kRangeActive, EventType::kSpring,
                                           EventType::kSpringTest, EventType::kSignOfStrength,
                                           EventType::kLastPointOfSupport};
  ASSERT_EQ(types, expected);
  EXPECT_EQ(events[0].pattern_index, 30);
  EXPECT_EQ(events[0].confirm_index, 69);
  EXPECT_EQ(events[0].range_kind, RangeKind::kAccumulation);
  const PatternEvent& spring = events[1];
  EXPECT_EQ(spring.pattern_index, 90);
  EXPECT_EQ(spring.confirm_index, 90);
  EXPECT_EQ(spring.phase_before, Phase::kB);
  EXPECT_EQ(spring.phase_after, Phase::kC);
  EXPECT_EQ(spring.not_tradeable, NotTradeable::kNoTest);
  const PatternEvent& test = events[2];
  EXPECT_EQ(test.confirm_index, 93);
  EXPECT_TRUE(test.tradeable());
  EXPECT_NEAR(test.entry, 100.5, 1e-9);
  EXPECT_NEAR(test.stop, 98.5 * 0.98, 1e-9);
  const PatternEvent& sos = events[3];
  EXPECT_EQ(sos.confirm_index, 97);
  EXPECT_EQ(sos.phase_before, Phase::kC);
  EXPECT_EQ(sos.phase_after, Phase::kD);
  const PatternEvent& lps = events[4];
  EXPECT_EQ(lps.pattern_index, 98);
  EXPECT_EQ(lps.confirm_index, 99);
  EXPECT_EQ(lps.phase_after, Phase::kE);
  EXPECT_NEAR(lps.entry, 111.1, 1e-9);
  EXPECT_NEAR(lps.stop, 106.7, 1e-9);
  EXPECT_TRUE(lps.tradeable());
  EXPECT_EQ(patterns.range(), nullptr);  // released after the LPS
}

}  // namespace
}  // namespace wyckoff::detectors
