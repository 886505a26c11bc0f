// SmaCrossStrategy: the peer-parity reference strategy (rules in data/README.md).
//
// Simple moving averages of the close, fast and slow, compared exactly: fast > slow is
// decided as sum_fast x slow > sum_slow x fast on exact decimals, so ties are real ties.
// At the close of bar i (i >= slow): cross up when fast[i] > slow[i] and fast[i-1] <= slow[i-1];
// cross down when fast[i] < slow[i] and fast[i-1] >= slow[i-1]. Long only: flat and cross up
// buys the sizing's fixed quantity at the next open; long and cross down sells it all.
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/core/params.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::strategies {

struct SmaCrossParams {
  int fast = 10;  // bars in the fast average
  int slow = 30;  // bars in the slow average
};

// fast (1..100000, 10) and slow (2..100000, 30); rule: fast < slow.
const ParamSchema& SmaCrossSchema();
// The typed parameters of `values` (of SmaCrossSchema(), rules checked).
SmaCrossParams SmaCrossParamsOf(const ParamValues& values);

class SmaCrossStrategy final : public engine::Strategy {
 public:
  // Requires 1 <= fast < slow (the schema's rule).
  SmaCrossStrategy(int fast, int slow);
  explicit SmaCrossStrategy(SmaCrossParams params) : SmaCrossStrategy(params.fast, params.slow) {}
  void OnStart(const std::vector<engine::SymbolInfo>& symbols) override;
  void OnBar(int symbol, const Bar& bar, std::int64_t index, engine::StrategyContext& ctx) override;
  // Slides the averages only: a cross during the warm-up is not traded.
  void OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) override;

 private:
  struct State {
    std::vector<Decimal> closes;  // ring buffer of the last `slow` closes
    std::size_t cursor = 0;       // the slot of the next close
    // The window sums as raw 128-bit values. Bars that meet the bar rules have closes within
    // kMaxInputMagnitude (1e12, raw 1e24) and the parameters limit a window to 100,000 bars,
    // so a sum stays within 1e29 and a sum times a window within 1e34, below 2^127. While
    // every close so far is that small (`bounded`; even a window of INT_MAX such closes sums
    // within 2.2e33), the sums are added unchecked; after a larger one (bars made in code),
    // with the processor's overflow flag checked, and a run that passes 128 bits stops at the
    // check like any Decimal overflow.
    Decimal::Raw fast_sum = 0, slow_sum = 0;
    bool bounded = true;
    int previous = 0;  // sign of fast - slow at the previous bar
  };
  // Slides the averages over bar `index`, then trades a cross when `ctx` is given (a template
  // so that OnBar's code is the plain loop body).
  template <bool kTrade>
  void Step(int symbol, const Bar& bar, std::int64_t index, engine::StrategyContext* ctx);
  // Step's window sums once a close beyond the input bound was seen: checked, and out of line
  // so that the usual path keeps its registers.
  [[gnu::cold, gnu::noinline]] static void SlideChecked(State& s, Decimal::Raw close,
                                                        Decimal::Raw slow_exit_close,
                                                        Decimal::Raw fast_exit_close);
  // On a cross (`up`: the fast average rose above the slow one, else fell below it): buys when
  // flat, sells a long, unless orders are working. Out of line: most bars cross nothing.
  [[gnu::noinline]] void TradeCross(int symbol, bool up, engine::StrategyContext& ctx);
  // The sign of the fast average minus the slow one: 1, 0 or -1.
  int CrossSign(Decimal::Raw fast_sum, Decimal::Raw slow_sum) const;

  int fast_, slow_;
  std::vector<State> states_;
};

}  // namespace wyckoff::strategies
