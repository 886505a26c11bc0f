#include "wyckoff/strategies/pattern_records.h"

namespace wyckoff::strategies {
namespace {

using detectors::PatternEvent;

std::string_view DirectionName(detectors::Direction d) {
  switch (d) {
    case detectors::Direction::kLong:
      return "LONG";
    case detectors::Direction::kShort:
      return "SHORT";
    case detectors::Direction::kNone:
      return "";
  }
  return "";
}

}  // namespace

engine::RunEvent ToRunEvent(const PatternEvent& e, int symbol,
                            const detectors::DetectorParams& params) {
  engine::RunEvent r;
  r.symbol = symbol;
  r.type = std::string(detectors::EventTypeName(e.type));
  r.pattern_time = e.pattern_time;
  r.confirm_time = e.confirm_time;
  r.level = e.level;
  r.confidence = e.confidence;
  const bool up = e.range_kind == detectors::RangeKind::kAccumulation;
  using engine::DetailValue;
  r.details.reserve(kPatternDetails);
  // Each detail built in place: every move of a DetailValue visits its variant, and three
  // moves a detail (a parameter, a temporary EventDetail, the vector) cost 1.4% of
  // BM_Backtest_Wyckoff.
  auto add = [&r](std::string_view name, auto&& value) {
    r.details.emplace_back(std::string(name), std::forward<decltype(value)>(value));
  };
  add("range_id", DetailValue::Integer(e.range_id));
  add("range_kind", detectors::RangeKindName(e.range_kind));
  add("phase_before", detectors::PhaseName(e.phase_before));
  add("phase_after", detectors::PhaseName(e.phase_after));
  add("support", DetailValue::Number(e.range.support));
  add("resistance", DetailValue::Number(e.range.resistance));
  add("jump_target", DetailValue::Number(up ? e.range.jump_up : e.range.jump_down));
  add("conservative_target",
      DetailValue::Number(up ? e.range.conservative_up : e.range.conservative_down));
  add("extreme", DetailValue::Number(e.extreme));
  add("penetration", DetailValue::Number(e.penetration));
  add("volume_ratio", DetailValue::Number(e.volume_ratio));
  add("spread_ratio", DetailValue::Number(e.spread_ratio));
  add("close_position", DetailValue::Number(e.close_position));
  add("bars", DetailValue::Integer(e.bars));
  add("signal", DirectionName(e.direction));
  add("entry", DetailValue::Number(e.entry));
  add("stop", DetailValue::Number(e.stop));
  add("target", DetailValue::Number(e.target));
  add("reward_risk", DetailValue::Number(e.reward_risk));
  add("tradeable", e.tradeable() ? "true" : "false");
  add("not_tradeable", detectors::NotTradeableName(e.not_tradeable));
  add("reason", detectors::NotTradeableText(e, params));
  add("status", "");
  return r;
}

void SetSignalStatus(engine::RunEvent& event, std::string status) {
  event.details.back().value = std::move(status);  // "status" is always the last detail
}

}  // namespace wyckoff::strategies
