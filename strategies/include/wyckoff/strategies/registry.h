// The built-in strategies, by name, with their parameters.
//
//   ParamList given = {{"fast", "10"}, {"slow", "30"}};
//   ParamList resolved;                                  // every parameter, defaults included
//   auto strategy = MakeStrategy("sma-cross", given, sizing, &resolved);
//   if (!strategy) return Report(strategy.error());      // unknown name or bad value
//
// A parameter search computes what its combinations share once per data slice:
//   auto shared = PrepareShared("wyckoff", slice, grid);  // may be nullptr
//   MakeStrategy("wyckoff", grid.Combination(i), sizing, nullptr, shared.get());
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {
struct DataSlice;
class ParamGrid;
}  // namespace wyckoff::engine

namespace wyckoff::strategies {

using engine::ParamList;

struct StrategyInfo {
  std::string_view name;
  std::string_view description;
};

// The registered strategies, in name order.
std::vector<StrategyInfo> ListStrategies();

// Builds strategy `name` with `params` (unknown names and bad values are errors that name the
// parameter) and `sizing` (a strategy without a protective stop rejects risk sizing). When
// `resolved` is given it receives every parameter of the strategy with its effective value.
// `shared` is what PrepareShared made for the same strategy and the bars the run replays; it
// must outlive the strategy.
Result<std::unique_ptr<engine::Strategy>> MakeStrategy(std::string_view name,
                                                       const ParamList& params,
                                                       const engine::Sizing& sizing,
                                                       ParamList* resolved,
                                                       const void* shared = nullptr);

// What every combination of a search over `data` with `grid` can share, computed once:
// - wyckoff: each symbol's bars as doubles and, unless a feature parameter (volume_window,
//   spread_window, atr_period) is searched, the detector features of every bar;
// - sma-cross: nothing (nullptr).
// nullptr too when the grid's fixed parameters are invalid (the search reports those).
std::shared_ptr<const void> PrepareShared(std::string_view name, const engine::DataSlice& data,
                                          const engine::ParamGrid& grid);

// Parses `name=value` into a pair. Error when there is no '=' or the name is empty.
Result<std::pair<std::string, std::string>> ParseParam(std::string_view text);

}  // namespace wyckoff::strategies
