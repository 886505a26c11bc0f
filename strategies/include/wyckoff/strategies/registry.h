// The built-in strategies, by name, with their parameters.
//
//   ParamList given = {{"fast", "10"}, {"slow", "30"}};
//   ParamList resolved;                                  // every parameter, defaults included
//   auto strategy = MakeStrategy("sma-cross", given, sizing, &resolved);
//   if (!strategy) return Report(strategy.error());      // unknown name or bad value
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/engine/error.h"
#include "wyckoff/engine/strategy.h"

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
engine::Result<std::unique_ptr<engine::Strategy>> MakeStrategy(std::string_view name,
                                                               const ParamList& params,
                                                               const engine::Sizing& sizing,
                                                               ParamList* resolved);

// Parses `name=value` into a pair. Error when there is no '=' or the name is empty.
engine::Result<std::pair<std::string, std::string>> ParseParam(std::string_view text);

}  // namespace wyckoff::strategies
