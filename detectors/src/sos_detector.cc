#include "wyckoff/detectors/sos_detector.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace wyckoff::detectors {

double SosVolumePoints(double volume_ratio) {
  constexpr std::array<double, 5> kRatio = {1.5, 1.7, 2.0, 2.3, 2.5};
  constexpr std::array<double, 5> kPoints = {15, 18, 25, 32, 35};
  if (!(volume_ratio > kRatio.front())) return kPoints.front();
  for (std::size_t i = 1; i < kRatio.size(); ++i) {
    if (volume_ratio <= kRatio[i]) {
      const double w = (volume_ratio - kRatio[i - 1]) / (kRatio[i] - kRatio[i - 1]);
      return kPoints[i - 1] + w * (kPoints[i] - kPoints[i - 1]);
    }
  }
  return kPoints.back();
}

double SosConfidence(double volume_ratio, double spread_ratio, double close_position,
                     double breakout, int duration_bars, const DetectorParams& params,
                     double price_scale) {
  const double spread = std::clamp(10 + (spread_ratio - 1.2) / 0.8 * 10, 10.0, 20.0);
  double close = std::clamp(10 + (close_position - 0.5) / 0.5 * 10, 10.0, 20.0);
  if (close_position < params.sos_marginal_close_position) close -= 10;
  const double size = std::clamp(5 + (breakout / price_scale - 0.01) * 500, 0.0, 15.0);
  const double duration = std::min(10.0, duration_bars / 4.0);
  return std::clamp(SosVolumePoints(volume_ratio) + spread + close + size + duration, 0.0, 100.0);
}

bool SosDetector::Allowed(const DetectorContext& ctx) const {
  if (ctx.range == nullptr || !ctx.range->live()) return false;
  if (ctx.index + 1 < params_.sos_min_bars) return false;
  // After a spring in this range: phase C, or B again after a failed breakout.
  if (ctx.spring_seen) return ctx.phase == Phase::kC || ctx.phase == Phase::kB;
  // Without one (sos_needs_spring off): a mature phase B of a range springs count in.
  return !params_.sos_needs_spring && ctx.phase == Phase::kB && ctx.pattern_counts &&
         (ctx.kind == RangeKind::kAccumulation || params_.spring_any_kind);
}

bool SosDetector::OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out) const {
  if (!Allowed(ctx)) return false;
  const BarValues& bar = *ctx.bar;
  const FeatureValues& f = *ctx.features;
  const double r = ctx.range->resistance;
  if (f.flat || !(bar.close >= r * (1 + params_.sos_breakout * ctx.price_scale))) return false;
  if (!f.VolumeGateOpen() || !(f.volume_ratio >= params_.sos_volume)) return false;
  if (!(f.spread_ratio >= params_.sos_spread)) return false;
  if (!(f.close_position >= params_.sos_close_position)) return false;
  PatternEvent& e =
      AppendEvent(out, ctx, EventType::kSignOfStrength, ctx.range, ctx.index, bar.time);
  e.level = r;
  e.extreme = bar.close;
  e.penetration = (bar.close - r) / r;
  e.confidence = SosConfidence(f.volume_ratio, f.spread_ratio, f.close_position, e.penetration,
                               e.range.duration_bars, params_, ctx.price_scale);
  e.direction = Direction::kLong;
  e.entry = bar.close;
  e.stop = r * (1 - params_.sos_stop * ctx.price_scale);
  e.target = e.range.jump_up;
  e.reward_risk = RewardRisk(e.entry, e.stop, e.target);
  SetTradeable(ctx, RangeKind::kAccumulation, e);
  return true;
}

bool SosDetector::AllowedWeakness(const DetectorContext& ctx) const {
  if (ctx.range == nullptr || !ctx.range->live()) return false;
  if (ctx.index + 1 < params_.sos_min_bars) return false;
  // After a UTAD in this range: phase C, or B again after a failed breakdown.
  if (ctx.utad_seen) return ctx.phase == Phase::kC || ctx.phase == Phase::kB;
  // Without one (sos_needs_spring off): a mature phase B of a distribution range.
  return !params_.sos_needs_spring && ctx.phase == Phase::kB && ctx.pattern_counts &&
         ctx.kind == RangeKind::kDistribution;
}

bool SosDetector::OnBarWeakness(const DetectorContext& ctx, std::vector<PatternEvent>& out) const {
  if (!AllowedWeakness(ctx)) return false;
  const BarValues& bar = *ctx.bar;
  const FeatureValues& f = *ctx.features;
  const double s = ctx.range->support;
  if (f.flat || !(bar.close <= s * (1 - params_.sos_breakout * ctx.price_scale))) return false;
  if (!f.VolumeGateOpen() || !(f.volume_ratio >= params_.sos_volume)) return false;
  if (!(f.spread_ratio >= params_.sos_spread)) return false;
  if (!(f.close_position <= 1 - params_.sos_close_position)) return false;
  PatternEvent& e =
      AppendEvent(out, ctx, EventType::kSignOfWeakness, ctx.range, ctx.index, bar.time);
  e.level = s;
  e.extreme = bar.close;
  e.penetration = (s - bar.close) / s;
  e.confidence = SosConfidence(f.volume_ratio, f.spread_ratio, 1 - f.close_position, e.penetration,
                               e.range.duration_bars, params_, ctx.price_scale);
  e.direction = Direction::kShort;
  e.entry = bar.close;
  e.stop = s * (1 + params_.sos_stop * ctx.price_scale);
  e.target = e.range.jump_down;
  e.reward_risk = RewardRisk(e.entry, e.stop, e.target);
  SetTradeable(ctx, RangeKind::kDistribution, e);
  return true;
}

// An SOS trades in accumulation (and, with spring_any_kind, in distribution too: the springs
// that moved such a range to phase C counted); an SOW in distribution only.
bool SosDetector::KindCounts(RangeKind range, RangeKind wanted) const {
  return range == wanted || (wanted == RangeKind::kAccumulation && params_.spring_any_kind);
}

void SosDetector::SetTradeable(const DetectorContext& ctx, RangeKind kind, PatternEvent& e) const {
  e.not_tradeable = !params_.trade_sos
                        ? NotTradeable::kDisabled
                        : PhaseThenRewardRisk(KindCounts(ctx.kind, kind), e.reward_risk, params_);
}

}  // namespace wyckoff::detectors
