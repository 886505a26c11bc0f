// A strategy for search tests whose best parameters are known by construction: it buys one
// unit at the close of bar `entry` and sells it at the close of bar `exit` (both fill at the
// next open), with factories for the engine's parameter search, and a tent of flat bars whose
// price rises by 1 a bar up to `peak` and falls after it.
//
//   std::vector<Bar> bars = TentBars(100, /*peak=*/60);
//   StrategyFactory factory = HoldFactory();      // parameters entry, exit; entry < exit
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

inline Result<int> IntParam(const engine::ParamList& params, const std::string& name,
                            int fallback) {
  for (const auto& [k, v] : params) {
    if (k != name) continue;
    int value = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc() || end != v.data() + v.size()) {
      return Fail(ErrorCode::kInvalidArgument, name + ": \"" + v + "\"");
    }
    return value;
  }
  return fallback;
}

inline Result<std::unique_ptr<engine::Strategy>> MakeHold(const engine::ParamList& params) {
  auto entry = IntParam(params, "entry", 0);
  if (!entry) return tl::unexpected(entry.error());
  auto exit = IntParam(params, "exit", 1);
  if (!exit) return tl::unexpected(exit.error());
  if (*entry >= *exit) {
    return Fail(ErrorCode::kInvalidArgument, "entry (" + std::to_string(*entry) +
                                                 ") must come before exit (" +
                                                 std::to_string(*exit) + ")");
  }
  return std::make_unique<HoldStrategy>(*entry, *exit);
}

// Parameters: entry, exit, and `note`, which changes nothing (for ties).
inline engine::StrategyFactory HoldFactory() {
  engine::StrategyFactory f;
  f.make = [](const engine::ParamList& p, const void*) { return MakeHold(p); };
  f.check_name = [](const std::string& name) -> Result<void> {
    if (name == "entry" || name == "exit" || name == "note") return {};
    return Fail(ErrorCode::kInvalidArgument,
                "unknown parameter \"" + name + "\" for strategy hold");
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
  data.bars.push_back(std::move(bars));
  return data;
}

}  // namespace wyckoff::testing
