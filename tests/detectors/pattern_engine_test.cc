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

std::vector<PatternEvent> RunAll(const std::vector<Bar>& bars, std::size_t count,
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

void ExpectCausal(const std::string& file, std::size_t stride, const DetectorParams& params = {}) {
  const std::vector<Bar> bars = testing::ReadBars(file);
  ASSERT_FALSE(bars.empty());
  const std::vector<PatternEvent> full = RunAll(bars, bars.size(), params);
  for (std::size_t t : SampleIndices(bars.size(), full, stride)) {
    const std::vector<PatternEvent> prefix = RunAll(bars, t + 1, params);
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
TEST(PatternEngineCausalityTest, PercentileRangesDailyKoEveryBarOrclSampled) {
  DetectorParams params;
  params.range_mode = RangeMode::kPercentile;
  ExpectCausal("data/daily/ko-1997-1998.csv", 1, params);
  ExpectCausal("data/daily/orcl-1995-2014.csv", 53, params);
}
TEST(PatternEngineCausalityTest, RangeNeedsClimaxDailyKoEveryBar) {
  DetectorParams params;
  params.range_needs_climax = true;
  ExpectCausal("data/daily/ko-1997-1998.csv", 1, params);
  params.range_mode = RangeMode::kPercentile;
  ExpectCausal("data/daily/ko-1997-1998.csv", 1, params);
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
    const std::vector<Bar> bars = testing::ReadBars(file);
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

// With range_needs_climax a range becomes ACTIVE only 1 to 60 bars after a climax (SC or BC)
// seen while no range was active, one range per climax, and it inherits the climax's kind:
// also a percentile range, which is ACTIVE at its first bar (PhaseMachine::SyncRange decides
// on the range that ended, not on the new one).
TEST(PatternEngineRealDataTest, RangeNeedsClimaxActivatesRangesOnlyAfterAClimax) {
  for (const RangeMode mode : {RangeMode::kPivot, RangeMode::kPercentile}) {
    DetectorParams params;
    params.range_mode = mode;
    params.range_needs_climax = true;
    int ranges = 0;
    for (const std::string file :
         {"data/daily/orcl-1995-2014.csv", "data/daily/yhoo-1996-2015.csv"}) {
      const std::vector<Bar> bars = testing::ReadBars(file);
      const PatternEvent* climax = nullptr;
      for (const PatternEvent& e : RunAll(bars, bars.size(), params)) {
        if (e.type == EventType::kSellingClimax || e.type == EventType::kBuyingClimax) climax = &e;
        if (e.type != EventType::kRangeActive) continue;
        ++ranges;
        ASSERT_NE(climax, nullptr) << file << " " << e.confirm_index;
        EXPECT_GE(e.confirm_index - climax->confirm_index, 1) << file << " " << e.confirm_index;
        EXPECT_LE(e.confirm_index - climax->confirm_index, 60) << file << " " << e.confirm_index;
        EXPECT_EQ(e.range_kind, climax->type == EventType::kSellingClimax
                                    ? RangeKind::kAccumulation
                                    : RangeKind::kDistribution)
            << file << " " << e.confirm_index;
        climax = nullptr;  // consumed
      }
    }
    EXPECT_EQ(ranges, mode == RangeMode::kPivot ? 13 : 5) << static_cast<int>(mode);
  }
}

// A search hands the engine features computed once per slice: the events must be exactly those
// of an engine that computes its own.
TEST(PatternEngineRealDataTest, GivenFeaturesGiveTheSameEvents) {
  for (const std::string file :
       {"data/daily/orcl-1995-2014.csv", "data/intraday/estx50-futures-2006-01-02-1min.csv"}) {
    const std::vector<Bar> bars = testing::ReadBars(file);
    const DetectorParams params;
    const std::vector<PatternEvent> live = RunAll(bars, bars.size(), params);
    const FeatureSeries series = FeatureSeries::Compute(bars, &params);
    PatternEngine patterns(params, "SYM");
    std::vector<PatternEvent> given;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      patterns.OnBar(series.bars[i], series.features[i], given);
    }
    ASSERT_GT(live.size(), 20u) << file;
    ASSERT_EQ(given.size(), live.size()) << file;
    for (std::size_t i = 0; i < live.size(); ++i) {
      EXPECT_TRUE(SameEvent(given[i], live[i])) << file << " event " << i;
    }
  }
}

TEST(PatternEngineRealDataTest, WarmUpHoldsOnRealData) {
  const std::vector<Bar> bars = testing::ReadBars("data/daily/orcl-1995-2014.csv");
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
  const std::vector<Bar> bars = testing::ReadBars("data/intraday/estx50-index-2006-01-5min.csv");
  PatternEngine patterns(DetectorParams{}, "ESTX50");
  std::vector<PatternEvent> events;
  for (const Bar& bar : bars) patterns.OnBar(bar, events);
  EXPECT_TRUE(patterns.volume_missing());
  EXPECT_EQ(patterns.zero_volume_bars(), static_cast<std::int64_t>(bars.size()));
  EXPECT_EQ(patterns.price_scale(), 0.20);
  for (const PatternEvent& e : events) {
    EXPECT_FALSE(IsVolumeGated(e.type)) << EventTypeName(e.type) << " at " << e.confirm_index;
  }
}

TEST(PatternEngineRealDataTest, IntervalScalesPricePercentages) {
  const std::vector<Bar> minute =
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
  const Timestamp day = 86'400LL * 1'000'000'000LL;
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

// Feeds a distribution: 30 rising bars, the wave (range S 100, R 110, ACTIVE at 69, phase B
// from 70), a UTAD at bar 96 and a decline to a close of 101 at bar 100. Returns the next t.
std::int64_t FeedDistributionThroughUtad(PatternEngine& patterns,
                                         std::vector<PatternEvent>& events) {
  std::int64_t t = 0;
  for (; t < 96; ++t) patterns.OnBar(testing::RiseThenWaveBar(t), events);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  auto bar = [&](double o, double h, double l, double c, double v) {
    patterns.OnBar(BarValues{t * day, o, h, l, c, v}, events);
    ++t;
  };
  // t = 96 is a crest of the wave (high 110): instead, an upthrust on volume.
  bar(108, 110.7, 107.5, 109, 2000);  // pierces R by 0.64%, ratio 2.0, closes back below
  bar(109, 109.5, 106.5, 107, 900);
  bar(107, 107.5, 104.5, 105, 900);
  bar(105, 105.5, 102.5, 103, 900);
  bar(103, 103.5, 100.5, 101, 900);
  return t;
}

// A whole distribution on synthetic bars, the mirror of the accumulation above: range, UTAD,
// SOW, LPSY.
TEST(PatternEngineTest, DistributionScenarioEmitsUtadSowLpsy) {
  PatternEngine patterns(DetectorParams{}, "DIS");
  std::vector<PatternEvent> events;
  std::int64_t t = FeedDistributionThroughUtad(patterns, events);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  auto bar = [&](double o, double h, double l, double c, double v) {
    patterns.OnBar(BarValues{t * day, o, h, l, c, v}, events);
    ++t;
  };
  bar(101, 101.5, 96, 96.5, 2500);  // SOW: close 3.5% below S, ratio ~2.6, wide, near the low
  bar(96.5, 99, 96.2, 98.5, 800);   // rally to 1% below S
  bar(98.5, 98.8, 96.5, 97, 800);   // close 2% below the rally high: LPSY
  std::vector<EventType> types;
  for (const PatternEvent& e : events) types.push_back(e.type);
  const std::vector<EventType> expected = {EventType::kRangeActive, EventType::kUpthrust,
                                           EventType::kSignOfWeakness,
                                           EventType::kLastPointOfSupply};
  ASSERT_EQ(types, expected);
  EXPECT_EQ(events[0].range_kind, RangeKind::kDistribution);
  const PatternEvent& utad = events[1];
  EXPECT_EQ(utad.confirm_index, 96);
  EXPECT_EQ(utad.phase_before, Phase::kB);
  EXPECT_EQ(utad.phase_after, Phase::kC);
  const PatternEvent& sow = events[2];
  EXPECT_EQ(sow.pattern_index, 101);
  EXPECT_EQ(sow.confirm_index, 101);
  EXPECT_EQ(sow.range_kind, RangeKind::kDistribution);
  EXPECT_EQ(sow.phase_before, Phase::kC);
  EXPECT_EQ(sow.phase_after, Phase::kD);
  EXPECT_EQ(sow.direction, Direction::kShort);
  EXPECT_EQ(sow.not_tradeable, NotTradeable::kDisabled);
  const PatternEvent& lpsy = events[3];
  EXPECT_EQ(lpsy.pattern_index, 102);
  EXPECT_EQ(lpsy.confirm_index, 103);
  EXPECT_EQ(lpsy.range_id, sow.range_id);
  EXPECT_EQ(lpsy.phase_before, Phase::kD);
  EXPECT_EQ(lpsy.phase_after, Phase::kE);
  EXPECT_EQ(lpsy.extreme, 99);
  EXPECT_EQ(lpsy.direction, Direction::kShort);
  EXPECT_NEAR(lpsy.entry, 99, 1e-9);  // S * 0.99
  EXPECT_NEAR(lpsy.stop, 103, 1e-9);  // S * 1.03
  // The upthrust high became a pivot at bar 101 and joined the resistance cluster: R is the
  // volume-weighted (5 x 110 at 1000 + 110.7 at 2000) / 7000 = 110.2, copied at the SOW.
  EXPECT_NEAR(lpsy.range.support, 100, 1e-9);
  EXPECT_NEAR(lpsy.range.resistance, 110.2, 1e-9);
  EXPECT_EQ(lpsy.range.duration_bars, 66);  // bars 36..101: jump factor 3
  EXPECT_NEAR(lpsy.target, 69.4, 1e-9);     // S - 3 * W: 100 - 3 * 10.2
  EXPECT_NEAR(lpsy.reward_risk, 29.6 / 4.0, 1e-9);
  EXPECT_TRUE(lpsy.tradeable());
  EXPECT_EQ(patterns.range(), nullptr);  // released after the LPSY
}

// A close back above S before an LPSY: the breakdown failed, the range is ACTIVE again (D -> B).
TEST(PatternEngineTest, CloseBackAboveSupportAfterSowReopensTheRange) {
  PatternEngine patterns(DetectorParams{}, "DIS");
  std::vector<PatternEvent> events;
  std::int64_t t = FeedDistributionThroughUtad(patterns, events);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  patterns.OnBar(BarValues{t++ * day, 101, 101.5, 96, 96.5, 2500}, events);  // SOW
  ASSERT_EQ(events.back().type, EventType::kSignOfWeakness);
  ASSERT_NE(patterns.range(), nullptr);
  EXPECT_EQ(patterns.range()->status, RangeStatus::kBrokenDown);  // frozen
  EXPECT_EQ(patterns.phase(), Phase::kD);
  patterns.OnBar(BarValues{t++ * day, 97, 101, 96.8, 100.5, 900}, events);  // back above S
  EXPECT_EQ(events.back().type, EventType::kSignOfWeakness);                // nothing new
  ASSERT_NE(patterns.range(), nullptr);
  EXPECT_EQ(patterns.range()->status, RangeStatus::kActive);
  EXPECT_EQ(patterns.phase(), Phase::kB);
}

// After a UTAD the SOW is checked before the downside breaks: a wide close 6% below S is the
// SOW (the range freezes for its LPSY), not a RANGE_BROKEN_DOWN.
TEST(PatternEngineTest, SowFarBelowSupportIsNotAPlainBreakdown) {
  PatternEngine patterns(DetectorParams{}, "DIS");
  std::vector<PatternEvent> events;
  std::int64_t t = FeedDistributionThroughUtad(patterns, events);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  patterns.OnBar(BarValues{t * day, 101, 101.5, 93.5, 94, 2500}, events);
  ASSERT_EQ(events.back().type, EventType::kSignOfWeakness);
  EXPECT_NEAR(events.back().penetration, 0.06, 1e-12);
  for (const PatternEvent& e : events) EXPECT_NE(e.type, EventType::kRangeBrokenDown);
  ASSERT_NE(patterns.range(), nullptr);
  EXPECT_EQ(patterns.range()->status, RangeStatus::kBrokenDown);
}

// Without a UTAD the same bar is a plain breakdown.
TEST(PatternEngineTest, BreakdownWithoutUtadIsNoSow) {
  PatternEngine patterns(DetectorParams{}, "DIS");
  std::vector<PatternEvent> events;
  std::int64_t t = 0;
  for (; t < 101; ++t) patterns.OnBar(testing::RiseThenWaveBar(t), events);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  patterns.OnBar(BarValues{t * day, 101, 101.5, 93.5, 94, 2500}, events);
  EXPECT_EQ(events.back().type, EventType::kRangeBrokenDown);
  for (const PatternEvent& e : events) EXPECT_NE(e.type, EventType::kSignOfWeakness);
}

}  // namespace
}  // namespace wyckoff::detectors
