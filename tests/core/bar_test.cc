#include "wyckoff/core/bar.h"

#include <gtest/gtest.h>

#include <string>

namespace wyckoff {
namespace {

Bar Daily(const char* open, const char* high, const char* low, const char* close,
          const char* volume) {
  return Bar{.time = 0,
             .open = *Decimal::Parse(open),
             .high = *Decimal::Parse(high),
             .low = *Decimal::Parse(low),
             .close = *Decimal::Parse(close),
             .volume = *Decimal::Parse(volume)};
}

// The reason CheckBar gives, or "" when the bar meets the rules; MeetsBarRules must agree.
std::string Reason(const Bar& bar, bool allow_nonpositive = false) {
  const BarRules rules{.allow_nonpositive_prices = allow_nonpositive};
  const Result<void> checked = CheckBar(bar, nullptr, rules, /*intraday=*/false);
  EXPECT_EQ(checked.has_value(), MeetsBarRules(bar, nullptr, rules));
  return checked ? "" : checked.error().message;
}

// Bars made in code or stored in a database meet the same magnitude bound as parsed text: low
// and high bound the four prices, and the volume has its own.
TEST(BarRulesTest, PricesAndVolumeWithinTheInputLimit) {
  EXPECT_EQ(Reason(Daily("1", "1000000000000", "1", "1", "1000000000000")), "");
  EXPECT_EQ(Reason(Daily("1", "1000000000000.000000000001", "1", "1", "0")),
            "high 1000000000000.000000000001 is beyond the input limit of 1e12");
  EXPECT_EQ(Reason(Daily("-1", "1", "-1000000000001", "1", "0"), /*allow_nonpositive=*/true),
            "low -1000000000001 is beyond the input limit of 1e12");
  EXPECT_EQ(Reason(Daily("-1", "1", "-1000000000000", "1", "0"), /*allow_nonpositive=*/true), "");
  EXPECT_EQ(Reason(Daily("1", "2", "1", "1", "1000000000001")),
            "volume 1000000000001 is beyond the input limit of 1e12");
  // The order rules come first: a high below the low says so, whatever its size.
  EXPECT_EQ(Reason(Daily("1", "2000000000000", "3000000000000", "1", "0")),
            "high 2000000000000 is below low 3000000000000");
}

}  // namespace
}  // namespace wyckoff
