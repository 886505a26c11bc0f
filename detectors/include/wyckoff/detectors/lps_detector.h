// LpsDetector: the last point of support, the pullback after an SOS that holds at or just
// above the old resistance and turns up: the default long entry after a breakout; and its
// mirror after an SOW, the last point of supply (LPSY): the rally that stalls at or just below
// the old support and turns down, the short entry after a breakdown.
//
//   LpsDetector lps(params);
//   if (sos_or_sow_confirmed) lps.Arm(ctx, sos_or_sow_event);
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
//
// LPSY, armed by an SOW, mirrors it with the same parameters: the rally high (the highest high
// since the SOW, this bar included) stays at or below S * (1 + lps_floor) and is at least
// S * (1 - lps_ceiling); it confirms on a close at most rally high * (1 - lps_bounce). A close
// above S first is a failed breakdown (kFallback). Entry S * (1 - lps_entry), stop
// S * (1 + lps_stop), target the downside jump copied at the SOW; tradeable in a distribution
// range with reward/risk >= min_reward_risk. Confidence as the LPS's, from the rally-high bar.
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

  // Starts watching after `breakout` (confirmed at ctx.index): an SOS arms an LPS, an SOW an
  // LPSY.
  void Arm(const DetectorContext& ctx, const PatternEvent& breakout);
  // Processes bar ctx.index while armed; appends an LPS (LPSY) when it confirms.
  Outcome OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out);
  void Cancel() { armed_ = false; }
  bool armed() const { return armed_; }

 private:
  void Track(const DetectorContext& ctx);
  bool Confirms(const DetectorContext& ctx) const;
  void Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out);

  const DetectorParams params_;
  bool armed_ = false;
  bool supply_ = false;  // armed by an SOW: looking for an LPSY (every test mirrored)
  bool failed_ = false;  // the pullback went beyond the floor: no LPS (LPSY), wait for the end
  std::int64_t range_id_ = 0;
  std::int64_t sos_index_ = 0;  // the SOS or SOW bar
  double level_ = 0;            // R after an SOS, S after an SOW
  RangeLevels levels_;
  RangeKind kind_ = RangeKind::kAccumulation;
  // The pullback extreme: the lowest low since an SOS, the highest high since an SOW.
  std::int64_t extreme_index_ = -1;
  Timestamp extreme_time_ = 0;
  double extreme_ = 0;
  double extreme_volume_ratio_ = 0;
  double extreme_spread_ratio_ = 0;
  double extreme_close_position_ = 0;
};

}  // namespace wyckoff::detectors
