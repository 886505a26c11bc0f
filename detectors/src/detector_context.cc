#include "wyckoff/detectors/detector_context.h"

namespace wyckoff::detectors {

PatternEvent& AppendEvent(std::vector<PatternEvent>& out, const DetectorContext& ctx,
                          EventType type, const TradingRange* range, std::int64_t pattern_index,
                          Timestamp pattern_time) {
  PatternEvent& e = out.emplace_back();
  e.type = type;
  e.symbol.assign(ctx.symbol);
  e.pattern_index = pattern_index;
  e.pattern_time = pattern_time;
  e.confirm_index = ctx.index;
  e.confirm_time = ctx.bar->time;
  e.range_kind = ctx.kind;
  e.phase_before = e.phase_after = ctx.phase;
  e.gate_phase = ctx.phase;
  e.gate_phase_bars = ctx.phase_bars;
  if (range != nullptr) {
    e.range_id = range->id;
    e.range = LevelsAt(*range, ctx.index);
  }
  e.volume_ratio = ctx.features->volume_ratio;
  e.spread_ratio = ctx.features->spread_ratio;
  e.close_position = ctx.features->close_position;
  return e;
}

double RewardRisk(double entry, double stop, double target) {
  const double risk = entry > stop ? entry - stop : stop - entry;
  const double reward = entry > stop ? target - entry : entry - target;
  if (!(risk > 0)) return kUndefined;
  return reward / risk;
}

NotTradeable PhaseThenRewardRisk(bool phase_ok, double reward_risk, const DetectorParams& params) {
  if (!phase_ok) return NotTradeable::kPhase;
  if (!(reward_risk >= params.min_reward_risk)) return NotTradeable::kRewardRisk;
  return NotTradeable::kNone;
}

}  // namespace wyckoff::detectors
