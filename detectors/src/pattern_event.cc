#include "wyckoff/detectors/pattern_event.h"

#include <cmath>

namespace wyckoff::detectors {

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kSellingClimax:
      return "SC";
    case EventType::kBuyingClimax:
      return "BC";
    case EventType::kSecondaryTest:
      return "ST";
    case EventType::kRangeActive:
      return "RANGE_ACTIVE";
    case EventType::kRangeBrokenDown:
      return "RANGE_BROKEN_DOWN";
    case EventType::kRangeBrokenUp:
      return "RANGE_BROKEN_UP";
    case EventType::kSpring:
      return "SPRING";
    case EventType::kSpringTest:
      return "SPRING_TEST";
    case EventType::kSpringInvalidated:
      return "SPRING_INVALIDATED";
    case EventType::kSignOfStrength:
      return "SOS";
    case EventType::kLastPointOfSupport:
      return "LPS";
    case EventType::kUpthrust:
      return "UTAD";
    case EventType::kSignOfWeakness:
      return "SOW";
    case EventType::kLastPointOfSupply:
      return "LPSY";
  }
  return "UNKNOWN";
}

std::string_view PhaseName(Phase phase) {
  constexpr std::string_view kNames[] = {"NONE", "A", "B", "C", "D", "E"};
  return kNames[static_cast<int>(phase)];
}

std::string_view RangeStatusName(RangeStatus status) {
  constexpr std::string_view kNames[] = {"FORMING", "ACTIVE", "BROKEN_DOWN", "BROKEN_UP"};
  return kNames[static_cast<int>(status)];
}

std::string_view RangeKindName(RangeKind kind) {
  return kind == RangeKind::kAccumulation ? "ACCUMULATION" : "DISTRIBUTION";
}

std::string_view NotTradeableName(NotTradeable reason) {
  switch (reason) {
    case NotTradeable::kNone:
      return "";
    case NotTradeable::kNotASignal:
      return "not a signal";
    case NotTradeable::kWarmUp:
      return "warm-up";
    case NotTradeable::kPhase:
      return "phase";
    case NotTradeable::kNoTest:
      return "no test";
    case NotTradeable::kLowConfidence:
      return "low confidence";
    case NotTradeable::kRewardRisk:
      return "reward/risk below minimum";
    case NotTradeable::kZeroVolume:
      return "zero volume";
    case NotTradeable::kDisabled:
      return "disabled";
  }
  return "unknown";
}

namespace {
bool Same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
}  // namespace

bool SameEvent(const PatternEvent& a, const PatternEvent& b) {
  return a.type == b.type && a.symbol == b.symbol && a.pattern_index == b.pattern_index &&
         a.confirm_index == b.confirm_index && a.pattern_time == b.pattern_time &&
         a.confirm_time == b.confirm_time && a.range_id == b.range_id &&
         a.range_kind == b.range_kind && a.phase_before == b.phase_before &&
         a.phase_after == b.phase_after && Same(a.range.support, b.range.support) &&
         Same(a.range.resistance, b.range.resistance) && Same(a.range.jump_up, b.range.jump_up) &&
         Same(a.range.conservative_up, b.range.conservative_up) &&
         Same(a.range.jump_down, b.range.jump_down) &&
         Same(a.range.conservative_down, b.range.conservative_down) &&
         a.range.duration_bars == b.range.duration_bars && Same(a.level, b.level) &&
         Same(a.extreme, b.extreme) && Same(a.penetration, b.penetration) &&
         Same(a.volume_ratio, b.volume_ratio) && Same(a.spread_ratio, b.spread_ratio) &&
         Same(a.close_position, b.close_position) && a.bars == b.bars &&
         Same(a.confidence, b.confidence) && a.direction == b.direction && Same(a.entry, b.entry) &&
         Same(a.stop, b.stop) && Same(a.target, b.target) && Same(a.reward_risk, b.reward_risk) &&
         a.not_tradeable == b.not_tradeable;
}

}  // namespace wyckoff::detectors
