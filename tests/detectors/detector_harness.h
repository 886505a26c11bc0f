// DetectorHarness: drives one detector directly with a hand-set bar, features, range and phase,
// so that each threshold of the rules page can be hit exactly (a volume ratio of exactly 0.7
// is set, not computed).
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors::testing {

struct DetectorHarness {
  DetectorHarness() {
    range.id = 1;
    range.status = RangeStatus::kActive;
    range.support = 100;
    range.resistance = 110;
    range.start_index = 0;
    range.active_index = 20;
    range.quality = 80;
  }

  // Sets bar t; ratios are given, close position follows from the prices.
  void Bar(std::int64_t t, double open, double high, double low, double close,
           double volume_ratio = 1.0, double spread_ratio = 1.0, double volume = 1000) {
    bar = {1'000'000'000LL * 86'400 * t, open, high, low, close, volume};
    features = FeatureValues{};
    features.index = t;
    features.volume_ratio = volume_ratio;
    features.spread_ratio = spread_ratio;
    features.spread = high - low;
    features.flat = !(high > low);
    features.has_volume = volume > 0;
    features.close_position = ClosePosition(high, low, close);
  }

  DetectorContext Context() const {
    DetectorContext ctx;
    ctx.index = features.index;
    ctx.bar = &bar;
    ctx.features = &features;
    ctx.price_scale = price_scale;
    ctx.range = has_range ? &range : nullptr;
    ctx.phase = phase;
    ctx.phase_bars = phase_bars;
    ctx.kind = kind;
    ctx.pattern_counts = pattern_counts;
    ctx.spring_seen = spring_seen;
    ctx.utad_seen = utad_seen;
    ctx.symbol = "TEST";
    return ctx;
  }

  DetectorParams params;
  TradingRange range;
  bool has_range = true;
  BarValues bar;
  FeatureValues features;
  double price_scale = 1.0;
  Phase phase = Phase::kB;
  int phase_bars = 20;  // bars since the phase began
  RangeKind kind = RangeKind::kAccumulation;
  bool pattern_counts = true;
  bool spring_seen = false;
  bool utad_seen = false;
  std::vector<PatternEvent> events;
};

}  // namespace wyckoff::detectors::testing
