#include "wyckoff/strategies/registry.h"

#include <algorithm>
#include <array>

#include "wyckoff/detectors/features.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/strategies/sma_cross.h"
#include "wyckoff/strategies/wyckoff_strategy.h"

namespace wyckoff::strategies {
namespace {

std::unique_ptr<engine::Strategy> MakeSmaCross(const ParamValues& params,
                                               const engine::SharedInputs*) {
  return std::make_unique<SmaCrossStrategy>(SmaCrossParamsOf(params));
}

std::unique_ptr<engine::Strategy> MakeWyckoff(const ParamValues& params,
                                              const engine::SharedInputs* shared) {
  return std::make_unique<WyckoffStrategy>(detectors::ToDetectorParams(params),
                                           dynamic_cast<const WyckoffInputs*>(shared));
}

// The fixed parameters decide the features unless a feature parameter is searched.
std::shared_ptr<const engine::SharedInputs> PrepareWyckoff(const engine::DataSlice& data,
                                                           const engine::ParamGrid& grid) {
  const detectors::DetectorParams fixed = detectors::ToDetectorParams(grid.Combination(0));
  const bool features_searched = std::any_of(
      grid.dimensions().begin(), grid.dimensions().end(),
      [](const engine::ParamDimension& d) { return detectors::IsFeatureParam(d.name); });
  return PrecomputeWyckoffInputs(data, features_searched ? nullptr : &fixed);
}

constexpr std::array<StrategyType, 2> kStrategies = {{
    {"sma-cross", "fast/slow simple moving average crossover, long only (fast, slow)",
     /*places_stops=*/false, &SmaCrossSchema, &MakeSmaCross, nullptr},
    {"wyckoff", "trades tested springs and LPS (UTAD exits, optional shorts) with brackets",
     /*places_stops=*/true, &detectors::DetectorSchema, &MakeWyckoff, &PrepareWyckoff},
}};

}  // namespace

std::span<const StrategyType> Strategies() { return kStrategies; }

Result<const StrategyType*> FindStrategy(std::string_view name) {
  for (const StrategyType& type : kStrategies) {
    if (type.name == name) return &type;
  }
  std::string known;
  for (const StrategyType& type : kStrategies) {
    known += (known.empty() ? "" : ", ") + std::string(type.name);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown strategy " + Quoted(name) + " (known: " + known + ")");
}

engine::StrategyFactory FactoryOf(const StrategyType& type, bool share) {
  engine::StrategyFactory f;
  f.make = [make = type.make](const ParamValues& params, const engine::SharedInputs* shared)
      -> Result<std::unique_ptr<engine::Strategy>> { return make(params, shared); };
  if (share && type.prepare != nullptr) f.prepare = type.prepare;
  return f;
}

Result<void> CheckSizing(const StrategyType& type, const engine::Sizing& sizing) {
  if (type.places_stops || sizing.mode == engine::Sizing::Mode::kFixedQuantity) return {};
  return Fail(ErrorCode::kInvalidArgument,
              "strategy " + std::string(type.name) +
                  " places no protective stop, so it cannot size by risk; use a fixed quantity");
}

Result<std::unique_ptr<engine::Strategy>> MakeStrategy(std::string_view name,
                                                       const ParamList& given,
                                                       const engine::Sizing& sizing,
                                                       ParamList* resolved,
                                                       const engine::SharedInputs* shared) {
  Result<const StrategyType*> type = FindStrategy(name);
  if (!type) return tl::unexpected(type.error());
  ParamValues params = (*type)->schema().Defaults();
  for (const auto& [key, value] : given) {
    if (auto ok = params.Set(key, value); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = (*type)->schema().Check(params); !ok) return tl::unexpected(ok.error());
  if (auto ok = CheckSizing(**type, sizing); !ok) return tl::unexpected(ok.error());
  if (resolved != nullptr) *resolved = params.List();
  return (*type)->make(params, shared);
}

}  // namespace wyckoff::strategies
