// UtadDetector: the upthrust after distribution, a high that pierces resistance by 0.5-1.0%
// on high volume and fails back below it within a few bars.
//
//   UtadDetector utad(params);
//   if (utad.OnBar(ctx, reference_range, events)) phases.OnUtad(ctx.index);
//
// Rules (wyckoff-rules.md, "UTAD"), percentages scaled: the pierce (high - R) / R lies in
// [utad_min_pierce, utad_max_pierce], the volume gate is open and volume_ratio > utad_volume
// (strict), and a close below R comes within 0..utad_failure_bars bars of the piercing bar. A
// higher high while pending replaces the candidate when that bar qualifies on its own, else it
// drops it. Confidence 70, +10 for a 0.6-0.8% pierce (+5 for 0.5-0.9%), +15 for
// volume_ratio >= 2.0 (+10 for >= 1.7), +5 when it fails within 2 bars; capped at 100.
// The event is an exit signal for longs held in the range, and a short signal in a
// distribution range whose phase counts: entry the confirming close, stop
// utad_high * (1 + StopBuffer(pierce)), target S (range.jump_down is the aggressive one).
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

// The UTAD confidence for a pierce (fraction), a volume ratio and the bars to failure.
double UtadConfidence(double pierce, double volume_ratio, int failure_bars, double price_scale);

class UtadDetector {
 public:
  explicit UtadDetector(const DetectorParams& params) : params_(params) {}

  // Processes bar ctx.index against `range` (the held range, or the last one an SOS broke up;
  // nullptr: none). Appends a UTAD and returns true when one confirms.
  bool OnBar(const DetectorContext& ctx, const TradingRange* range, std::vector<PatternEvent>& out);
  void Cancel() { pending_.active = false; }
  bool pending() const { return pending_.active; }

 private:
  struct Candidate {
    bool active = false;
    std::int64_t range_id = 0;
    double resistance = 0;
    std::int64_t index = 0;
    Timestamp time = 0;
    double high = 0;
    double volume_ratio = 0;
    double spread_ratio = 0;
    double close_position = 0;
  };
  bool Qualifies(const DetectorContext& ctx, double resistance) const;
  void Start(const DetectorContext& ctx, const TradingRange& range);
  void Emit(const DetectorContext& ctx, const TradingRange& range, std::vector<PatternEvent>& out);

  const DetectorParams params_;
  Candidate pending_;
};

}  // namespace wyckoff::detectors
