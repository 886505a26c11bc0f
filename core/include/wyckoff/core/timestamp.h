// Timestamp: 64-bit nanoseconds since the Unix epoch, UTC. Dates without times are midnight.
//
//   Result<Timestamp> t = ParseDate("2014-12-31");          // midnight UTC
//   std::string s = FormatTimestamp(*t, /*daily=*/true);     // "2014-12-31"
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "wyckoff/core/error.h"

namespace wyckoff {

using Timestamp = std::int64_t;

inline constexpr Timestamp kNanosPerSecond = 1'000'000'000;
inline constexpr Timestamp kNanosPerDay = 86'400 * kNanosPerSecond;
// Before and after every bar.
inline constexpr Timestamp kBeginningOfTime = std::numeric_limits<Timestamp>::min();
inline constexpr Timestamp kEndOfTime = std::numeric_limits<Timestamp>::max();

// The supported dates: whole years inside the range of 64-bit nanoseconds (1677-09-21 to
// 2262-04-11). Parsing refuses dates outside them rather than wrap around.
inline constexpr int kFirstSupportedYear = 1678;
inline constexpr int kLastSupportedYear = 2261;
// "1678-01-01 to 2261-12-31", for messages.
inline constexpr const char* kSupportedDates = "1678-01-01 to 2261-12-31";

// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYYMMDD`) to midnight UTC. Rejects impossible
// dates such as 2014-02-30, and dates outside the supported years (the text as written is in
// the message).
Result<Timestamp> ParseDate(std::string_view text);

// Parses `HH:MM[:SS]` to nanoseconds after midnight. Rejects 24:00 and beyond.
Result<Timestamp> ParseTimeOfDay(std::string_view text);

// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS][Z]`.
Result<Timestamp> ParseTimestamp(std::string_view text);

// `YYYY-MM-DD` when `date_only`, else `YYYY-MM-DD HH:MM:SS` (sub-second parts dropped).
std::string FormatTimestamp(Timestamp t, bool date_only);

// FormatTimestamp's text written at `out` (room for 19 chars), without allocating; returns one
// past its end. The date of the previous call is kept, so that rows of one day (intraday bars)
// skip the calendar arithmetic: one writer per output stream.
class TimestampWriter {
 public:
  char* Write(char* out, Timestamp t, bool date_only);

 private:
  std::int64_t day_ = INT64_MIN;  // the day of date_
  char date_[10] = {};
};

// True when the timestamp is exactly midnight UTC.
inline bool IsMidnight(Timestamp t) { return t % kNanosPerDay == 0; }

}  // namespace wyckoff
