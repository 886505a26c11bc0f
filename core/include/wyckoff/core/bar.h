// Bar: one OHLCV interval of one symbol, and the rules every bar meets wherever it enters (CSV
// files, `db import`, bars posted to a service):
//
//   BarRules rules;                                  // prices must be positive
//   if (auto ok = CheckBar(bar, &previous, rules, /*intraday=*/false); !ok)
//     return Fail(ok.error().code, where + ": " + ok.error().message);
//
// The rules: low <= open, close <= high; low > 0 (so every price is positive) unless
// BarRules::allow_nonpositive_prices (some futures and spreads trade at or below zero);
// volume >= 0; prices and volume within kMaxInputMagnitude (1e12: the readers also refuse a
// larger number where they parse it, naming the field); times strictly increasing per symbol,
// and bounded by the supported dates (timestamp.h).
#pragma once

#include <cstdint>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff {

struct Bar {
  Timestamp time = 0;  // the bar's timestamp as the file gives it (UTC nanoseconds)
  // The most fractional digits any of the four prices was written with ("8.50" has 2): the
  // price step of the data (see StrategyContext::tick). Bars made in code keep 12. Sits in
  // the padding before `open`: the bar stays 96 bytes.
  std::uint8_t decimals = Decimal::kScale;
  Decimal open;
  Decimal high;
  Decimal low;
  Decimal close;
  Decimal volume;
};

struct BarRules {
  bool allow_nonpositive_prices = false;
};

// Success, or why `bar` breaks the rules, without a location (the caller adds file and line):
// "high 10.5 is below low 11", "low 0 is not a positive price", "high 2000000000000 is beyond
// the input limit of 1e12", "volume -5 is negative", "time
// 2014-01-02 is not after the previous bar's 2014-01-03". `previous` is the symbol's last
// accepted bar or null; `intraday` decides how times print.
Result<void> CheckBar(const Bar& bar, const Bar* previous, const BarRules& rules, bool intraday);

// True when CheckBar would succeed: the readers' per-row fast path (no Result to build).
inline bool MeetsBarRules(const Bar& bar, const Bar* previous, const BarRules& rules) {
  return bar.low <= bar.open && bar.open <= bar.high && bar.low <= bar.close &&
         bar.close <= bar.high && (rules.allow_nonpositive_prices || bar.low.IsPositive()) &&
         bar.high <= kMaxInputMagnitude && -kMaxInputMagnitude <= bar.low &&
         !bar.volume.IsNegative() && bar.volume <= kMaxInputMagnitude &&
         (previous == nullptr || previous->time < bar.time);
}

}  // namespace wyckoff
