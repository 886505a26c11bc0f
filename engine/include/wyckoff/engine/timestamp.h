// Timestamp: 64-bit nanoseconds since the Unix epoch, UTC. Dates without times are midnight.
//
//   Result<Timestamp> t = ParseDate("2014-12-31");          // midnight UTC
//   std::string s = FormatTimestamp(*t, /*daily=*/true);     // "2014-12-31"
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "wyckoff/engine/error.h"

namespace wyckoff::engine {

using Timestamp = std::int64_t;

inline constexpr Timestamp kNanosPerSecond = 1'000'000'000;
inline constexpr Timestamp kNanosPerDay = 86'400 * kNanosPerSecond;
// Before and after every bar.
inline constexpr Timestamp kBeginningOfTime = std::numeric_limits<Timestamp>::min();
inline constexpr Timestamp kEndOfTime = std::numeric_limits<Timestamp>::max();

// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYYMMDD`) to midnight UTC. Rejects impossible
// dates such as 2014-02-30, and dates outside 1677-09-22 .. 2262-04-10 (what 64-bit
// nanoseconds hold, with any time of day added).
Result<Timestamp> ParseDate(std::string_view text);

// Parses `HH:MM[:SS]` to nanoseconds after midnight. Rejects 24:00 and beyond.
Result<Timestamp> ParseTimeOfDay(std::string_view text);

// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS][Z]`.
Result<Timestamp> ParseTimestamp(std::string_view text);

// `YYYY-MM-DD` when `date_only`, else `YYYY-MM-DD HH:MM:SS` (sub-second parts dropped).
std::string FormatTimestamp(Timestamp t, bool date_only);

// True when the timestamp is exactly midnight UTC.
inline bool IsMidnight(Timestamp t) { return t % kNanosPerDay == 0; }

}  // namespace wyckoff::engine
