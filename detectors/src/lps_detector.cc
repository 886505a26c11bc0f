#include "wyckoff/detectors/lps_detector.h"

#include <cmath>

namespace wyckoff::detectors {

void LpsDetector::Arm(const DetectorContext& ctx, const PatternEvent& breakout) {
  armed_ = true;
  supply_ = breakout.type == EventType::kSignOfWeakness;
  failed_ = false;
  range_id_ = breakout.range_id;
  sos_index_ = ctx.index;
  level_ = breakout.level;
  levels_ = breakout.range;
  kind_ = breakout.range_kind;
  extreme_index_ = -1;
}

LpsDetector::Outcome LpsDetector::OnBar(const DetectorContext& ctx,
                                        std::vector<PatternEvent>& out) {
  if (!armed_ || ctx.index <= sos_index_) return Outcome::kNone;
  const double close = ctx.bar->close;
  // Back inside the range before an LPS (LPSY): the breakout (breakdown) failed.
  if (supply_ ? close > level_ : close < level_) {
    armed_ = false;
    return Outcome::kFallback;
  }
  Track(ctx);
  if (Confirms(ctx)) {
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

// Follows the pullback extreme (lowest low after an SOS, highest high after an SOW) and marks
// the watch failed once it goes beyond the floor.
void LpsDetector::Track(const DetectorContext& ctx) {
  const BarValues& bar = *ctx.bar;
  const double extreme = supply_ ? bar.high : bar.low;
  if (extreme_index_ < 0 || (supply_ ? extreme > extreme_ : extreme < extreme_)) {
    const FeatureValues& f = *ctx.features;
    extreme_index_ = ctx.index;
    extreme_time_ = bar.time;
    extreme_ = extreme;
    extreme_volume_ratio_ = f.volume_ratio;
    extreme_spread_ratio_ = f.spread_ratio;
    extreme_close_position_ = f.close_position;
  }
  const double floor = params_.lps_floor * ctx.price_scale;
  if (supply_ ? extreme_ > level_ * (1 + floor) : extreme_ < level_ * (1 - floor)) failed_ = true;
}

// The extreme is close enough to the level, and this bar's close turned away from it.
bool LpsDetector::Confirms(const DetectorContext& ctx) const {
  if (failed_) return false;
  const double scale = ctx.price_scale;
  const double close = ctx.bar->close;
  if (supply_) {
    return extreme_ >= level_ * (1 - params_.lps_ceiling * scale) &&
           close <= extreme_ * (1 - params_.lps_bounce * scale);
  }
  return extreme_ <= level_ * (1 + params_.lps_ceiling * scale) &&
         close >= extreme_ * (1 + params_.lps_bounce * scale);
}

void LpsDetector::Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  const EventType type = supply_ ? EventType::kLastPointOfSupply : EventType::kLastPointOfSupport;
  PatternEvent& e = AppendEvent(out, ctx, type, nullptr, extreme_index_, extreme_time_);
  const double level = level_;
  const double scale = ctx.price_scale;
  e.range_id = range_id_;
  e.range = levels_;
  e.range_kind = kind_;
  e.level = level;
  e.extreme = extreme_;
  e.penetration = (extreme_ - level) / level;
  e.volume_ratio = extreme_volume_ratio_;
  e.spread_ratio = extreme_spread_ratio_;
  e.close_position = extreme_close_position_;
  e.bars = static_cast<int>(ctx.index - sos_index_);
  const bool dry = extreme_volume_ratio_ < 1.0;  // false when undefined (NaN)
  const bool close_to_level = std::fabs(extreme_ - level) <= 0.01 * scale * level;
  e.confidence = 60 + (dry ? 20 : 0) + (close_to_level ? 20 : 0);
  const RangeKind expected = supply_ ? RangeKind::kDistribution : RangeKind::kAccumulation;
  if (supply_) {
    e.direction = Direction::kShort;
    e.entry = level * (1 - params_.lps_entry * scale);
    e.stop = level * (1 + params_.lps_stop * scale);
    e.target = levels_.jump_down;
  } else {
    e.direction = Direction::kLong;
    e.entry = level * (1 + params_.lps_entry * scale);
    e.stop = level * (1 - params_.lps_stop * scale);
    e.target = levels_.jump_up;
  }
  e.reward_risk = RewardRisk(e.entry, e.stop, e.target);
  const bool kind_counts = kind_ == expected || (!supply_ && params_.spring_any_kind);
  e.not_tradeable = PhaseThenRewardRisk(kind_counts, e.reward_risk, params_);
}

}  // namespace wyckoff::detectors
