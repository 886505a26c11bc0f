#include "wyckoff/detectors/phase_machine.h"

#include <cmath>

namespace wyckoff::detectors {

void PhaseMachine::Enter(Phase phase, std::int64_t t) {
  if (phase_ == phase) return;
  phase_ = phase;
  phase_start_ = t;
}

void PhaseMachine::SyncRange(const TradingRange* range, std::int64_t t) {
  const std::int64_t id = range != nullptr ? range->id : 0;
  const bool active = range != nullptr && range->status != RangeStatus::kForming;
  if (id == range_id_) {
    if (active) range_was_active_ = true;
    return;
  }
  // A range that was ACTIVE consumed its climax; a FORMING range that was dropped did not. The
  // decision is about the range that ended: a new range ACTIVE at its first bar (a percentile
  // or ATR range, a pivot range activated where it is created) still inherits the climax.
  const bool keep_climax =
      climax_.valid && !range_was_active_ && t - climax_.index <= kClimaxMemoryBars;
  if (!keep_climax) {
    climax_ = Climax{};
    phase_ = Phase::kNone;
    phase_start_ = t;
  }
  range_id_ = id;
  range_was_active_ = active;
  spring_seen_ = false;
  utad_seen_ = false;
  if (climax_.valid) {
    kind_ = climax_.selling ? RangeKind::kAccumulation : RangeKind::kDistribution;
  } else if (range != nullptr) {
    kind_ = range->trend_kind;
  }
}

void PhaseMachine::OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  const std::int64_t t = ctx.index;
  if (phase_ == Phase::kNone && !DetectClimax(ctx, out) && ctx.range != nullptr &&
      ctx.range->status == RangeStatus::kActive) {
    Enter(Phase::kA, t);  // the range formed
  }
  if (phase_ == Phase::kA && climax_.valid && !climax_.tested) DetectSecondaryTest(ctx, out);
  // A -> B on the bar after the range formed, when no secondary test came first.
  if (phase_ == Phase::kA && ctx.range != nullptr && ctx.range->active_index >= 0 &&
      t > ctx.range->active_index) {
    Enter(Phase::kB, t);
  }
}

bool PhaseMachine::DetectClimax(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  const FeatureValues& f = *ctx.features;
  const BarValues& bar = *ctx.bar;
  if (!f.VolumeGateOpen() || f.effort != EffortClass::kClimactic ||
      f.volume_ratio < params_.climax_volume || !(f.spread_ratio >= params_.climax_spread) ||
      std::isnan(f.prev_close)) {
    return false;
  }
  const bool selling =
      f.close_position >= params_.climax_close_position && bar.close < f.prev_close;
  const bool buying = f.close_position <= params_.climax_close_position && bar.close > f.prev_close;
  if (!selling && !buying) return false;
  climax_ = {true, selling, ctx.index, selling ? bar.low : bar.high, bar.volume, false};
  kind_ = selling ? RangeKind::kAccumulation : RangeKind::kDistribution;
  Enter(Phase::kA, ctx.index);
  PatternEvent& e =
      AppendEvent(out, ctx, selling ? EventType::kSellingClimax : EventType::kBuyingClimax,
                  ctx.range, ctx.index, bar.time);
  e.range_kind = kind_;
  e.phase_after = phase_;
  e.level = climax_.extreme;  // the climax's low (SC) or high (BC): what its ST retests
  e.extreme = climax_.extreme;
  e.confidence = 100;
  return true;
}

void PhaseMachine::DetectSecondaryTest(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  const BarValues& bar = *ctx.bar;
  if (ctx.index - climax_.index < params_.st_min_bars || !(bar.volume > 0)) return;
  const double extreme = climax_.selling ? bar.low : bar.high;
  const bool near = std::fabs(extreme - climax_.extreme) <=
                    params_.st_tolerance * ctx.price_scale * climax_.extreme;
  if (!near || bar.volume > (1 - params_.st_volume_drop) * climax_.volume) return;
  const Phase before = phase_;
  Enter(Phase::kB, ctx.index);
  PatternEvent& e =
      AppendEvent(out, ctx, EventType::kSecondaryTest, ctx.range, ctx.index, bar.time);
  e.range_kind = kind_;
  e.phase_before = before;
  e.phase_after = phase_;
  e.level = climax_.extreme;
  e.extreme = extreme;
  e.penetration = (extreme - climax_.extreme) / climax_.extreme;
  e.bars = static_cast<int>(ctx.index - climax_.index);
  e.confidence = 100 * (1 - bar.volume / climax_.volume);
  climax_.tested = true;
}

void PhaseMachine::OnSpring(std::int64_t t) {
  if (!PatternCounts(t) || (kind_ != RangeKind::kAccumulation && !params_.spring_any_kind)) return;
  spring_seen_ = true;
  Enter(Phase::kC, t);
}

void PhaseMachine::OnSos(std::int64_t t) { Enter(Phase::kD, t); }

void PhaseMachine::OnLps(std::int64_t t) {
  if (phase_ == Phase::kD) Enter(Phase::kE, t);
}

void PhaseMachine::OnFallback(std::int64_t t) {
  if (phase_ == Phase::kD) Enter(Phase::kB, t);
}

void PhaseMachine::OnUtad(std::int64_t t) {
  if (!PatternCounts(t) || kind_ != RangeKind::kDistribution) return;
  utad_seen_ = true;
  Enter(Phase::kC, t);
}

bool PhaseMachine::PatternCounts(std::int64_t t) const {
  return (phase_ == Phase::kB && t - phase_start_ >= params_.phase_b_min_bars) ||
         phase_ == Phase::kC;
}

}  // namespace wyckoff::detectors
