#include "wyckoff/detectors/lps_detector.h"

#include <cmath>

namespace wyckoff::detectors {

void LpsDetector::Arm(const DetectorContext& ctx, const PatternEvent& sos) {
  armed_ = true;
  failed_ = false;
  range_id_ = sos.range_id;
  sos_index_ = ctx.index;
  resistance_ = sos.level;
  levels_ = sos.range;
  kind_ = sos.range_kind;
  low_index_ = -1;
}

LpsDetector::Outcome LpsDetector::OnBar(const DetectorContext& ctx,
                                        std::vector<PatternEvent>& out) {
  if (!armed_ || ctx.index <= sos_index_) return Outcome::kNone;
  const BarValues& bar = *ctx.bar;
  const double scale = ctx.price_scale;
  if (bar.close < resistance_) {  // back inside the range before an LPS
    armed_ = false;
    return Outcome::kFallback;
  }
  if (low_index_ < 0 || bar.low < low_) {
    const FeatureValues& f = *ctx.features;
    low_index_ = ctx.index;
    low_time_ = bar.time;
    low_ = bar.low;
    low_volume_ratio_ = f.volume_ratio;
    low_spread_ratio_ = f.spread_ratio;
    low_close_position_ = f.close_position;
  }
  if (low_ < resistance_ * (1 - params_.lps_floor * scale)) failed_ = true;
  if (!failed_ && low_ <= resistance_ * (1 + params_.lps_ceiling * scale) &&
      bar.close >= low_ * (1 + params_.lps_bounce * scale)) {
    Emit(ctx, out);
    armed_ = false;
    return Outcome::kConfirmed;
  }
  if (ctx.index - sos_index_ >= params_.lps_window) {
    armed_ = false;
    return Outcome::kExpired;
  }
  return Outcome::kNone;
}

void LpsDetector::Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  PatternEvent& e =
      AppendEvent(out, ctx, EventType::kLastPointOfSupport, nullptr, low_index_, low_time_);
  const double r = resistance_;
  const double scale = ctx.price_scale;
  e.range_id = range_id_;
  e.range = levels_;
  e.range_kind = kind_;
  e.level = r;
  e.extreme = low_;
  e.penetration = (low_ - r) / r;
  e.volume_ratio = low_volume_ratio_;
  e.spread_ratio = low_spread_ratio_;
  e.close_position = low_close_position_;
  e.bars = static_cast<int>(ctx.index - sos_index_);
  const bool dry = low_volume_ratio_ < 1.0;  // false when undefined (NaN)
  const bool close_to_r = std::fabs(low_ - r) <= 0.01 * scale * r;
  e.confidence = 60 + (dry ? 20 : 0) + (close_to_r ? 20 : 0);
  e.direction = Direction::kLong;
  e.entry = r * (1 + params_.lps_entry * scale);
  e.stop = r * (1 - params_.lps_stop * scale);
  e.target = levels_.jump_up;
  e.reward_risk = RewardRisk(e.entry, e.stop, e.target);
  if (kind_ != RangeKind::kAccumulation) {
    e.not_tradeable = NotTradeable::kPhase;
  } else if (!(e.reward_risk >= params_.min_reward_risk)) {
    e.not_tradeable = NotTradeable::kRewardRisk;
  } else {
    e.not_tradeable = NotTradeable::kNone;
  }
}

}  // namespace wyckoff::detectors
