// DetectorContext: what every detector sees at bar t (the bar, its features, the held trading
// range and the phase), and AppendEvent, which starts an event record from it.
//
//   DetectorContext ctx = ...;                  // built by the PatternEngine once per step
//   PatternEvent& e = AppendEvent(events, ctx, EventType::kSpring, ctx.range, k, time_k);
//   e.level = support;                          // then the detector fills its own fields
//
// Detectors see bars 0..t only: the context holds no future and no order state.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "wyckoff/detectors/features.h"
#include "wyckoff/detectors/pattern_event.h"
#include "wyckoff/detectors/trading_range.h"

namespace wyckoff::detectors {

struct DetectorContext {
  std::int64_t index = 0;  // t, the bar being processed (bars 0..t have been seen)
  const BarValues* bar = nullptr;
  const FeatureValues* features = nullptr;
  double price_scale = 1.0;             // multiplier of price percentages for this interval
  const TradingRange* range = nullptr;  // the held range, nullptr when none
  Phase phase = Phase::kNone;           // of the held range
  int phase_bars = 0;                   // t - the bar the phase began
  RangeKind kind = RangeKind::kAccumulation;
  bool pattern_counts = false;  // phase B for >= phase_b_min_bars, or phase C
  bool spring_seen = false;     // a spring was confirmed in the held range
  bool utad_seen = false;       // a UTAD moved the held distribution range to phase C
  std::string_view symbol;
};

// Appends an event with the common fields filled from `ctx` and `range` (id and levels copied
// as of bar ctx.index; no range: id 0 and undefined levels), phase before and after both
// ctx.phase, and the ratios of the current bar. Returns the new event.
PatternEvent& AppendEvent(std::vector<PatternEvent>& out, const DetectorContext& ctx,
                          EventType type, const TradingRange* range, std::int64_t pattern_index,
                          Timestamp pattern_time);

// The reward/risk of a long (entry above stop) or a short (entry below stop); NaN when the
// risk is not positive.
double RewardRisk(double entry, double stop, double target);

// The last two gates of every trade signal, in this order: the phase or range kind
// (`phase_ok`), then reward/risk against min_reward_risk (an undefined one fails). Each
// detector puts its own gates (warm-up, trade_sos, test, confidence) before them.
NotTradeable PhaseThenRewardRisk(bool phase_ok, double reward_risk, const DetectorParams& params);

}  // namespace wyckoff::detectors
