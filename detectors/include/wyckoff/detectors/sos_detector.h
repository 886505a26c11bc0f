// SosDetector: the sign of strength, a wide, high-volume close above resistance after a spring
// (phase C, or phase B after a failed breakout of a range that already had its spring), and its
// mirror in distribution, the sign of weakness (SOW): a wide, high-volume close below support
// after a UTAD.
//
//   SosDetector sos(params);
//   if (sos.OnBar(ctx, events)) {        // an SOS was appended
//     tracker.BreakUp(ctx.index);         // the range freezes as BROKEN_UP
//     phases.OnSos(ctx.index);            // C -> D
//   } else if (sos.OnBarWeakness(ctx, events)) {  // an SOW was appended
//     tracker.BreakDown(ctx.index);       // the range freezes as BROKEN_DOWN
//     phases.OnSos(ctx.index);            // C -> D
//   }
//
// Conditions at bar t (wyckoff-rules.md, "SOS"): at least sos_min_bars bars seen (t + 1 >=
// 25), close >= R * (1 + sos_breakout), volume gate open and volume_ratio >= sos_volume,
// spread_ratio >= sos_spread, close_position >= sos_close_position, not a flat bar. The SOS is
// not a trade by default (trade_sos): its event says kDisabled, with the direct-entry levels
// (entry the close, stop R * (1 - sos_stop), target the jump) filled in anyway.
//
// The SOW mirrors every condition with the same parameters: after a UTAD in the same
// distribution range (phase C, or phase B after a failed breakdown), at least sos_min_bars bars
// seen, close <= S * (1 - sos_breakout), volume_ratio >= sos_volume, spread_ratio >= sos_spread,
// close_position <= 1 - sos_close_position (a close near the low), not a flat bar. Confidence is
// SosConfidence of the mirrored close position (1 - close_position) and breakdown size. A short
// signal only with trade_sos (entry the close, stop S * (1 + sos_stop), target the downside
// jump); otherwise kDisabled.
#pragma once

#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

// SOS confidence 0..100: volume up to 35 (piecewise linear through 1.5 -> 15, 1.7 -> 18,
// 2.0 -> 25, 2.3 -> 32, 2.5 -> 35, flat beyond), spread up to 20 (1.2 -> 10 to 2.0 -> 20),
// close position up to 20 (0.5 -> 10 to 1.0 -> 20; -10 below sos_marginal_close_position),
// breakout size up to 15 (1% -> 5 to 3% -> 15, scaled), range duration up to 10 (bars / 4).
double SosConfidence(double volume_ratio, double spread_ratio, double close_position,
                     double breakout, int duration_bars, const DetectorParams& params,
                     double price_scale);

// The volume part of SosConfidence alone.
double SosVolumePoints(double volume_ratio);

class SosDetector {
 public:
  explicit SosDetector(const DetectorParams& params) : params_(params) {}

  // Appends an SOS confirmed at ctx.index and returns true, or returns false.
  bool OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out) const;
  // Appends an SOW confirmed at ctx.index and returns true, or returns false.
  bool OnBarWeakness(const DetectorContext& ctx, std::vector<PatternEvent>& out) const;

 private:
  bool Allowed(const DetectorContext& ctx) const;
  bool AllowedWeakness(const DetectorContext& ctx) const;
  bool KindCounts(RangeKind range, RangeKind wanted) const;
  void SetTradeable(const DetectorContext& ctx, RangeKind kind, PatternEvent& e) const;
  const DetectorParams params_;
};

}  // namespace wyckoff::detectors
