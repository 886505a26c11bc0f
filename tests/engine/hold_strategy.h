// A strategy for search tests whose best parameters are known by construction: it buys one
// unit at the close of bar `entry` and sells it at the close of bar `exit` (both fill at the
// next open), with factories for the engine's parameter search, and a tent of flat bars whose
// price rises by 1 a bar up to `peak` and falls after it.
//
//   std::vector<Bar> bars = TentBars(100, /*peak=*/60);
//   StrategyFactory factory = HoldFactory();      // HoldSchema(): entry, exit; entry < exit
#pragma once

#include <atomic>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "wyckoff/engine/optimizer.h"

namespace wyckoff::testing {

class HoldStrategy final : public engine::Strategy {
 public:
  HoldStrategy(int entry, int exit) : entry_(entry), exit_(exit) {}
  void OnBar(int symbol, const Bar&, std::int64_t index, engine::StrategyContext& ctx) override {
    const Decimal one = Decimal::FromInt(1);
    if (index == entry_) ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kBuy, one));
    if (index == exit_ && ctx.position(symbol).IsPositive()) {
      ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kSell, one));
    }
  }

 private:
  int entry_, exit_;
};

// entry (0..100000, 0), exit (0..100000, 1) and `note` (a, b or c), which changes nothing
// (for ties); rule: entry < exit.
inline const ParamSchema& HoldSchema() {
  static const ParamSchema schema(
      "hold",
      {IntegerParam("entry", 0, 100000, 0), IntegerParam("exit", 0, 100000, 1),
       ChoiceParam("note", {"a", "b", "c"}, 0)},
      [](const ParamValues& v) -> Result<void> {
        if (v.Integer(0) < v.Integer(1)) return {};
        return Fail(ErrorCode::kInvalidArgument, "entry (" + std::to_string(v.Integer(0)) +
                                                     ") must come before exit (" +
                                                     std::to_string(v.Integer(1)) + ")");
      });
  return schema;
}

inline std::unique_ptr<engine::Strategy> MakeHold(const ParamValues& params) {
  return std::make_unique<HoldStrategy>(static_cast<int>(params.Integer(0)),
                                        static_cast<int>(params.Integer(1)));
}

inline engine::StrategyFactory HoldFactory() {
  engine::StrategyFactory f;
  f.make = [](const ParamValues& p,
              const engine::SharedInputs*) -> Result<std::unique_ptr<engine::Strategy>> {
    return MakeHold(p);
  };
  return f;
}

// `n` flat daily bars from 2000-01-01: price 100 + i up to `peak`, then falling by 1 a bar.
inline std::vector<Bar> TentBars(int n, int peak, int first_day = 0) {
  std::vector<Bar> bars;
  for (int i = 0; i < n; ++i) {
    const Decimal p = Decimal::FromInt(i <= peak ? 100 + i : 100 + 2 * peak - i);
    const Timestamp t = (10'957 + first_day + i) * kNanosPerDay;
    bars.push_back(
        {.time = t, .open = p, .high = p, .low = p, .close = p, .volume = Decimal::FromInt(1000)});
  }
  return bars;
}

inline engine::MarketData OneSymbol(std::vector<Bar> bars) {
  engine::MarketData data;
  data.symbols = {{"TEST", false}};
  data.bars.emplace_back(bars);
  return data;
}

}  // namespace wyckoff::testing
