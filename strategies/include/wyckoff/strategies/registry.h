// The built-in strategies, by name, each with its parameter schema.
//
//   Result<const StrategyType*> type = FindStrategy("sma-cross");   // or the known names
//   ParamValues params = type->schema().Defaults();
//   if (auto ok = ApplySettings(params, {"fast=10", "slow=30"}); !ok) return ok;  // at the edge
//   if (auto ok = type->schema().Check(params); !ok) return ok;                  // fast < slow
//   if (auto ok = CheckSizing(**type, sizing); !ok) return ok;
//   std::unique_ptr<engine::Strategy> strategy = type->make(params, nullptr);
//
// A parameter search computes what its combinations share once per data slice:
//   auto shared = type->prepare ? type->prepare(slice, grid) : nullptr;
//   type->make(grid.Combination(i), shared.get());
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/core/params.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {
struct DataSlice;
class ParamGrid;
struct StrategyFactory;
}  // namespace wyckoff::engine

namespace wyckoff::strategies {

using engine::ParamList;

struct StrategyType {
  std::string_view name;
  std::string_view description;
  // Whether its entries carry a protective stop (risk sizing needs one).
  bool places_stops = false;
  // Its parameters: names, domains, defaults, docs, and the rules between them.
  const ParamSchema& (*schema)() = nullptr;
  // The strategy for `params` (values of schema() that passed its rules). `shared` is what
  // `prepare` made for the bars the run replays, or null; it must outlive the strategy.
  std::unique_ptr<engine::Strategy> (*make)(const ParamValues& params,
                                            const engine::SharedInputs* shared) = nullptr;
  // Optional: what every combination of a search over `data` with `grid` can share, computed
  // once (wyckoff: each symbol's bars as doubles and, unless a feature parameter is searched,
  // the detector features of every bar).
  std::shared_ptr<const engine::SharedInputs> (*prepare)(const engine::DataSlice& data,
                                                         const engine::ParamGrid& grid) = nullptr;
};

// The registered strategies, in name order.
std::span<const StrategyType> Strategies();

// The strategy named `name`. Error: `unknown strategy "nope" (known: sma-cross, wyckoff)`.
Result<const StrategyType*> FindStrategy(std::string_view name);

// The engine's search factory of `type`: its make, and its prepare unless `share` is false
// (to measure what sharing saves).
engine::StrategyFactory FactoryOf(const StrategyType& type, bool share = true);

// Success when `type` can trade with `sizing`: risk sizing needs a strategy that places stops.
Result<void> CheckSizing(const StrategyType& type, const engine::Sizing& sizing);

// The strategy `name` with the settings `given` (text, as a user wrote them; parsed here, at
// the edge) checked against its schema, its rules and `sizing`. `resolved`, when given,
// receives every parameter with its effective value. For tools and tests that hold text.
Result<std::unique_ptr<engine::Strategy>> MakeStrategy(
    std::string_view name, const ParamList& given, const engine::Sizing& sizing,
    ParamList* resolved, const engine::SharedInputs* shared = nullptr);

}  // namespace wyckoff::strategies
