#include "wyckoff/detectors/spring_detector.h"

#include <algorithm>
#include <cmath>

namespace wyckoff::detectors {

double StopBuffer(double penetration, const DetectorParams& params, double price_scale) {
  if (penetration < params.stop_edge_shallow * price_scale) {
    return params.stop_buffer_shallow * price_scale;
  }
  if (penetration < params.stop_edge_deep * price_scale) {
    return params.stop_buffer_mid * price_scale;
  }
  return params.stop_buffer_deep * price_scale;
}

namespace {

double VolumePoints(double vr, const DetectorParams& params) {
  if (params.spring_volume_mode == SpringVolumeMode::kScored && vr >= params.spring_volume_max) {
    return vr >= 1.0 ? -10 : 0;
  }
  if (vr < 0.3) return 40;
  if (vr < 0.4) return 30;
  if (vr < 0.5) return 20;
  if (vr < 0.6) return 10;
  return 5;
}

double PenetrationPoints(double penetration, double scale) {
  if (penetration >= 0.01 * scale && penetration < 0.02 * scale) return 35;
  if (penetration >= 0.02 * scale && penetration < 0.03 * scale) return 25;
  if (penetration >= 0.03 * scale && penetration < 0.04 * scale) return 15;
  return 5;
}

double RecoveryPoints(int bars) {
  if (bars <= 1) return 25;
  if (bars == 2) return 20;
  if (bars == 3) return 15;
  return 10;
}

}  // namespace

double SpringConfidence(double volume_ratio, double penetration, int recovery_bars, bool tested,
                        double range_quality, const DetectorParams& params, double price_scale) {
  const double support_bonus = std::clamp(std::floor(range_quality / 10), 0.0, 10.0);
  const double sum = VolumePoints(volume_ratio, params) +
                     PenetrationPoints(penetration, price_scale) + RecoveryPoints(recovery_bars) +
                     (tested ? 20 : 0) + support_bonus;
  return std::clamp(sum, 0.0, 100.0);
}

TradeLevels SpringTrade(double support, double spring_low, double target,
                        const DetectorParams& params, double price_scale) {
  TradeLevels out;
  const double penetration = (support - spring_low) / support;
  out.entry = support * (1 + params.spring_entry_offset * price_scale);
  out.stop = spring_low * (1 - StopBuffer(penetration, params, price_scale));
  out.target = target;
  out.reward_risk = RewardRisk(out.entry, out.stop, out.target);
  return out;
}

SpringDetector::Step SpringDetector::OnBar(const DetectorContext& ctx,
                                           std::vector<PatternEvent>& out) {
  Step step;
  if (tracked_.active) TrackConfirmed(ctx, out, step);
  if (pending_.active) UpdatePending(ctx, out, step);
  if (!pending_.active && !step.confirmed) {
    StartCandidate(ctx);
    if (pending_.active && ctx.bar->close > pending_.support) {
      Confirm(ctx, out);  // same-bar spring: recovery 0
      step.confirmed = true;
    }
  }
  if (step.confirmed) TrackConfirmed(ctx, out, step);  // a test may come at the confirming bar
  return step;
}

void SpringDetector::Cancel() {
  pending_.active = false;
  tracked_.active = false;
}

bool SpringDetector::Qualifies(const DetectorContext& ctx, double support) const {
  const BarValues& bar = *ctx.bar;
  const FeatureValues& f = *ctx.features;
  if (!(bar.low < support)) return false;
  const double penetration = (support - bar.low) / support;
  if (penetration > params_.spring_max_penetration * ctx.price_scale) {
    return false;  // deeper than the limit: a breakdown, not a spring
  }
  if (penetration < params_.spring_min_penetration * ctx.price_scale) return false;
  if (!f.VolumeGateOpen()) return false;  // no volume (index data) never passes
  return params_.spring_volume_mode == SpringVolumeMode::kScored ||
         f.volume_ratio < params_.spring_volume_max;
}

void SpringDetector::StartCandidate(const DetectorContext& ctx) {
  if (ctx.range == nullptr || !ctx.range->live()) return;
  if (ctx.index - last_confirm_ < params_.spring_cooldown_bars) return;
  // A higher low while a confirmed spring is tracked is its test, not a new spring.
  if (tracked_.active && !(ctx.bar->low < tracked_.spring.low)) return;
  if (!Qualifies(ctx, ctx.range->support)) return;
  const FeatureValues& f = *ctx.features;
  pending_ = {true,          ctx.range->id, ctx.range->support, ctx.index,      ctx.index,
              ctx.bar->time, ctx.bar->low,  f.volume_ratio,     f.spread_ratio, f.close_position};
}

void SpringDetector::UpdatePending(const DetectorContext& ctx, std::vector<PatternEvent>& out,
                                   Step& step) {
  const BarValues& bar = *ctx.bar;
  if (ctx.range == nullptr || ctx.range->id != pending_.range_id || !ctx.range->live()) {
    pending_.active = false;  // the range broke or changed
    return;
  }
  if (bar.low < pending_.low) {  // a deeper low: it becomes the spring bar, or a breakdown
    if (!Qualifies(ctx, pending_.support)) {
      pending_.active = false;
      return;
    }
    const FeatureValues& f = *ctx.features;
    pending_.index = ctx.index;
    pending_.time = bar.time;
    pending_.low = bar.low;
    pending_.volume_ratio = f.volume_ratio;
    pending_.spread_ratio = f.spread_ratio;
    pending_.close_position = f.close_position;
  }
  if (bar.close > pending_.support) {
    Confirm(ctx, out);
    step.confirmed = true;
  } else if (ctx.index - pending_.first_pierce >= params_.spring_recovery_bars) {
    pending_.active = false;  // no recovery within the window
  }
}

void SpringDetector::Confirm(const DetectorContext& ctx, std::vector<PatternEvent>& out) {
  Confirmed c;
  c.active = true;
  c.spring = pending_;
  c.confirm_index = ctx.index;
  c.recovery_bars = static_cast<int>(ctx.index - pending_.index);
  c.counts =
      ctx.pattern_counts && (ctx.kind == RangeKind::kAccumulation || params_.spring_any_kind);
  c.phase = ctx.phase;
  c.phase_bars = ctx.phase_bars;
  c.range_quality = ctx.range->quality;
  c.levels = LevelsAt(*ctx.range, ctx.index);
  c.kind = ctx.kind;
  tracked_ = c;
  pending_.active = false;
  last_confirm_ = ctx.index;
  EmitSignal(ctx, out, /*tested=*/false);
}

void SpringDetector::TrackConfirmed(const DetectorContext& ctx, std::vector<PatternEvent>& out,
                                    Step& step) {
  Confirmed& c = tracked_;
  const BarValues& bar = *ctx.bar;
  const std::int64_t t = ctx.index;
  const double floor = c.spring.support * (1 - params_.spring_invalidation_pct * ctx.price_scale);
  if (t > c.confirm_index && t <= c.confirm_index + params_.spring_invalidation_bars &&
      bar.close < floor) {
    PatternEvent& e = Emit(ctx, out, EventType::kSpringInvalidated, c);
    e.bars = static_cast<int>(t - c.confirm_index);
    c.active = false;
    step.invalidated = true;
    return;
  }
  const std::int64_t since = t - c.spring.index;
  if (c.test_possible && bar.low < c.spring.low) c.test_possible = false;  // low not held
  if (c.test_possible && since >= params_.spring_test_min_bars &&
      since <= params_.spring_test_max_bars &&
      bar.low <= c.spring.low * (1 + params_.spring_test_tolerance * ctx.price_scale) &&
      ctx.features->VolumeGateOpen() && ctx.features->volume_ratio < c.spring.volume_ratio) {
    EmitSignal(ctx, out, /*tested=*/true);
    c.test_possible = false;
    step.tested = true;
  }
  if (t >= std::max<std::int64_t>(c.spring.index + params_.spring_test_max_bars,
                                  c.confirm_index + params_.spring_invalidation_bars)) {
    c.active = false;
  }
}

// The SPRING (tested = false) or SPRING_TEST event of the tracked spring, with its confidence
// and trade levels.
void SpringDetector::EmitSignal(const DetectorContext& ctx, std::vector<PatternEvent>& out,
                                bool tested) {
  const Confirmed& c = tracked_;
  PatternEvent& e = Emit(ctx, out, tested ? EventType::kSpringTest : EventType::kSpring, c);
  e.confidence = SpringConfidence(c.spring.volume_ratio, e.penetration, c.recovery_bars, tested,
                                  c.range_quality, params_, ctx.price_scale);
  const TradeLevels trade =
      SpringTrade(c.spring.support, c.spring.low, c.levels.jump_up, params_, ctx.price_scale);
  e.direction = Direction::kLong;
  e.entry = trade.entry;
  e.stop = trade.stop;
  e.target = trade.target;
  e.reward_risk = trade.reward_risk;
  e.not_tradeable = Reason(ctx, c, e.confidence, trade.reward_risk, tested);
}

PatternEvent& SpringDetector::Emit(const DetectorContext& ctx, std::vector<PatternEvent>& out,
                                   EventType type, const Confirmed& c) {
  PatternEvent& e = AppendEvent(out, ctx, type, nullptr, c.spring.index, c.spring.time);
  e.range_id = c.spring.range_id;
  e.range = c.levels;
  e.range_kind = c.kind;
  e.level = c.spring.support;
  e.extreme = c.spring.low;
  e.penetration = (c.spring.support - c.spring.low) / c.spring.support;
  e.volume_ratio = c.spring.volume_ratio;
  e.spread_ratio = c.spring.spread_ratio;
  e.close_position = c.spring.close_position;
  e.bars = c.recovery_bars;
  e.gate_phase = c.phase;
  e.gate_phase_bars = c.phase_bars;
  return e;
}

NotTradeable SpringDetector::Reason(const DetectorContext& ctx, const Confirmed& c,
                                    double confidence, double reward_risk, bool tested) const {
  if (ctx.index + 1 < params_.warmup_bars) return NotTradeable::kWarmUp;
  if (!c.counts) return NotTradeable::kPhase;
  if (!tested && params_.spring_needs_test) return NotTradeable::kNoTest;
  if (confidence < params_.spring_min_confidence) return NotTradeable::kLowConfidence;
  if (!(reward_risk >= params_.min_reward_risk)) return NotTradeable::kRewardRisk;
  return NotTradeable::kNone;
}

}  // namespace wyckoff::detectors
