#include "pg_time.h"

#include <cstring>

#include "wyckoff/core/calendar.h"

namespace wyckoff::db::internal {
namespace {

// `v` as exactly `digits` decimal digits (v >= 0 and below 10^digits), ending at `end`.
void Digits(char* end, std::int64_t v, int digits) {
  for (; digits > 0; --digits, v /= 10) *--end = static_cast<char>('0' + v % 10);
}

}  // namespace

char* PgTimestampWriter::Write(char* out, Timestamp t) {
  // Round up to the microsecond, then split into whole seconds and microseconds (floor, so
  // that times before 1970 get a positive fraction). Works on seconds, not nanoseconds, so
  // that the extremes of Timestamp cannot overflow.
  const std::int64_t micros = t / 1000 + (t % 1000 > 0 ? 1 : 0);
  std::int64_t seconds = micros / 1'000'000;
  std::int64_t fraction = micros % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    --seconds;
  }
  std::int64_t days = seconds / 86'400;
  std::int64_t second_of_day = seconds % 86'400;
  if (second_of_day < 0) {
    second_of_day += 86'400;
    --days;
  }
  if (days != day_) {  // rows of one day (intraday bars, equity points) share the date
    const CivilDate date = CivilFromDays(days);
    Digits(date_ + 4, date.year, 4);  // years 1677..2262: always four digits
    date_[4] = '-';
    Digits(date_ + 7, date.month, 2);
    date_[7] = '-';
    Digits(date_ + 10, date.day, 2);
    day_ = days;
  }
  std::memcpy(out, date_, 10);
  out[10] = ' ';
  Digits(out + 13, second_of_day / 3600, 2);
  out[13] = ':';
  Digits(out + 16, second_of_day / 60 % 60, 2);
  out[16] = ':';
  Digits(out + 19, second_of_day % 60, 2);
  out[19] = '.';
  Digits(out + 26, fraction, 6);
  std::memcpy(out + 26, "+00", 3);
  return out + kPgTimestampChars;
}

std::string PgTimestamp(Timestamp t) {
  char buf[kPgTimestampChars];
  return std::string(buf, PgTimestampWriter().Write(buf, t));
}

}  // namespace wyckoff::db::internal
