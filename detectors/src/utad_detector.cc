#include "wyckoff/detectors/utad_detector.h"

#include <algorithm>

#include "wyckoff/detectors/spring_detector.h"

namespace wyckoff::detectors {

double UtadConfidence(double pierce, double volume_ratio, int failure_bars, double price_scale) {
  double points = 70;
  if (pierce >= 0.006 * price_scale && pierce <= 0.008 * price_scale) {
    points += 10;
  } else if (pierce >= 0.005 * price_scale && pierce <= 0.009 * price_scale) {
    points += 5;
  }
  if (volume_ratio >= 2.0) {
    points += 15;
  } else if (volume_ratio >= 1.7) {
    points += 10;
  }
  if (failure_bars <= 2) points += 5;
  return std::min(points, 100.0);
}

bool UtadDetector::Qualifies(const DetectorContext& ctx, double resistance) const {
  const double pierce = (ctx.bar->high - resistance) / resistance;
  const FeatureValues& f = *ctx.features;
  return pierce >= params_.utad_min_pierce * ctx.price_scale &&
         pierce <= params_.utad_max_pierce * ctx.price_scale && f.VolumeGateOpen() &&
         f.volume_ratio > params_.utad_volume;
}

void UtadDetector::Start(const DetectorContext& ctx, const TradingRange& range) {
  const FeatureValues& f = *ctx.features;
  pending_ = {true,          range.id,       range.resistance, ctx.index,       ctx.bar->time,
              ctx.bar->high, f.volume_ratio, f.spread_ratio,   f.close_position};
}

bool UtadDetector::OnBar(const DetectorContext& ctx, const TradingRange* range,
                         std::vector<PatternEvent>& out) {
  if (range == nullptr || range->status == RangeStatus::kBrokenDown) {
    pending_.active = false;
    return false;
  }
  if (pending_.active && pending_.range_id != range->id) pending_.active = false;
  if (pending_.active && ctx.bar->high > pending_.high) {
    // Higher still: this bar becomes the upthrust, or the move is a breakout.
    pending_.active = false;
    if (Qualifies(ctx, pending_.resistance)) Start(ctx, *range);
  } else if (!pending_.active && Qualifies(ctx, range->resistance)) {
    Start(ctx, *range);
  }
  if (!pending_.active) return false;
  if (ctx.bar->close < pending_.resistance) {
    Emit(ctx, *range, out);
    pending_.active = false;
    return true;
  }
  if (ctx.index - pending_.index >= params_.utad_failure_bars) pending_.active = false;
  return false;
}

void UtadDetector::Emit(const DetectorContext& ctx, const TradingRange& range,
                        std::vector<PatternEvent>& out) {
  const Candidate& c = pending_;
  PatternEvent& e = AppendEvent(out, ctx, EventType::kUpthrust, &range, c.index, c.time);
  const double scale = ctx.price_scale;
  if (ctx.range != &range) e.range_kind = range.trend_kind;  // a released range
  e.level = c.resistance;
  e.extreme = c.high;
  e.penetration = (c.high - c.resistance) / c.resistance;
  e.volume_ratio = c.volume_ratio;
  e.spread_ratio = c.spread_ratio;
  e.close_position = c.close_position;
  e.bars = static_cast<int>(ctx.index - c.index);
  e.confidence = UtadConfidence(e.penetration, c.volume_ratio, e.bars, scale);
  e.direction = Direction::kShort;
  e.entry = ctx.bar->close;
  e.stop = c.high * (1 + StopBuffer(e.penetration, params_, scale));
  e.target = e.range.conservative_down;
  e.reward_risk = RewardRisk(e.entry, e.stop, e.target);
  const bool counts = ctx.range == &range && ctx.pattern_counts;
  e.not_tradeable = ctx.index + 1 < params_.warmup_bars
                        ? NotTradeable::kWarmUp
                        : PhaseThenRewardRisk(ctx.kind == RangeKind::kDistribution && counts,
                                              e.reward_risk, params_);
}

}  // namespace wyckoff::detectors
