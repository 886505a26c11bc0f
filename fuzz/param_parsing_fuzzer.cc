// Fuzz target param_parsing: the parameter and grid parsers through their public API:
// engine::ParseGridSpec and ParamGrid (param_grid.h, typed against each strategy's schema),
// SplitSettings and ApplySettings (core/params.h) and the strategies' rules (registry.h). Each
// input line is one spec.
//
// Properties: no crash, no sanitizer report; an accepted grid has at least one combination,
// every combination it lists has one value per schema parameter, and every value of an
// accepted setting formats back to text that parses to the same value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "memory_file.h"
#include "wyckoff/engine/param_grid.h"
#include "wyckoff/strategies/registry.h"

namespace {

using wyckoff::ParamSchema;
using wyckoff::ParamValues;
using wyckoff::engine::ParamDimension;
using wyckoff::engine::ParamGrid;
using wyckoff::engine::ParamList;
using wyckoff::fuzz::PropertyFailed;

constexpr std::uint64_t kCombinationsVisited = 8;

// The lines of the input, at most 4.
std::vector<std::string_view> Lines(std::string_view input) {
  std::vector<std::string_view> lines;
  while (lines.size() < 4) {
    const std::size_t end = input.find('\n');
    lines.push_back(input.substr(0, end));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  return lines;
}

void VisitGrid(const ParamSchema& schema, const ParamList& fixed,
               std::vector<ParamDimension> dimensions) {
  auto grid = ParamGrid::Create(schema, fixed, std::move(dimensions));
  if (!grid) return;
  if (grid->size() == 0) PropertyFailed("an accepted grid has no combination");
  const std::uint64_t visited = std::min<std::uint64_t>(grid->size(), kCombinationsVisited);
  for (std::uint64_t i = 0; i < visited; ++i) {
    const ParamValues values = grid->Combination(i);
    if (values.List().size() != schema.size()) PropertyFailed("a combination lacks a value");
    (void)schema.Check(values);
    (void)grid->Describe(i);
  }
  (void)wyckoff::engine::SampleCombinations(grid->size(), 3, 7);
}

// The settings applied to each strategy's defaults; accepted values round-trip through text.
void ApplyToEveryStrategy(const std::vector<std::string>& settings) {
  for (const auto& type : wyckoff::strategies::Strategies()) {
    ParamValues values = type.schema().Defaults();
    if (!wyckoff::ApplySettings(values, settings)) continue;
    for (std::size_t i = 0; i < type.schema().size(); ++i) {
      auto back = type.schema().Parse(i, type.schema().Format(i, values[i]));
      if (!back || *back != values[i]) PropertyFailed("a value does not format back to itself");
    }
    (void)type.schema().Check(values);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<ParamDimension> dimensions;
  std::vector<std::string> settings;
  for (std::string_view line : Lines(input)) {
    if (auto dimension = wyckoff::engine::ParseGridSpec(line)) {
      dimensions.push_back(std::move(*dimension));
    }
    settings.emplace_back(line);
  }
  const auto fixed = wyckoff::SplitSettings(settings);
  for (const auto& type : wyckoff::strategies::Strategies()) {
    VisitGrid(type.schema(), fixed ? *fixed : ParamList{}, dimensions);
  }
  ApplyToEveryStrategy(settings);
  return 0;
}
