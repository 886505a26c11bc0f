// The event record every detector emits, and the small enums it is made of.
//
// A PatternEvent is a value: the levels it quotes (support, resistance, targets) are copies
// taken when the event was confirmed, so a later change of the trading range cannot rewrite
// history. Every event carries two bar indices (see wyckoff-rules.md, "The one law"):
// `pattern_index`, the bar that formed the pattern, and `confirm_index`, the bar at which the
// last condition became true. A strategy may act at `confirm_index` at the earliest.
//
//   for (const PatternEvent& e : events) {
//     if (e.type == EventType::kSpringTest && e.tradeable()) {
//       PlaceBracket(e.symbol, e.entry, e.stop, e.target);  // fills at confirm_index + 1
//     } else if (!e.tradeable()) {
//       Log(EventTypeName(e.type), NotTradeableName(e.not_tradeable));
//     }
//   }
//
// Doubles that are undefined (a ratio during warm-up, the trade levels of an event that is
// not a trade signal) hold NaN; test them with std::isnan before printing.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "wyckoff/core/timestamp.h"

namespace wyckoff::detectors {

inline constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

enum class EventType : std::uint8_t {
  kSellingClimax,       // SC: climactic down bar that starts accumulation phase A
  kBuyingClimax,        // BC: climactic up bar that starts distribution phase A
  kSecondaryTest,       // ST: retest of the climax extreme on lower volume (A -> B)
  kRangeActive,         // the trading range reached ACTIVE (the range "forms")
  kRangeBrokenDown,     // an ACTIVE range closed more than 5% below S, or too long below S
  kRangeBrokenUp,       // an ACTIVE range closed far or long above R without an SOS (an SOS
                        // is itself the up-break: its range freezes, see SosDetector)
  kSpring,              // low pierced S and a close recovered above it (B -> C)
  kSpringTest,          // a higher low on lower volume after a spring: the long signal
  kSpringInvalidated,   // a close more than 5% below S within 10 bars after a spring
  kSignOfStrength,      // SOS: wide, high-volume close above R (C -> D)
  kLastPointOfSupport,  // LPS: pullback to R after an SOS that holds (D -> E)
  kUpthrust,            // UTAD: high pierced R by 0.5-1.0% on volume and closed back below
  kSignOfWeakness,      // SOW: wide, high-volume close below S after a UTAD (C -> D)
  kLastPointOfSupply,   // LPSY: rally to S after an SOW that fails below it (D -> E)
};

enum class Phase : std::uint8_t { kNone, kA, kB, kC, kD, kE };

enum class RangeStatus : std::uint8_t { kForming, kActive, kBrokenDown, kBrokenUp };

enum class RangeKind : std::uint8_t { kAccumulation, kDistribution };

enum class Direction : std::uint8_t { kNone, kLong, kShort };

// Why an event is not a trade signal. kNone means it is one.
enum class NotTradeable : std::uint8_t {
  kNone,           // tradeable
  kNotASignal,     // informational event (climax, range lifecycle, invalidation)
  kWarmUp,         // fewer bars than the warm-up (DetectorParams::warmup_bars)
  kPhase,          // wrong phase or range kind (phase A, young phase B, distribution range)
  kNoTest,         // a spring without its test while spring_needs_test is on
  kLowConfidence,  // confidence below the minimum
  kRewardRisk,     // reward/risk below min_reward_risk
  kZeroVolume,     // the bar has no volume (index data): volume cannot confirm it
  kDisabled,       // the signal kind is off (an SOS or SOW while trade_sos is false)
};

// "SC", "SPRING", "UTAD", "SOW", "LPSY", ...: the names of the rules page.
std::string_view EventTypeName(EventType type);
// "NONE", "A" .. "E".
std::string_view PhaseName(Phase phase);
// "FORMING", "ACTIVE", "BROKEN_DOWN", "BROKEN_UP".
std::string_view RangeStatusName(RangeStatus status);
// "ACCUMULATION", "DISTRIBUTION".
std::string_view RangeKindName(RangeKind kind);
// "", "warm-up", "phase", "no test", "low confidence", "reward/risk below minimum", ...
std::string_view NotTradeableName(NotTradeable reason);

// The levels of a trading range, copied into each event when it is confirmed.
struct RangeLevels {
  double support = kUndefined;
  double resistance = kUndefined;
  double jump_up = kUndefined;            // R + factor * W
  double conservative_up = kUndefined;    // R + W
  double jump_down = kUndefined;          // S - factor * W
  double conservative_down = kUndefined;  // S
  int duration_bars = 0;                  // bars covered by the range at confirmation
};

struct PatternEvent {
  EventType type = EventType::kSpring;
  std::string symbol;  // as given to the PatternEngine (short names stay in the SSO buffer)
  std::int64_t pattern_index = 0;
  std::int64_t confirm_index = 0;
  Timestamp pattern_time = 0;
  Timestamp confirm_time = 0;
  std::int64_t range_id = 0;  // 0 when the event belongs to no range (a climax before one)
  RangeKind range_kind = RangeKind::kAccumulation;
  Phase phase_before = Phase::kNone;
  Phase phase_after = Phase::kNone;
  RangeLevels range;

  double level = kUndefined;         // the level the pattern refers to: S or R
  double extreme = kUndefined;       // spring low, UTAD high, breakout close, pullback extreme
  double penetration = kUndefined;   // fraction beyond the level (0.02 = 2%)
  double volume_ratio = kUndefined;  // of the pattern bar
  double spread_ratio = kUndefined;
  double close_position = kUndefined;
  int bars = 0;           // recovery bars (spring), failure bars (UTAD), bars since SOS/SOW
  double confidence = 0;  // 0..100
  Direction direction = Direction::kNone;
  double entry = kUndefined;  // reference price; the backtest fills at the next open
  double stop = kUndefined;
  double target = kUndefined;
  double reward_risk = kUndefined;
  NotTradeable not_tradeable = NotTradeable::kNotASignal;
  // The phase of the range and the bars since it began (t - its first bar) when the signal's
  // phase gate was decided: at a spring's confirmation for SPRING and SPRING_TEST, else at
  // the event. What NotTradeableText explains a `phase` refusal with.
  Phase gate_phase = Phase::kNone;
  int gate_phase_bars = 0;

  bool tradeable() const { return not_tradeable == NotTradeable::kNone; }
};

// Field-by-field equality; NaN equals NaN here (two undefined ratios are the same record).
bool SameEvent(const PatternEvent& a, const PatternEvent& b);

struct DetectorParams;

// Why `e` is not a trade signal, in a trader's words, from the event's own fields and the
// thresholds of `params` (those it was detected with): "phase B too young (6 of 10 bars)",
// "distribution range (springs count in accumulation ranges)", "no test yet", "confidence 48
// below 70", "reward/risk 1.62 below 2", "warm-up (12 of 25 bars)", ... Empty when `e` is a
// trade signal or not a signal at all. Called per recorded event, never per bar.
std::string NotTradeableText(const PatternEvent& e, const DetectorParams& params);

}  // namespace wyckoff::detectors
