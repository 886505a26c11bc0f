#include "wyckoff/strategies/pattern_records.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace wyckoff::strategies {
namespace {

using detectors::PatternEvent;

// Up to 6 decimals, trailing zeros trimmed; empty when undefined.
std::string Number(double v) {
  if (std::isnan(v) || std::isinf(v)) return "";
  char buf[64];
  // std::to_chars: the same digits as printf's %.6f without its locale and format parsing.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 6);
  if (ec != std::errc()) return "";
  std::string_view s(buf, static_cast<std::size_t>(end - buf));
  s = s.substr(0, s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.remove_suffix(1);
  return s == "-0" ? "0" : std::string(s);
}

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
  r.details = {
      {"range_id", std::to_string(e.range_id)},
      {"range_kind", std::string(detectors::RangeKindName(e.range_kind))},
      {"phase_before", std::string(detectors::PhaseName(e.phase_before))},
      {"phase_after", std::string(detectors::PhaseName(e.phase_after))},
      {"support", Number(e.range.support)},
      {"resistance", Number(e.range.resistance)},
      {"jump_target", Number(up ? e.range.jump_up : e.range.jump_down)},
      {"conservative_target", Number(up ? e.range.conservative_up : e.range.conservative_down)},
      {"extreme", Number(e.extreme)},
      {"penetration", Number(e.penetration)},
      {"volume_ratio", Number(e.volume_ratio)},
      {"spread_ratio", Number(e.spread_ratio)},
      {"close_position", Number(e.close_position)},
      {"bars", std::to_string(e.bars)},
      {"signal", std::string(DirectionName(e.direction))},
      {"entry", Number(e.entry)},
      {"stop", Number(e.stop)},
      {"target", Number(e.target)},
      {"reward_risk", Number(e.reward_risk)},
      {"tradeable", e.tradeable() ? "true" : "false"},
      {"not_tradeable", std::string(detectors::NotTradeableName(e.not_tradeable))},
      {"reason", detectors::NotTradeableText(e, params)},
      {"status", ""},
  };
  return r;
}

void SetSignalStatus(engine::RunEvent& event, std::string status) {
  event.details.back().second = std::move(status);  // "status" is always the last detail
}

}  // namespace wyckoff::strategies
