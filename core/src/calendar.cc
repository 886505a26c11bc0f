#include "wyckoff/core/calendar.h"

#include <algorithm>
#include <chrono>

namespace wyckoff {
namespace {

namespace chr = std::chrono;

// std::chrono::year's range.
constexpr int kMinYear = -32767;
constexpr int kMaxYear = 32767;
constexpr std::int64_t kFirstDay =
    chr::sys_days{chr::year{kMinYear} / chr::January / 1}.time_since_epoch().count();
constexpr std::int64_t kLastDay =
    chr::sys_days{chr::year{kMaxYear} / chr::December / 31}.time_since_epoch().count();

// No two Timestamps are 600 years apart: a move of more months leaves the range whatever the
// date, and the bound keeps the year arithmetic far inside std::chrono::year's range.
constexpr std::int64_t kFarMonths = 12 * 1000;

// Requires the fields in range: month and day are stored in one byte, so 257 would become 1.
chr::year_month_day ToChrono(CivilDate d) {
  return {chr::year{d.year}, chr::month{static_cast<unsigned>(d.month)},
          chr::day{static_cast<unsigned>(d.day)}};
}

chr::sys_days SysDays(std::int64_t days) { return chr::sys_days{chr::days{days}}; }

// days x kNanosPerDay + time_of_day, saturated to the range of Timestamp. Negative days are
// computed from the next midnight, so that the first hours of 1677-09-21 stay exact.
Timestamp FromDays(std::int64_t days, Timestamp time_of_day) {
  const bool past = days < 0;
  Timestamp t = 0;
  const bool overflow =
      __builtin_mul_overflow(past ? days + 1 : days, kNanosPerDay, &t) ||
      __builtin_add_overflow(t, past ? time_of_day - kNanosPerDay : time_of_day, &t);
  if (overflow) return past ? kBeginningOfTime : kEndOfTime;
  return t;
}

}  // namespace

bool IsValidDate(CivilDate date) {
  const bool in_range = date.year >= kMinYear && date.year <= kMaxYear && date.month >= 1 &&
                        date.month <= 12 && date.day >= 1 && date.day <= 31;
  return in_range && ToChrono(date).ok();
}

std::int64_t DaysFromCivil(CivilDate date) {
  WYCKOFF_CHECK(IsValidDate(date), "DaysFromCivil takes a real date");
  return chr::sys_days{ToChrono(date)}.time_since_epoch().count();
}

CivilDate CivilFromDays(std::int64_t days) {
  WYCKOFF_CHECK(days >= kFirstDay && days <= kLastDay,
                "CivilFromDays takes a day of the years -32767 .. 32767");
  const chr::year_month_day ymd{SysDays(days)};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

DayAndTime SplitDays(Timestamp t) {
  // Integer floor division: chrono's floor<days> turns the day back into nanoseconds, which
  // overflows for the first day of the range (kBeginningOfTime's day starts before it; UBSan).
  std::int64_t days = t / kNanosPerDay;
  std::int64_t rest = t % kNanosPerDay;
  if (rest < 0) rest += kNanosPerDay, --days;
  return {days, rest};
}

Weekday WeekdayOf(Timestamp t) {
  return static_cast<Weekday>(chr::weekday{SysDays(SplitDays(t).days)}.c_encoding());
}

bool IsWeekend(Timestamp t) {
  const Weekday day = WeekdayOf(t);
  return day == Weekday::kSaturday || day == Weekday::kSunday;
}

Timestamp AddMonths(Timestamp t, std::int64_t months) {
  if (months > kFarMonths) return kEndOfTime;
  if (months < -kFarMonths) return kBeginningOfTime;
  const DayAndTime split = SplitDays(t);
  const chr::year_month_day from{SysDays(split.days)};
  const chr::year_month month = chr::year_month{from.year(), from.month()} + chr::months{months};
  chr::year_month_day to = month / from.day();
  if (!to.ok()) to = month / chr::last;  // the 31st in a 30-day month, February's 29th-31st
  return FromDays(chr::sys_days{to}.time_since_epoch().count(), split.time_of_day);
}

Timestamp AddYears(Timestamp t, std::int64_t years) {
  // Clamped first so that 12 x years cannot overflow; beyond the clamp AddMonths saturates.
  constexpr std::int64_t kFarYears = kFarMonths / 12 + 1;
  return AddMonths(t, 12 * std::clamp(years, -kFarYears, kFarYears));
}

}  // namespace wyckoff
