#include "wyckoff/detectors/trading_range.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "real_data.h"
#include "wave.h"

namespace wyckoff::detectors {
namespace {

using testing::WaveBar;

TEST(JumpTest, RulesPageExampleJumpAndConservativeTarget) {
  TradingRange range;
  range.support = 100;
  range.resistance = 110;
  range.start_index = 0;
  const RangeLevels levels = LevelsAt(range, 39);  // bars 0..39: 40 bars
  EXPECT_EQ(levels.duration_bars, 40);
  EXPECT_EQ(levels.jump_up, 140);
  EXPECT_EQ(levels.conservative_up, 120);
  EXPECT_EQ(levels.jump_down, 70);
  EXPECT_EQ(levels.conservative_down, 100);
  EXPECT_EQ(LevelsAt(range, 38).jump_up, 135);  // 39 bars: factor 2.5
}

TEST(JumpTest, FactorSteps) {
  EXPECT_EQ(JumpFactor(14), 1.0);
  EXPECT_EQ(JumpFactor(15), 2.0);
  EXPECT_EQ(JumpFactor(24), 2.0);
  EXPECT_EQ(JumpFactor(25), 2.5);
  EXPECT_EQ(JumpFactor(39), 2.5);
  EXPECT_EQ(JumpFactor(40), 3.0);
}

TEST(PivotClusterTest, LevelIsVolumeWeighted) {
  const Pivot pivots[] = {{1, 0, 100, 100}, {5, 0, 120, 50}, {9, 0, 101, 300}};
  const PivotCluster c = ClusterOfLatest(pivots, 3, 0.02, 0.015);
  EXPECT_EQ(c.count, 2);
  EXPECT_EQ(c.mean, 100.5);
  EXPECT_EQ(c.level, (100.0 * 100 + 101.0 * 300) / 400);
  EXPECT_EQ(c.first_index, 1);
  EXPECT_EQ(c.last_index, 9);
}

TEST(PivotClusterTest, LatestPivotChoosesTheCluster) {
  const Pivot pivots[] = {{1, 0, 100, 1}, {3, 0, 100.5, 1}, {5, 0, 90, 1}};
  EXPECT_EQ(ClusterOfLatest(pivots, 3, 0.02, 0.015).count, 1);  // 90 stands alone
  EXPECT_EQ(ClusterNear(pivots, 3, 100.2, 0.02, 0.015).count, 2);
  EXPECT_EQ(ClusterNear(pivots, 3, 95, 0.02, 0.015).count, 0);
}

TEST(PivotClusterTest, JoinsWithinTwoPercentOfTheRunningMean) {
  const Pivot joined[] = {{1, 0, 100, 1}, {2, 0, 102, 1}};
  EXPECT_EQ(ClusterOfLatest(joined, 2, 0.02, 0.015).count, 2);
  const Pivot apart[] = {{1, 0, 100, 1}, {2, 0, 102.01, 1}};
  EXPECT_EQ(ClusterOfLatest(apart, 2, 0.02, 0.015).count, 1);
}

TEST(PivotClusterTest, ZeroVolumeGivesThePlainMean) {
  const Pivot pivots[] = {{1, 0, 100, 0}, {2, 0, 101, 0}};
  EXPECT_EQ(ClusterOfLatest(pivots, 2, 0.02, 0.015).level, 100.5);
}

TEST(PivotClusterTest, DryUpWhenLaterTouchesTradeHalfTheVolume) {
  const Pivot pivots[] = {{1, 0, 100, 200}, {2, 0, 100, 100}};
  EXPECT_EQ(ClusterOfLatest(pivots, 2, 0.02, 0.015).dry_up, 1.0);
  const Pivot flat[] = {{1, 0, 100, 100}, {2, 0, 100, 100}};
  EXPECT_EQ(ClusterOfLatest(flat, 2, 0.02, 0.015).dry_up, 0.0);
}

class RangeTrackerTest : public ::testing::Test {
 protected:
  RangeUpdate Feed(const BarValues& bar) {
    const FeatureValues& f = features.Update(bar);
    return tracker.OnBar(bar, f, 1.0);
  }
  DetectorParams params;
  FeatureCalculator features{params};
  TradingRangeTracker tracker{params};
};

TEST_F(RangeTrackerTest, RangeAppearsOnlyWhenTheFourthPivotIsKnown) {
  // Pivot highs at 6 and 18 are known at 11 and 23; the second pivot low (24) at 29.
  for (int t = 0; t < 29; ++t) {
    Feed(WaveBar(t));
    EXPECT_EQ(tracker.current(), nullptr) << t;
  }
  const RangeUpdate u = Feed(WaveBar(29));
  EXPECT_TRUE(u.created);
  ASSERT_NE(tracker.current(), nullptr);
  const TradingRange& r = *tracker.current();
  EXPECT_EQ(r.id, 1);
  EXPECT_EQ(r.status, RangeStatus::kForming);
  EXPECT_EQ(r.support, 100);
  EXPECT_EQ(r.resistance, 110);
  EXPECT_EQ(r.start_index, 6);
  EXPECT_EQ(r.support_touches, 2);
  EXPECT_EQ(r.resistance_touches, 2);
}

TEST_F(RangeTrackerTest, ActiveAtFortyBarsWithSixTouches) {
  // Quality at 45: duration 40 bars (30) + 6 touches (25) + tight clusters (20) = 75.
  for (int t = 0; t < 45; ++t) {
    EXPECT_FALSE(Feed(WaveBar(t)).activated) << t;
  }
  EXPECT_EQ(tracker.current()->quality, 65);
  EXPECT_TRUE(Feed(WaveBar(45)).activated);
  EXPECT_EQ(tracker.current()->status, RangeStatus::kActive);
  EXPECT_EQ(tracker.current()->quality, 75);
  EXPECT_EQ(tracker.current()->active_index, 45);
}

TEST_F(RangeTrackerTest, RangeNeedsClimaxActivatesOnlyWhileAClimaxIsPending) {
  // The range of ActiveAtFortyBarsWithSixTouches reaches quality 75 at bar 45; with
  // range_needs_climax it stays FORMING until a climax is pending (bar 50).
  params.range_needs_climax = true;
  TradingRangeTracker gated(params);
  for (int t = 0; t < 55; ++t) {
    gated.SetClimaxPending(t >= 50);
    const BarValues bar = WaveBar(t);
    const RangeUpdate u = gated.OnBar(bar, features.Update(bar), 1.0);
    EXPECT_EQ(u.activated, t == 50) << t;
  }
  ASSERT_NE(gated.current(), nullptr);
  EXPECT_EQ(gated.current()->active_index, 50);
}

TEST_F(RangeTrackerTest, CloseMoreThanFivePercentBelowSupportBreaksDown) {
  for (int t = 0; t < 48; ++t) Feed(WaveBar(t));
  EXPECT_FALSE(Feed({48 * 86'400'000'000'000LL, 96, 96, 95, 95, 1000}).broken_down);  // -5%
  const RangeUpdate u = Feed({49 * 86'400'000'000'000LL, 95, 95, 94, 94.99, 1000});
  EXPECT_TRUE(u.broken_down);
  EXPECT_EQ(u.ended.status, RangeStatus::kBrokenDown);
  EXPECT_EQ(u.ended.end_index, 49);
  EXPECT_EQ(tracker.current(), nullptr);
  EXPECT_EQ(tracker.last_released().id, 1);
}

TEST_F(RangeTrackerTest, SixClosesBelowSupportBreakDown) {
  for (int t = 0; t < 48; ++t) Feed(WaveBar(t));
  for (int t = 48; t < 53; ++t) {
    EXPECT_FALSE(Feed({t * 86'400'000'000'000LL, 99.5, 99.8, 98.5, 99, 1000}).broken_down);
  }
  EXPECT_TRUE(Feed({53 * 86'400'000'000'000LL, 99.5, 99.8, 98.5, 99, 1000}).broken_down);
}

TEST_F(RangeTrackerTest, UpsideExitWithoutSos) {
  for (int t = 0; t < 48; ++t) Feed(WaveBar(t));
  const BarValues bar{48 * 86'400'000'000'000LL, 112, 116, 112, 115.6, 1000};
  Feed(bar);
  const RangeUpdate u = tracker.CheckUpsideExit(bar, 48, 1.0);
  EXPECT_TRUE(u.broken_up);
  EXPECT_EQ(tracker.current(), nullptr);
}

TEST_F(RangeTrackerTest, SosFreezesThenReleaseForgetsOldPivots) {
  for (int t = 0; t < 48; ++t) Feed(WaveBar(t));
  tracker.BreakUp(47);
  EXPECT_EQ(tracker.current()->status, RangeStatus::kBrokenUp);
  for (int t = 48; t < 60; ++t) Feed(WaveBar(t));  // levels stay frozen
  EXPECT_EQ(tracker.current()->resistance, 110);
  tracker.Release(60);
  EXPECT_EQ(tracker.current(), nullptr);
  EXPECT_EQ(tracker.last_released().end_index, 47);
}

TEST(RangeTrackerAtrModeTest, LocksWhenTheWindowIsNarrow) {
  DetectorParams params;
  params.range_mode = RangeMode::kAtr;
  FeatureCalculator features(params);
  TradingRangeTracker tracker(params);
  for (int t = 0; t < 19; ++t) {
    const BarValues bar{t, 100, 101, 99, 100, 1000};
    EXPECT_FALSE(tracker.OnBar(bar, features.Update(bar), 1.0).created) << t;
  }
  const BarValues bar{19, 100, 101, 99, 100, 1000};
  const RangeUpdate u = tracker.OnBar(bar, features.Update(bar), 1.0);
  EXPECT_TRUE(u.created);
  EXPECT_TRUE(u.activated);
  EXPECT_EQ(tracker.current()->support, 99);
  EXPECT_EQ(tracker.current()->resistance, 101);
  EXPECT_EQ(tracker.current()->start_index, 0);
}

// The percentile mode on real bars. Independent of the tracker: each window is copied and fully
// sorted, and the quantile interpolated at q * (N - 1) as numpy.quantile does by default.
double SortedQuantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double position = q * static_cast<double>(v.size() - 1);
  const auto k = static_cast<std::size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(k);
  if (fraction == 0 || k + 1 == v.size()) return v[k];
  return v[k] + fraction * (v[k + 1] - v[k]);
}

struct RangeState {
  std::int64_t id = 0;
  RangeStatus status = RangeStatus::kForming;
  double support = 0;
  double resistance = 0;
  std::int64_t start_index = 0;
  bool operator==(const RangeState&) const = default;
};

// The held range after each of the first `count` bars of `bars`.
std::vector<RangeState> TrackStates(const std::vector<Bar>& bars, std::size_t count,
                                    const DetectorParams& params) {
  FeatureCalculator features(params);
  TradingRangeTracker tracker(params);
  std::vector<RangeState> out;
  for (std::size_t t = 0; t < count; ++t) {
    const BarValues bar = ToBarValues(bars[t]);
    const FeatureValues& f = features.Update(bar);
    tracker.OnBar(bar, f, 1.0);
    tracker.CheckUpsideExit(bar, f.index, 1.0);
    RangeState state;
    if (const TradingRange* r = tracker.current()) {
      state = {r->id, r->status, r->support, r->resistance, r->start_index};
    }
    out.push_back(state);
  }
  return out;
}

DetectorParams PercentileParams() {
  DetectorParams params;
  params.range_mode = RangeMode::kPercentile;
  return params;
}

TEST(RangeTrackerPercentileModeTest, LevelsAreTheWindowPercentilesOnOrcl) {
  const std::vector<Bar> bars = testing::ReadBars("data/daily/orcl-1995-2014.csv");
  const DetectorParams params = PercentileParams();
  const std::vector<RangeState> states = TrackStates(bars, bars.size(), params);
  const int n = params.percentile_window;
  int checked = 0;
  int ranges = 0;
  std::int64_t last_id = 0;
  RangeState previous;
  for (std::size_t t = 0; t < bars.size(); ++t) {
    const RangeState& state = states[t];
    if (state.id != 0 && state.status == RangeStatus::kActive) {
      ASSERT_GE(static_cast<std::int64_t>(t) + 1, n) << t;
      std::vector<double> lows, highs;
      for (std::size_t j = t + 1 - static_cast<std::size_t>(n); j <= t; ++j) {
        lows.push_back(bars[j].low.ToDouble());
        highs.push_back(bars[j].high.ToDouble());
      }
      const double s = SortedQuantile(lows, 0.10);
      const double r = SortedQuantile(highs, 0.90);
      if ((r - s) / s >= params.percentile_min_width) {
        ASSERT_DOUBLE_EQ(state.support, s) << t;
        ASSERT_DOUBLE_EQ(state.resistance, r) << t;
      } else {  // a window too narrow keeps the previous levels
        ASSERT_EQ(state.id, previous.id) << t;
        ASSERT_EQ(state.support, previous.support) << t;
      }
      if (state.id != last_id) {  // a new range starts a full window after the last one ended
        ++ranges;
        EXPECT_EQ(state.start_index, static_cast<std::int64_t>(t) + 1 - n) << t;
        last_id = state.id;
      }
      ++checked;
    }
    previous = state;
  }
  EXPECT_GT(checked, 1000);
  EXPECT_GT(ranges, 10);
  // Pinned from the file by a separate script (Python, sorted(), no numpy), for window 61 the
  // 7th smallest low and 7th largest high of bars t-60..t:
  //   rows = list(csv.DictReader(open("data/daily/orcl-1995-2014.csv")))
  //   w = rows[t-60:t+1]; sorted(float(r["Low"]) for r in w)[6];
  //   sorted(float(r["High"]) for r in w)[54]
  EXPECT_EQ(states[59].id, 0);
  EXPECT_EQ(states[60].id, 1);  // the first range: the first full window, bar 60 (1995-03-29)
  EXPECT_DOUBLE_EQ(states[60].support, 2.080247);
  EXPECT_DOUBLE_EQ(states[60].resistance, 2.472222);
}

TEST(RangeTrackerPercentileModeTest, StateAtBarTDoesNotDependOnLaterBars) {
  for (const std::string file : {"data/daily/ko-1997-1998.csv", "data/daily/orcl-1995-2014.csv"}) {
    const std::vector<Bar> bars = testing::ReadBars(file);
    const DetectorParams params = PercentileParams();
    const std::vector<RangeState> full = TrackStates(bars, bars.size(), params);
    const std::size_t stride = bars.size() > 1000 ? 97 : 1;
    for (std::size_t t = 0; t < bars.size(); t += stride) {
      const std::vector<RangeState> prefix = TrackStates(bars, t + 1, params);
      ASSERT_TRUE(prefix.back() == full[t]) << file << " t=" << t;
    }
  }
}

TEST(RangeTrackerPercentileModeTest, MaxDriftRefusesATrendingWindow) {
  DetectorParams params = PercentileParams();
  params.percentile_window = 5;
  params.percentile_max_drift = 0.5;
  // Closes 100, 101, ..., 104 (a drift of 4) in bars 99-101 .. 103-105: S 99.4, R 104.6
  // (numpy's linear 10th/90th percentiles of five values), width 5.2, 4 > 0.5 x 5.2.
  FeatureCalculator features(params);
  TradingRangeTracker trending(params);
  for (int t = 0; t < 5; ++t) {
    const BarValues bar{t, 100.0 + t, 101.0 + t, 99.0 + t, 100.0 + t, 1000};
    EXPECT_FALSE(trending.OnBar(bar, features.Update(bar), 1.0).created) << t;
  }
  // The last bar reaching down to 102 and closing at 102.5: the same S and R, a drift of
  // 2.5 <= 2.6 forms the range.
  FeatureCalculator features2(params);
  TradingRangeTracker sideways(params);
  for (int t = 0; t < 5; ++t) {
    const BarValues bar = t < 4 ? BarValues{t, 100.0 + t, 101.0 + t, 99.0 + t, 100.0 + t, 1000}
                                : BarValues{t, 104, 105, 102, 102.5, 1000};
    EXPECT_EQ(sideways.OnBar(bar, features2.Update(bar), 1.0).created, t == 4) << t;
  }
}

// Bars 99-101 closing 99.5, 100.5, 99.5, ...: a sideways window swinging across its middle.
BarValues SwingingBar(int t) { return {t, 100, 101, 99, t % 2 == 0 ? 99.5 : 100.5, 1000}; }

TEST(RangeTrackerPercentileModeTest, MinCrossingsNeedsClosesSwingingAcrossTheMiddle) {
  // Bars 99-101 closing 99.5, 100.5, 99.5, ...: S 99, R 101 (2.02% wide), middle 100; a window
  // of five closes crosses the middle 4 times.
  for (const int needed : {4, 5}) {
    DetectorParams params = PercentileParams();
    params.percentile_window = 5;
    params.percentile_min_crossings = needed;
    FeatureCalculator features(params);
    TradingRangeTracker tracker(params);
    for (int t = 0; t < 10; ++t) {
      const BarValues b = SwingingBar(t);
      EXPECT_EQ(tracker.OnBar(b, features.Update(b), 1.0).created, needed == 4 && t == 4)
          << needed << " " << t;
    }
  }
}

TEST(RangeTrackerPercentileModeTest, RangeNeedsClimaxCreatesOnlyWhileAClimaxIsPending) {
  // The swinging window of MinCrossingsNeedsClosesSwingingAcrossTheMiddle is a valid range
  // from bar 4; with range_needs_climax it is created at the first bar a climax is pending.
  DetectorParams params = PercentileParams();
  params.percentile_window = 5;
  params.range_needs_climax = true;
  FeatureCalculator features(params);
  TradingRangeTracker tracker(params);
  for (int t = 0; t < 10; ++t) {
    tracker.SetClimaxPending(t >= 7);
    const BarValues b = SwingingBar(t);
    EXPECT_EQ(tracker.OnBar(b, features.Update(b), 1.0).created, t == 7) << t;
  }
}

TEST(RangeTrackerPercentileModeTest, NarrowWindowMakesNoRange) {
  DetectorParams params = PercentileParams();
  params.percentile_window = 5;
  FeatureCalculator features(params);
  TradingRangeTracker tracker(params);
  for (int t = 0; t < 10; ++t) {  // 99..100.5: 1.5% wide, below 2%
    const BarValues bar{t, 100, 100.5, 99, 100, 1000};
    EXPECT_FALSE(tracker.OnBar(bar, features.Update(bar), 1.0).created) << t;
  }
  params.percentile_min_width = 0.01;
  TradingRangeTracker wide(params);
  FeatureCalculator features2(params);
  for (int t = 0; t < 5; ++t) {
    const BarValues bar{t, 100, 100.5 + t, 99.0 - t, 100, 1000};
    const RangeUpdate u = wide.OnBar(bar, features2.Update(bar), 1.0);
    EXPECT_EQ(u.created, t == 4) << t;
  }
  // lows 99, 98, 97, 96, 95: position 0.4 -> 95 + 0.4 * 1; highs 100.5..104.5: position 3.6
  EXPECT_DOUBLE_EQ(wide.current()->support, 95.4);
  EXPECT_DOUBLE_EQ(wide.current()->resistance, 104.1);
  EXPECT_EQ(wide.current()->status, RangeStatus::kActive);
  EXPECT_EQ(wide.current()->start_index, 0);
}

}  // namespace
}  // namespace wyckoff::detectors
