// LpsDetector: the last point of support, the pullback after an SOS that holds at or just
// above the old resistance and turns up: the default long entry after a breakout.
//
//   LpsDetector lps(params);
//   if (sos_confirmed) lps.Arm(ctx, sos_event);
//   switch (lps.OnBar(ctx, events)) {
//     case LpsDetector::Outcome::kConfirmed: phases.OnLps(t); tracker.Release(t); break;
//     case LpsDetector::Outcome::kFallback:  phases.OnFallback(t); tracker.Reopen(); break;
//     case LpsDetector::Outcome::kExpired:   tracker.Release(t); break;
//     case LpsDetector::Outcome::kNone: break;
//   }
//
// Rules (wyckoff-rules.md, "SOS" and "Trading"), percentages scaled: within lps_window bars
// after the SOS bar, the pullback low (the lowest low since the SOS, this bar included) stays at
// or above R * (1 - lps_floor) and is at most R * (1 + lps_ceiling); the LPS confirms on a close
// at least lps_bounce above that low. A close below R first is a failed breakout (kFallback).
// Entry R * (1 + lps_entry), stop R * (1 - lps_stop), target the jump copied at the SOS.
// Confidence (the rules page gives none): 60, +20 when the pullback-low bar's volume_ratio is
// below 1.0, +20 when the pullback low is within 1% of R.
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

class LpsDetector {
 public:
  enum class Outcome { kNone, kConfirmed, kFallback, kExpired };

  explicit LpsDetector(const DetectorParams& params) : params_(params) {}

  // Starts watching after the SOS `sos` (confirmed at ctx.index).
  void Arm(const DetectorContext& ctx, const PatternEvent& sos);
  // Processes bar ctx.index while armed; appends an LPS when it confirms.
  Outcome OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out);
  void Cancel() { armed_ = false; }
  bool armed() const { return armed_; }

 private:
  void Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out);

  const DetectorParams params_;
  bool armed_ = false;
  bool failed_ = false;  // the pullback went below the floor: no LPS, wait for the outcome
  std::int64_t range_id_ = 0;
  std::int64_t sos_index_ = 0;
  double resistance_ = 0;
  RangeLevels levels_;
  RangeKind kind_ = RangeKind::kAccumulation;
  std::int64_t low_index_ = -1;
  engine::Timestamp low_time_ = 0;
  double low_ = 0;
  double low_volume_ratio_ = 0;
  double low_spread_ratio_ = 0;
  double low_close_position_ = 0;
};

}  // namespace wyckoff::detectors
