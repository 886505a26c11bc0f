#include "wyckoff/core/bar.h"

namespace wyckoff {
namespace {

tl::unexpected<Error> Broken(std::string what) {
  return Fail(ErrorCode::kInvalidArgument, std::move(what));
}

tl::unexpected<Error> Beyond(const char* field, Decimal value) {
  return Broken(std::string(field) + " " + value.ToString() + " is beyond the input limit of 1e12");
}

std::string Pair(const char* a, Decimal x, const char* relation, const char* b, Decimal y) {
  return std::string(a) + " " + x.ToString() + relation + b + " " + y.ToString();
}

}  // namespace

Result<void> CheckBar(const Bar& bar, const Bar* previous, const BarRules& rules, bool intraday) {
  if (bar.high < bar.low) return Broken(Pair("high", bar.high, " is below ", "low", bar.low));
  if (bar.open < bar.low) return Broken(Pair("open", bar.open, " is below ", "low", bar.low));
  if (bar.open > bar.high) return Broken(Pair("open", bar.open, " is above ", "high", bar.high));
  if (bar.close < bar.low) return Broken(Pair("close", bar.close, " is below ", "low", bar.low));
  if (bar.close > bar.high) {
    return Broken(Pair("close", bar.close, " is above ", "high", bar.high));
  }
  // low is the least of the four prices now: one comparison covers them all.
  if (!rules.allow_nonpositive_prices && !bar.low.IsPositive()) {
    return Broken("low " + bar.low.ToString() + " is not a positive price");
  }
  // And low and high bound the four prices for the magnitude too.
  if (bar.high > kMaxInputMagnitude) return Beyond("high", bar.high);
  if (bar.low < -kMaxInputMagnitude) return Beyond("low", bar.low);
  if (bar.volume.IsNegative()) return Broken("volume " + bar.volume.ToString() + " is negative");
  if (bar.volume > kMaxInputMagnitude) return Beyond("volume", bar.volume);
  if (previous != nullptr && bar.time <= previous->time) {
    return Broken("time " + FormatTimestamp(bar.time, !intraday) +
                  " is not after the previous bar's " + FormatTimestamp(previous->time, !intraday));
  }
  return {};
}

}  // namespace wyckoff
