#include "wyckoff/core/calendar.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string_view>

namespace wyckoff {
namespace {

constexpr Timestamp kHour = 3600 * kNanosPerSecond;

Timestamp Date(std::string_view text) { return *ParseDate(text); }

TEST(CalendarTest, DaysFromCivilCountsFromTheEpoch) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1970, 1, 2}), 1);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 1, 1}), 10'957);
  EXPECT_EQ(DaysFromCivil({1900, 3, 1}), -25'508);
  EXPECT_EQ(DaysFromCivil({1600, 3, 1}), -135'080);
}

TEST(CalendarTest, TheSupportedDatesEndOnBothSides) {
  EXPECT_EQ(DaysFromCivil({1678, 1, 1}), -106'650);
  EXPECT_EQ(DaysFromCivil({2261, 12, 31}), 106'650);
  EXPECT_EQ(CivilFromDays(-106'650), (CivilDate{1678, 1, 1}));
  EXPECT_EQ(CivilFromDays(106'650), (CivilDate{2261, 12, 31}));
}

TEST(CalendarTest, EveryDayOfTheSupportedRangeRoundTrips) {
  CivilDate previous = CivilFromDays(-106'651);
  EXPECT_EQ(previous, (CivilDate{1677, 12, 31}));
  for (std::int64_t day = -106'650; day <= 106'650; ++day) {
    const CivilDate date = CivilFromDays(day);
    ASSERT_TRUE(IsValidDate(date)) << day;
    ASSERT_EQ(DaysFromCivil(date), day);
    // The next day of the month, or the first of the next month or year.
    const bool next_in_month =
        date.year == previous.year && date.month == previous.month && date.day == previous.day + 1;
    const bool next_month = date.day == 1 && (date.month == previous.month + 1 ||
                                              (date.month == 1 && date.year == previous.year + 1));
    ASSERT_TRUE(next_in_month || next_month) << day;
    previous = date;
  }
}

TEST(CalendarTest, LeapYearsFollowTheGregorianRules) {
  EXPECT_TRUE(IsValidDate({2016, 2, 29}));   // divisible by 4
  EXPECT_FALSE(IsValidDate({2015, 2, 29}));  // not
  EXPECT_FALSE(IsValidDate({1900, 2, 29}));  // a century
  EXPECT_TRUE(IsValidDate({2000, 2, 29}));   // divisible by 400
  EXPECT_TRUE(IsValidDate({1696, 2, 29}));   // before 1970 too
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}) - DaysFromCivil({2000, 2, 28}), 2);
  EXPECT_EQ(DaysFromCivil({2100, 3, 1}) - DaysFromCivil({2100, 2, 28}), 1);
}

TEST(CalendarTest, RejectsDaysAndMonthsThatDoNotExist) {
  EXPECT_FALSE(IsValidDate({2014, 2, 30}));
  EXPECT_FALSE(IsValidDate({2014, 4, 31}));
  EXPECT_FALSE(IsValidDate({2014, 13, 1}));
  EXPECT_FALSE(IsValidDate({2014, 0, 1}));
  EXPECT_FALSE(IsValidDate({2014, 1, 0}));
  EXPECT_FALSE(IsValidDate({2014, 257, 1}));  // not 1 (a month is stored in one byte)
  EXPECT_FALSE(IsValidDate({2014, 1, 257}));
  EXPECT_FALSE(IsValidDate({40'000, 1, 1}));  // beyond std::chrono::year
  EXPECT_TRUE(IsValidDate({2014, 12, 31}));
}

TEST(CalendarTest, SplitDaysRoundsTowardThePast) {
  EXPECT_EQ(SplitDays(0).days, 0);
  EXPECT_EQ(SplitDays(-1).days, -1);
  EXPECT_EQ(SplitDays(-1).time_of_day, kNanosPerDay - 1);
  const DayAndTime evening = SplitDays(Date("1969-12-31") + 18 * kHour);
  EXPECT_EQ(evening.days, -1);
  EXPECT_EQ(evening.time_of_day, 18 * kHour);
  EXPECT_EQ(SplitDays(Date("2000-01-01") + 5).days, 10'957);
  EXPECT_EQ(SplitDays(Date("2000-01-01") + 5).time_of_day, 5);
}

TEST(CalendarTest, WeekdaysBeforeAndAfterTheEpoch) {
  EXPECT_EQ(WeekdayOf(0), Weekday::kThursday);
  EXPECT_EQ(WeekdayOf(Date("2000-01-03")), Weekday::kMonday);
  EXPECT_EQ(WeekdayOf(Date("2000-01-01")), Weekday::kSaturday);
  EXPECT_EQ(WeekdayOf(Date("1969-12-28")), Weekday::kSunday);
  EXPECT_EQ(WeekdayOf(Date("1969-12-31") + 23 * kHour), Weekday::kWednesday);
  EXPECT_EQ(WeekdayOf(Date("1678-01-01")), Weekday::kSaturday);
  EXPECT_EQ(WeekdayOf(Date("2261-12-31")), Weekday::kTuesday);
  EXPECT_EQ(WeekdayOf(kBeginningOfTime), Weekday::kTuesday);  // 1677-09-21
  EXPECT_TRUE(IsWeekend(Date("1969-12-28")));
  EXPECT_TRUE(IsWeekend(Date("2000-01-08") + 23 * kHour));
  EXPECT_FALSE(IsWeekend(Date("2000-01-07") + 23 * kHour));
  EXPECT_FALSE(IsWeekend(Date("2000-01-10")));
}

TEST(CalendarTest, AddMonthsClampsToTheEndOfTheMonth) {
  EXPECT_EQ(AddMonths(Date("2020-01-31"), 1), Date("2020-02-29"));
  EXPECT_EQ(AddMonths(Date("2021-01-31"), 1), Date("2021-02-28"));
  EXPECT_EQ(AddMonths(Date("1900-01-31"), 1), Date("1900-02-28"));
  EXPECT_EQ(AddMonths(Date("2020-03-31"), -1), Date("2020-02-29"));
  EXPECT_EQ(AddMonths(Date("2020-05-31"), 1), Date("2020-06-30"));
  EXPECT_EQ(AddMonths(Date("2019-12-31"), 2), Date("2020-02-29"));
  EXPECT_EQ(AddMonths(Date("2020-02-29"), 1), Date("2020-03-29"));  // no memory of the 31st
}

TEST(CalendarTest, AddMonthsCrossesYearsBothWaysAndKeepsTheTime) {
  EXPECT_EQ(AddMonths(Date("2000-11-15"), 18), Date("2002-05-15"));
  EXPECT_EQ(AddMonths(Date("2000-01-15"), -1), Date("1999-12-15"));
  EXPECT_EQ(AddMonths(Date("2000-01-15"), -25), Date("1997-12-15"));
  EXPECT_EQ(AddMonths(Date("2020-01-31") + 13 * kHour + 45, 1),
            Date("2020-02-29") + 13 * kHour + 45);
  EXPECT_EQ(AddMonths(Date("2020-01-31"), 0), Date("2020-01-31"));
}

TEST(CalendarTest, AddMonthsBeforeNineteenSeventy) {
  EXPECT_EQ(AddMonths(Date("1969-12-31"), 2), Date("1970-02-28"));
  EXPECT_EQ(AddMonths(Date("1960-01-31") + 18 * kHour, 1), Date("1960-02-29") + 18 * kHour);
  EXPECT_EQ(AddMonths(Date("1969-11-30"), -13), Date("1968-10-30"));
  EXPECT_EQ(AddMonths(Date("1700-01-31"), 1), Date("1700-02-28"));
}

TEST(CalendarTest, AddMonthsAtTheEndsOfTheSupportedDates) {
  EXPECT_EQ(AddMonths(Date("1678-01-31"), 1), Date("1678-02-28"));
  EXPECT_EQ(AddMonths(Date("1678-02-28"), -1), Date("1678-01-28"));
  EXPECT_EQ(AddMonths(Date("2261-01-31"), 11), Date("2261-12-31"));
  EXPECT_EQ(AddMonths(Date("2261-12-31"), -1), Date("2261-11-30"));
  EXPECT_EQ(AddMonths(kBeginningOfTime, 0), kBeginningOfTime);  // 1677-09-21 00:12:43
  EXPECT_EQ(AddMonths(kEndOfTime, 0), kEndOfTime);              // 2262-04-11 23:47:16
}

TEST(CalendarTest, AddMonthsSaturatesBeyondTheRangeOfTimestamp) {
  EXPECT_EQ(AddMonths(Date("2261-12-31"), 12), kEndOfTime);
  EXPECT_EQ(AddMonths(Date("1678-01-01"), -12), kBeginningOfTime);
  EXPECT_EQ(AddMonths(Date("2000-01-01"), 12 * 300), kEndOfTime);
  EXPECT_EQ(AddMonths(Date("2000-01-01"), std::numeric_limits<std::int64_t>::max()), kEndOfTime);
  EXPECT_EQ(AddMonths(Date("2000-01-01"), std::numeric_limits<std::int64_t>::min()),
            kBeginningOfTime);
}

TEST(CalendarTest, AddYearsMovesFebruaryTheTwentyNinth) {
  EXPECT_EQ(AddYears(Date("2020-02-29"), 1), Date("2021-02-28"));
  EXPECT_EQ(AddYears(Date("2020-02-29"), 4), Date("2024-02-29"));
  EXPECT_EQ(AddYears(Date("2020-02-29"), -1), Date("2019-02-28"));
  EXPECT_EQ(AddYears(Date("2000-02-29"), 100), Date("2100-02-28"));
  EXPECT_EQ(AddYears(Date("1960-02-29"), -60), Date("1900-02-28"));
  EXPECT_EQ(AddYears(Date("2000-01-01"), std::numeric_limits<std::int64_t>::max()), kEndOfTime);
  EXPECT_EQ(AddYears(Date("2000-01-01"), std::numeric_limits<std::int64_t>::min()),
            kBeginningOfTime);
}

}  // namespace
}  // namespace wyckoff
