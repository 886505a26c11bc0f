#include "wyckoff/core/timestamp.h"

#include <gtest/gtest.h>

#include <random>

namespace wyckoff {
namespace {

TEST(TimestampTest, ParsesDatesToMidnightUtc) {
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("1970-01-02"), kNanosPerDay);
  EXPECT_EQ(*ParseDate("2014/12/31"), *ParseDate("2014-12-31"));
  EXPECT_EQ(*ParseDate("20141231"), *ParseDate("2014-12-31"));
  EXPECT_EQ(*ParseDate("1969-12-31"), -kNanosPerDay);
}

TEST(TimestampTest, RejectsImpossibleDates) {
  EXPECT_EQ(ParseDate("2014-02-30").error().message, "\"2014-02-30\" is not a valid calendar date");
  EXPECT_EQ(ParseDate("2014-13-01").error().message, "\"2014-13-01\" is not a valid calendar date");
  EXPECT_EQ(ParseDate("14-01-01").error().message,
            "\"14-01-01\" is not a date (expected YYYY-MM-DD)");
  EXPECT_TRUE(ParseDate("2016-02-29").has_value());
  EXPECT_FALSE(ParseDate("2015-02-29").has_value());
}

TEST(TimestampTest, ParsesTimesOfDay) {
  EXPECT_EQ(*ParseTimeOfDay("09:01:00"), (9 * 3600 + 60) * kNanosPerSecond);
  EXPECT_EQ(*ParseTimeOfDay("17:30"), (17 * 3600 + 30 * 60) * kNanosPerSecond);
  EXPECT_EQ(ParseTimeOfDay("24:00:00").error().message, "\"24:00:00\" is not a valid time of day");
  EXPECT_FALSE(ParseTimeOfDay("9:01").has_value());
  EXPECT_FALSE(ParseTimeOfDay("09:01:0").has_value());
}

TEST(TimestampTest, ParsesCombinedTimestamps) {
  Timestamp day = *ParseDate("2006-01-02");
  EXPECT_EQ(*ParseTimestamp("2006-01-02 09:05:00"), day + 545 * 60 * kNanosPerSecond);
  EXPECT_EQ(*ParseTimestamp("2006-01-02T09:05:00Z"), day + 545 * 60 * kNanosPerSecond);
  EXPECT_EQ(*ParseTimestamp("2006-01-02"), day);
  EXPECT_FALSE(ParseTimestamp("2006-01-02 9").has_value());
}

TEST(TimestampTest, FormatsDailyAndIntraday) {
  Timestamp t = *ParseTimestamp("2006-02-27 21:59:00");
  EXPECT_EQ(FormatTimestamp(t, false), "2006-02-27 21:59:00");
  EXPECT_EQ(FormatTimestamp(t, true), "2006-02-27");
  EXPECT_EQ(FormatTimestamp(*ParseDate("1969-07-20"), true), "1969-07-20");
  EXPECT_TRUE(IsMidnight(*ParseDate("2000-01-01")));
  EXPECT_FALSE(IsMidnight(t));
}

}  // namespace
}  // namespace wyckoff

namespace wyckoff {
namespace {

TEST(TimestampTest, DatesOutsideTheSupportedYearsAreRefusedNotWrapped) {
  EXPECT_EQ(ParseDate("0001-01-01").error().message,
            "\"0001-01-01\" is outside the supported dates 1678-01-01 to 2261-12-31");
  EXPECT_EQ(ParseTimestamp("2262-04-12 00:00:00").error().message,
            "\"2262-04-12\" is outside the supported dates 1678-01-01 to 2261-12-31");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2261-12-31 23:59:59"), false), "2261-12-31 23:59:59");
  EXPECT_EQ(FormatTimestamp(*ParseDate("1678-01-01"), true), "1678-01-01");
}

}  // namespace
}  // namespace wyckoff

namespace wyckoff {
namespace {

TEST(TimestampTest, TheWriterWritesFormatTimestampsText) {
  TimestampWriter writer;
  std::mt19937_64 rng(5);
  Timestamp t = *ParseTimestamp("1690-01-01 00:00:00");
  for (int i = 0; i < 50000; ++i) {
    t += static_cast<Timestamp>(rng() % (3 * kNanosPerDay));  // often the same day, sometimes not
    if (t > *ParseTimestamp("2261-12-31 23:59:59")) break;
    for (bool date_only : {false, true}) {
      char buf[24];
      ASSERT_EQ(std::string(buf, writer.Write(buf, t, date_only)), FormatTimestamp(t, date_only));
    }
  }
}

}  // namespace
}  // namespace wyckoff
