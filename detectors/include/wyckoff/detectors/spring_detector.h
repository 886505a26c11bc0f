// SpringDetector: a low that pierces support and recovers (SPRING), its test (SPRING_TEST,
// the long signal by default) and its failure (SPRING_INVALIDATED), all causal: every "within
// the next N bars" of the published batch versions is a pending candidate with a deadline.
//
//   SpringDetector springs(params);
//   SpringDetector::Step step = springs.OnBar(ctx, events);
//   if (step.confirmed) phases.OnSpring(ctx.index);
//
// Rules (wyckoff-rules.md, "Spring"), percentages scaled by ctx.price_scale:
// - pierce: low < S (strict) and (S - low) / S <= spring_max_penetration (exactly 5% is still
//   a spring); the bar passes the volume gate (volume > 0, ratio defined) and, in strict mode,
//   volume_ratio < spring_volume_max. A new pierce needs spring_cooldown_bars after the last
//   confirmed spring and, while that spring is still tracked, a low below its low (a higher
//   low is its test, not a new spring).
// - pending: a deeper low replaces the candidate when that bar qualifies on its own, else it
//   drops it (deeper than 5%: a breakdown). A close above S within 0..spring_recovery_bars of
//   the first piercing bar confirms the spring (the piercing bar's own close counts).
// - test: a bar within +3..+15 of the spring bar, at or after its confirmation, with a low
//   not below the spring low and within 3% above it, on a lower volume_ratio than the spring.
//   A low below the spring low ends the search.
// - invalidation: a close more than spring_invalidation_pct below S within
//   spring_invalidation_bars after the confirmation.
// One pending and one confirmed spring at a time; a newer confirmed spring replaces the older.
// Levels (S, jump) are copied when the candidate starts and when the spring confirms.
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

// The stop buffer b for a spring (or UTAD) that went `penetration` (a fraction) beyond its
// level: stop_buffer_shallow below stop_edge_shallow, stop_buffer_mid below stop_edge_deep,
// else stop_buffer_deep; edges and buffers scaled by price_scale.
double StopBuffer(double penetration, const DetectorParams& params, double price_scale);

// Confidence 0..100 of a spring: volume (< 0.3: 40, < 0.4: 30, < 0.5: 20, < 0.6: 10, else 5;
// in scored mode a ratio at or above spring_volume_max gives 0, and -10 from 1.0), penetration
// (1-2%: 35, 2-3%: 25, 3-4%: 15, else 5, edges scaled), recovery bars (0-1: 25, 2: 20, 3: 15,
// else 10), a confirmed test 20, and the support bonus floor(range quality / 10); capped at 100.
double SpringConfidence(double volume_ratio, double penetration, int recovery_bars, bool tested,
                        double range_quality, const DetectorParams& params, double price_scale);

struct TradeLevels {
  double entry = kUndefined;
  double stop = kUndefined;
  double target = kUndefined;
  double reward_risk = kUndefined;
};

// The long trade of a spring: entry S * (1 + spring_entry_offset), stop
// spring_low * (1 - StopBuffer), the given target, reward/risk (target - entry)/(entry - stop).
TradeLevels SpringTrade(double support, double spring_low, double target,
                        const DetectorParams& params, double price_scale);

class SpringDetector {
 public:
  struct Step {
    bool confirmed = false;    // a SPRING was appended
    bool tested = false;       // a SPRING_TEST was appended
    bool invalidated = false;  // a SPRING_INVALIDATED was appended
  };

  explicit SpringDetector(const DetectorParams& params) : params_(params) {}

  // Processes bar ctx.index; appends the events confirmed at it.
  Step OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out);
  // Drops every candidate (a time gap, a new data segment).
  void Cancel();

  bool pending() const { return pending_.active; }
  bool tracking() const { return tracked_.active; }

 private:
  struct Candidate {
    bool active = false;
    std::int64_t range_id = 0;
    double support = 0;
    std::int64_t first_pierce = 0;
    std::int64_t index = 0;
    Timestamp time = 0;
    double low = 0;
    double volume_ratio = 0;
    double spread_ratio = 0;
    double close_position = 0;
  };
  struct Confirmed {
    bool active = false;
    Candidate spring;
    std::int64_t confirm_index = 0;
    int recovery_bars = 0;
    bool counts = false;         // phase and range kind allowed a trade when it confirmed
    Phase phase = Phase::kNone;  // the phase and its age when it confirmed
    int phase_bars = 0;
    bool test_possible = true;
    double range_quality = 0;
    RangeLevels levels;
    RangeKind kind = RangeKind::kAccumulation;
  };

  bool Qualifies(const DetectorContext& ctx, double support) const;
  void UpdatePending(const DetectorContext& ctx, std::vector<PatternEvent>& out, Step& step);
  void StartCandidate(const DetectorContext& ctx);
  void Confirm(const DetectorContext& ctx, std::vector<PatternEvent>& out);
  void TrackConfirmed(const DetectorContext& ctx, std::vector<PatternEvent>& out, Step& step);
  void EmitSignal(const DetectorContext& ctx, std::vector<PatternEvent>& out, bool tested);
  PatternEvent& Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out, EventType type,
                     const Confirmed& c);
  NotTradeable Reason(const DetectorContext& ctx, const Confirmed& c, double confidence,
                      double reward_risk, bool tested) const;

  const DetectorParams params_;
  Candidate pending_;
  Confirmed tracked_;
  std::int64_t last_confirm_ = -1'000'000;
};

}  // namespace wyckoff::detectors
