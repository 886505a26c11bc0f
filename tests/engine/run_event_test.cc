// RunEvent details: typed while a run goes, the same text as ever where records are written.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <ostream>

#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {

// For readable failures.
void PrintTo(const DetailValue& v, std::ostream* os) { *os << '"' << v.Text() << '"'; }

namespace {

TEST(DetailValueTest, NumbersAreWrittenWithAtMostSixDecimalsAndNoTrailingZeros) {
  EXPECT_EQ(DetailValue::Number(1.25).Text(), "1.25");
  EXPECT_EQ(DetailValue::Number(2.0).Text(), "2");
  EXPECT_EQ(DetailValue::Number(18.0521764).Text(), "18.052176");
  EXPECT_EQ(DetailValue::Number(0.0000005).Text(), "0");  // the double just below 5e-7
  EXPECT_EQ(DetailValue::Number(0.0000006).Text(), "0.000001");
  EXPECT_EQ(DetailValue::Number(-0.25).Text(), "-0.25");
  EXPECT_EQ(DetailValue::Number(-0.0000001).Text(), "0");  // no negative zero
  EXPECT_EQ(DetailValue::Number(-0.0).Text(), "0");
  EXPECT_EQ(DetailValue::Number(1234567.5).Text(), "1234567.5");
}

TEST(DetailValueTest, UndefinedNumbersAreEmptyText) {
  EXPECT_EQ(DetailValue::Number(std::numeric_limits<double>::quiet_NaN()).Text(), "");
  EXPECT_EQ(DetailValue::Number(std::numeric_limits<double>::infinity()).Text(), "");
  EXPECT_EQ(DetailValue::Number(-std::numeric_limits<double>::infinity()).Text(), "");
  // Beyond what 64 characters hold with 6 decimals: no price, level or ratio comes near.
  EXPECT_EQ(DetailValue::Number(1e60).Text(), "");
  EXPECT_EQ(DetailValue::Number(1e50).Text(), "100000000000000007629769841091887003294964970946560");
}

TEST(DetailValueTest, WholeNumbersAndTextAreWrittenAsGiven) {
  EXPECT_EQ(DetailValue::Integer(-7).Text(), "-7");
  EXPECT_EQ(DetailValue::Integer(std::numeric_limits<std::int64_t>::min()).Text(),
            "-9223372036854775808");
  EXPECT_EQ(DetailValue("SKIPPED: max positions").Text(), "SKIPPED: max positions");
  EXPECT_EQ(DetailValue().Text(), "");
  std::string out = "a=";
  DetailValue::Number(0.5).AppendTo(out);
  DetailValue::Integer(3).AppendTo(out);
  DetailValue("x").AppendTo(out);
  EXPECT_EQ(out, "a=0.53x");
}

TEST(DetailValueTest, ValuesAreEqualWhenWrittenAlike) {
  EXPECT_EQ(DetailValue::Number(2), DetailValue("2"));
  EXPECT_EQ(DetailValue::Integer(2), DetailValue::Number(2.0000001));
  EXPECT_EQ(DetailValue::Number(std::nan("")), DetailValue(""));
  EXPECT_NE(DetailValue::Number(2.5), DetailValue("2.50"));
  EXPECT_NE(DetailValue("2"), DetailValue("two"));
}

TEST(RunEventTest, DetailsAreFoundByName) {
  RunEvent e{.type = "SPRING",
             .details = {{"range_id", DetailValue::Integer(4)},
                         {"support", DetailValue::Number(12.5)},
                         {"status", ""}}};
  ASSERT_NE(e.Find("support"), nullptr);
  EXPECT_EQ(*e.Find("support"), DetailValue("12.5"));
  EXPECT_EQ(e.DetailText("range_id"), "4");
  EXPECT_EQ(e.Find("stop"), nullptr);
  EXPECT_EQ(e.DetailText("stop"), "");
  ASSERT_NE(e.Find("status"), nullptr);  // present, and empty
  EXPECT_EQ(e.DetailText("status"), "");
}

}  // namespace
}  // namespace wyckoff::engine
