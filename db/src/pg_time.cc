#include "pg_time.h"

#include <cstdio>

#include "wyckoff/core/calendar.h"

namespace wyckoff::db::internal {

std::string PgTimestamp(Timestamp t) {
  // Round up to the microsecond, then split into whole seconds and microseconds (floor, so
  // that times before 1970 get a positive fraction). Works on seconds, not nanoseconds, so
  // that the extremes of Timestamp cannot overflow.
  std::int64_t micros = t / 1000 + (t % 1000 > 0 ? 1 : 0);
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
  const CivilDate date = CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02lld:%02lld:%02lld.%06lld+00", date.year,
                date.month, date.day, static_cast<long long>(second_of_day / 3600),
                static_cast<long long>(second_of_day / 60 % 60),
                static_cast<long long>(second_of_day % 60), static_cast<long long>(fraction));
  return buf;
}

}  // namespace wyckoff::db::internal
