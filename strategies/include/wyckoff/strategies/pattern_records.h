// Pattern events as run results: the one conversion from a detector's PatternEvent to the
// engine's generic RunEvent, used by the wyckoff strategy and by `wyckoff detect`, so that
// events.csv has the same columns whichever produced it.
//
//   engine::RunEvent e = ToRunEvent(pattern_event, /*symbol=*/0, params);
//   // e.type == "SPRING"; e.details: range_id, phase_before, ..., entry, stop, target, ...
#pragma once

#include <cstddef>
#include <string>

#include "wyckoff/detectors/pattern_event.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::strategies {

// Every field of the rules page's event record. details always has the same names in the same
// order: range_id, range_kind, phase_before, phase_after, support, resistance, jump_target,
// conservative_target, extreme, penetration, volume_ratio, spread_ratio, close_position, bars,
// signal (LONG or SHORT for trade signals, else empty), entry, stop, target, reward_risk,
// tradeable, not_tradeable (a short code: "phase", "no test", ...), reason (the same in a
// trader's words, detectors::NotTradeableText with `params`, the detectors' parameters),
// status (what a strategy did with the signal). Undefined numbers are empty text.
inline constexpr std::size_t kPatternDetails = 23;  // the details listed above
engine::RunEvent ToRunEvent(const detectors::PatternEvent& event, int symbol,
                            const detectors::DetectorParams& params);

// Sets the "status" detail: what the strategy did with a signal ("TRADED", "SKIPPED: ...").
void SetSignalStatus(engine::RunEvent& event, std::string status);

}  // namespace wyckoff::strategies
