// RunEvent details: typed while a run goes, the same text as ever where records are written.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

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
  // Beyond what 64 characters hold with 6 decimals (the sign takes one): no price, level or
  // ratio comes near.
  EXPECT_EQ(DetailValue::Number(1e57).Text(), "");
  EXPECT_EQ(DetailValue::Number(-1e56).Text(), "");
  EXPECT_EQ(DetailValue::Number(1e56).Text(),  // 64 characters with ".000000": the largest
            "100000000000000009190283508143378238084034459715684532224");
  EXPECT_EQ(DetailValue::Number(1e50).Text(),
            "100000000000000007629769841091887003294964970946560");
  EXPECT_EQ(DetailValue::Number(-1e50).Text(),
            "-100000000000000007629769841091887003294964970946560");
}

TEST(DetailValueTest, WholeNumbersAndTextAreWrittenAsGiven) {
  EXPECT_EQ(DetailValue::Integer(-7).Text(), "-7");
  EXPECT_EQ(DetailValue::Integer(std::numeric_limits<std::int64_t>::max()).Text(),
            "9223372036854775807");
  EXPECT_EQ(DetailValue::Integer(9007199254740993).Text(), "9007199254740993");  // 2^53 + 1
  EXPECT_EQ(DetailValue("SKIPPED: max positions").Text(), "SKIPPED: max positions");
  EXPECT_EQ(DetailValue(std::string_view("LONG")).Text(), "LONG");
  EXPECT_EQ(DetailValue().Text(), "");
  // A number is not text: {"bars", 0} does not compile (0 would be a null text pointer).
  static_assert(!std::is_constructible_v<DetailValue, int>);
  static_assert(!std::is_constructible_v<DetailValue, double>);
  static_assert(std::is_constructible_v<DetailValue, const char*>);
}

TEST(DetailValueTest, ViewWritesNumbersIntoTheBufferAndShowsTextInPlace) {
  DetailValue::Buffer buffer;
  const DetailValue number = DetailValue::Number(0.5);
  const std::string_view view = number.View(buffer);
  EXPECT_EQ(view, "0.5");
  EXPECT_EQ(view.data(), buffer.data());
  const DetailValue text("SPRING");
  EXPECT_EQ(text.View(buffer), "SPRING");
  EXPECT_NE(text.View(buffer).data(), buffer.data());
  EXPECT_EQ(DetailValue::Integer(-12).View(buffer), "-12");
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
                         {"status", ""},
                         {"support", "the second"}}};
  ASSERT_NE(e.Find("support"), nullptr);
  EXPECT_EQ(*e.Find("support"), DetailValue("12.5"));  // the first of that name
  EXPECT_EQ(e.DetailText("support"), "12.5");
  EXPECT_EQ(e.DetailText("range_id"), "4");
  DetailValue::Buffer buffer;
  EXPECT_EQ(e.DetailView("range_id", buffer), "4");
  EXPECT_EQ(e.Find("stop"), nullptr);
  EXPECT_EQ(e.DetailText("stop"), "");
  EXPECT_EQ(e.DetailView("stop", buffer), "");
  ASSERT_NE(e.Find("status"), nullptr);  // present, and empty
  EXPECT_EQ(e.DetailText("status"), "");
}

}  // namespace
}  // namespace wyckoff::engine
