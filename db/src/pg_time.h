// Private to db/src: Timestamps (int64 nanoseconds, UTC) to and from PostgreSQL timestamptz,
// which keeps microseconds.
//
//   txn.exec_params("SELECT (EXTRACT(EPOCH FROM time) * 1000000)::int8 ... "
//                   "WHERE time >= $1::timestamptz", PgTimestamp(from));
//   Timestamp t = FromMicros(row[0].as<std::int64_t>());
//
// EXTRACT(EPOCH ...) is numeric since PostgreSQL 14, so the microseconds are exact.
#pragma once

#include <cstdint>
#include <string>

#include "wyckoff/core/timestamp.h"

namespace wyckoff::db::internal {

// `YYYY-MM-DD HH:MM:SS.ffffff+00` for the first microsecond at or after `t` (exact when `t`
// is a whole number of microseconds, which ImportBars requires).
std::string PgTimestamp(Timestamp t);

// PgTimestamp's text, always this long.
inline constexpr int kPgTimestampChars = 29;

// PgTimestamp's text written at `out` (room for kPgTimestampChars), without allocating;
// returns one past its end. Keeps the date of the previous call, so that the rows of one day
// skip the calendar arithmetic: one writer per COPY.
class PgTimestampWriter {
 public:
  char* Write(char* out, Timestamp t);

 private:
  std::int64_t day_ = INT64_MIN;  // the day of date_
  char date_[10] = {};
};

// True when `t` has no digits below the microsecond, so timestamptz stores it exactly.
inline bool IsWholeMicros(Timestamp t) { return t % 1000 == 0; }

inline Timestamp FromMicros(std::int64_t micros) { return micros * 1000; }

}  // namespace wyckoff::db::internal
