#include "wyckoff/strategies/registry.h"

#include <algorithm>
#include <charconv>

#include "wyckoff/detectors/features.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/strategies/sma_cross.h"
#include "wyckoff/strategies/wyckoff_strategy.h"

namespace wyckoff::strategies {
namespace {

Result<int> ParseInt(const std::string& name, const std::string& text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "parameter " + name + ": \"" + text + "\" is not an integer from " +
                    std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

// Fills `values` (defaults in, given values out) from `given`; unknown names are errors.
Result<void> Apply(std::string_view strategy, const ParamList& given, ParamList& values) {
  for (const auto& [name, value] : given) {
    auto it = std::find_if(values.begin(), values.end(), [&](auto& p) { return p.first == name; });
    if (it == values.end()) {
      std::string known;
      for (const auto& p : values) known += (known.empty() ? "" : ", ") + p.first;
      return Fail(ErrorCode::kInvalidArgument, "unknown parameter \"" + name + "\" for strategy " +
                                                   std::string(strategy) + " (known: " + known +
                                                   ")");
    }
    it->second = value;
  }
  return {};
}

Result<std::unique_ptr<engine::Strategy>> MakeSmaCross(const ParamList& given,
                                                       const engine::Sizing& sizing,
                                                       ParamList& values) {
  values = {{"fast", "10"}, {"slow", "30"}};
  if (auto ok = Apply("sma-cross", given, values); !ok) return tl::unexpected(ok.error());
  auto fast = ParseInt("fast", values[0].second, 1, 100000);
  if (!fast) return tl::unexpected(fast.error());
  auto slow = ParseInt("slow", values[1].second, 2, 100000);
  if (!slow) return tl::unexpected(slow.error());
  if (*fast >= *slow) {
    return Fail(ErrorCode::kInvalidArgument, "parameter fast (" + std::to_string(*fast) +
                                                 ") must be less than slow (" +
                                                 std::to_string(*slow) + ")");
  }
  if (sizing.mode != engine::Sizing::Mode::kFixedQuantity) {
    return Fail(ErrorCode::kInvalidArgument,
                "strategy sma-cross places no protective stop, so it cannot size by risk; "
                "use --quantity");
  }
  return std::make_unique<SmaCrossStrategy>(*fast, *slow);
}

// Every detector parameter is a strategy parameter (docs/detectors.md lists them).
Result<detectors::DetectorParams> WyckoffParams(const ParamList& given) {
  detectors::DetectorParams params;
  for (const auto& [name, value] : given) {
    if (auto ok = detectors::SetParam(params, name, value); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = detectors::ValidateParams(params); !ok) return tl::unexpected(ok.error());
  return params;
}

Result<std::unique_ptr<engine::Strategy>> MakeWyckoff(const ParamList& given, ParamList& values,
                                                      const void* shared) {
  auto params = WyckoffParams(given);
  if (!params) return tl::unexpected(params.error());
  values = detectors::ListParams(*params);
  return std::make_unique<WyckoffStrategy>(*params, static_cast<const WyckoffInputs*>(shared));
}

// The fixed parameters decide the features unless a feature parameter is searched.
std::shared_ptr<const void> PrepareWyckoff(const engine::DataSlice& data,
                                           const engine::ParamGrid& grid) {
  auto fixed = WyckoffParams(grid.fixed());
  if (!fixed) return nullptr;
  const bool features_searched = std::any_of(
      grid.dimensions().begin(), grid.dimensions().end(),
      [](const engine::ParamDimension& d) { return detectors::IsFeatureParam(d.name); });
  return PrecomputeWyckoffInputs(data, features_searched ? nullptr : &*fixed);
}

}  // namespace

std::vector<StrategyInfo> ListStrategies() {
  return {{"sma-cross", "fast/slow simple moving average crossover, long only (fast, slow)"},
          {"wyckoff", "trades tested springs and LPS (UTAD exits, optional shorts) with brackets"}};
}

Result<std::unique_ptr<engine::Strategy>> MakeStrategy(std::string_view name,
                                                       const ParamList& params,
                                                       const engine::Sizing& sizing,
                                                       ParamList* resolved, const void* shared) {
  ParamList values;
  Result<std::unique_ptr<engine::Strategy>> made =
      Fail(ErrorCode::kInvalidArgument, "unknown strategy \"" + std::string(name) + "\"");
  if (name == "sma-cross") made = MakeSmaCross(params, sizing, values);
  if (name == "wyckoff") made = MakeWyckoff(params, values, shared);
  if (made && resolved != nullptr) *resolved = values;
  if (!made && made.error().message.rfind("unknown strategy", 0) == 0) {
    std::string known;
    for (const auto& s : ListStrategies())
      known += (known.empty() ? "" : ", ") + std::string(s.name);
    made.error().message += " (known: " + known + ")";
  }
  return made;
}

std::shared_ptr<const void> PrepareShared(std::string_view name, const engine::DataSlice& data,
                                          const engine::ParamGrid& grid) {
  if (name == "wyckoff") return PrepareWyckoff(data, grid);
  return nullptr;
}

Result<std::pair<std::string, std::string>> ParseParam(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "--param \"" + std::string(text) + "\" is not of the form name=value");
  }
  return std::make_pair(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
}

}  // namespace wyckoff::strategies
