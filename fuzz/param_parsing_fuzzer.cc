// Fuzz target param_parsing: the parameter and grid parsers through their public API:
// engine::ParseGridSpec and ParamGrid (param_grid.h), strategies::ParseParam and the
// strategies' own value parsing (MakeStrategy, registry.h). Each input line is one spec.
//
// Properties: no crash, no sanitizer report; an accepted grid has at least one combination and
// every combination it lists has one value per dimension.
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

void VisitGrid(std::vector<ParamDimension> dimensions) {
  const std::size_t count = dimensions.size();
  auto grid = ParamGrid::Create({{"note", "fuzz"}}, std::move(dimensions));
  if (!grid) return;
  if (grid->size() == 0) PropertyFailed("an accepted grid has no combination");
  const std::uint64_t visited = std::min<std::uint64_t>(grid->size(), kCombinationsVisited);
  for (std::uint64_t i = 0; i < visited; ++i) {
    if (grid->Combination(i).size() != count + 1) PropertyFailed("a combination lacks a value");
    (void)grid->Describe(i);
  }
  (void)wyckoff::engine::SampleCombinations(grid->size(), 3, 7);
}

// Every strategy built with `params`: exercises each strategy's parsing of parameter values.
void MakeEveryStrategy(const ParamList& params) {
  const wyckoff::engine::Sizing sizing;
  for (const auto& info : wyckoff::strategies::ListStrategies()) {
    ParamList resolved;
    (void)wyckoff::strategies::MakeStrategy(info.name, params, sizing, &resolved);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<ParamDimension> dimensions;
  ParamList params;
  for (std::string_view line : Lines(input)) {
    if (auto dimension = wyckoff::engine::ParseGridSpec(line)) {
      dimensions.push_back(std::move(*dimension));
    }
    if (auto param = wyckoff::strategies::ParseParam(line)) params.push_back(std::move(*param));
  }
  VisitGrid(std::move(dimensions));
  MakeEveryStrategy(params);
  return 0;
}
