// Calendar arithmetic on UTC Timestamps, proleptic Gregorian calendar: civil dates to days
// since 1970-01-01 and back, weekdays, and adding months or years with end-of-month clamping.
// The one place the project does date arithmetic; built on std::chrono's year_month_day and
// sys_days, which stay in calendar.cc (this header does not include <chrono>).
//
//   CivilDate d = CivilFromDays(SplitDays(t).days);      // {2020, 1, 31}
//   Timestamp next = AddMonths(t, 1);                      // 2020-02-29, the same time of day
//   if (IsWeekend(next)) ...
//
// Every Timestamp (1677-09-21 .. 2262-04-11) has its date here, and every date of the years
// -32767 .. 32767 (std::chrono::year's range) its day number.
#pragma once

#include <cstdint>

#include "wyckoff/core/timestamp.h"

namespace wyckoff {

// A date as written: year, month 1..12, day 1..31.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// True when `date` names a real day of the years -32767 .. 32767: 2016-02-29 does, 2015-02-29,
// 2014-02-30 and 2014-13-01 do not.
bool IsValidDate(CivilDate date);

// Days since 1970-01-01 (negative before it): 1970-01-02 is 1, 1969-12-31 is -1.
// Requires IsValidDate(date) (checked: aborts otherwise).
std::int64_t DaysFromCivil(CivilDate date);

// The date `days` days after 1970-01-01: the inverse of DaysFromCivil. Requires a day of the
// years -32767 .. 32767 (checked), which every Timestamp's day is.
CivilDate CivilFromDays(std::int64_t days);

// A Timestamp as whole days since 1970-01-01 and the nanoseconds into that day, rounding
// toward the past: 1969-12-31 18:00 is day -1 and 18 hours, never day 0 and -6 hours.
struct DayAndTime {
  std::int64_t days = 0;
  Timestamp time_of_day = 0;  // 0 .. kNanosPerDay - 1
};
DayAndTime SplitDays(Timestamp t);

// Numbered as std::chrono::weekday::c_encoding() (and C's tm_wday): Sunday is 0.
enum class Weekday : std::uint8_t {
  kSunday,
  kMonday,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday
};

// The day of the week of `t` (1970-01-01 was a Thursday), correct before 1970 too.
Weekday WeekdayOf(Timestamp t);
// True on Saturdays and Sundays.
bool IsWeekend(Timestamp t);

// `t` moved by `months` calendar months (back when negative), keeping the time of day. A day
// that the target month does not have becomes its last day: 2020-01-31 + 1 month is
// 2020-02-29, 2021-01-31 + 1 month is 2021-02-28, 2020-03-31 - 1 month is 2020-02-29.
// NOTE: results beyond the range of Timestamp saturate to kBeginningOfTime or kEndOfTime
// (they never wrap around).
Timestamp AddMonths(Timestamp t, std::int64_t months);

// AddMonths(t, 12 * years): 2020-02-29 + 1 year is 2021-02-28. Saturates as AddMonths does.
Timestamp AddYears(Timestamp t, std::int64_t years);

}  // namespace wyckoff
