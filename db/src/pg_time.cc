#include "pg_time.h"

#include <chrono>
#include <cstdio>

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
  using namespace std::chrono;
  const sys_seconds instant{std::chrono::seconds{seconds}};
  const sys_days day = floor<days>(instant);
  const year_month_day ymd{day};
  const hh_mm_ss hms{instant - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld.%06lld+00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), static_cast<long long>(fraction));
  return buf;
}

}  // namespace wyckoff::db::internal
