#include "wyckoff/detectors/pattern_event.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "wyckoff/detectors/params.h"

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
         a.not_tradeable == b.not_tradeable && a.gate_phase == b.gate_phase &&
         a.gate_phase_bars == b.gate_phase_bars;
}

namespace {

bool IsShortSignal(EventType t) {
  return t == EventType::kUpthrust || t == EventType::kSignOfWeakness ||
         t == EventType::kLastPointOfSupply;
}

std::string PhaseText(const PatternEvent& e, const DetectorParams& params) {
  const bool short_side = IsShortSignal(e.type);
  const RangeKind wanted = short_side ? RangeKind::kDistribution : RangeKind::kAccumulation;
  if (e.range_kind != wanted && (short_side || !params.spring_any_kind)) {
    return short_side ? "accumulation range (upthrusts count in distribution ranges)"
                      : "distribution range (springs count in accumulation ranges)";
  }
  switch (e.gate_phase) {
    case Phase::kNone:
      return "no phase (no trading range is held)";
    case Phase::kA:
      return "phase A (no trading before phase B)";
    case Phase::kB:
      if (e.gate_phase_bars < params.phase_b_min_bars) {
        return "phase B too young (" + std::to_string(e.gate_phase_bars) + " of " +
               std::to_string(params.phase_b_min_bars) + " bars)";
      }
      break;
    default:
      break;
  }
  return "phase " + std::string(PhaseName(e.gate_phase)) +
         " (not a counting phase of the range it refers to)";
}

std::string Fixed(double v, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

std::string Shortest(double v) {
  char text[48];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace

std::string NotTradeableText(const PatternEvent& e, const DetectorParams& params) {
  switch (e.not_tradeable) {
    case NotTradeable::kNone:
    case NotTradeable::kNotASignal:
      return "";
    case NotTradeable::kWarmUp:
      return "warm-up (" + std::to_string(e.confirm_index + 1) + " of " +
             std::to_string(params.warmup_bars) + " bars)";
    case NotTradeable::kPhase:
      return PhaseText(e, params);
    case NotTradeable::kNoTest:
      return "no test yet (spring_needs_test)";
    case NotTradeable::kLowConfidence:
      return "confidence " + Fixed(e.confidence, 0) + " below " +
             Shortest(params.spring_min_confidence);
    case NotTradeable::kRewardRisk:
      return std::isnan(e.reward_risk) ? "no risk between entry and stop"
                                       : "reward/risk " + Fixed(e.reward_risk, 2) + " below " +
                                             Shortest(params.min_reward_risk);
    case NotTradeable::kZeroVolume:
      return "no volume on the bar";
    case NotTradeable::kDisabled:
      return std::string(EventTypeName(e.type)) + " not traded itself (trade_sos=false)";
  }
  return "";
}

}  // namespace wyckoff::detectors
