// Parameter grids: the combinations a search runs, over any parameters of any strategy.
//
//   auto fast = ParseGridSpec("fast=5:20:5");          // 5, 10, 15, 20 (stop inclusive)
//   auto slow = ParseGridSpec("slow=30,50,100");       // a list
//   auto grid = ParamGrid::Create({{"quantity_note", "x"}}, {*fast, *slow});
//   grid->size();                                      // 12
//   grid->Combination(0);    // {quantity_note=x, fast=5, slow=30}: fixed first, then the grid
//   std::vector<std::uint64_t> some = SampleCombinations(grid->size(), 5, /*seed=*/7);
//
// Values stay text: a range's values are exact decimals printed without trailing zeros
// (`0.5:0.8:0.1` gives 0.5, 0.6, 0.7, 0.8), so the strategy parses them as it parses
// `--param`. The first dimension is the outermost loop: combination indices follow nested
// loops in the order the dimensions were given ("grid order"), and searches break ties by it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {

// One searched parameter and its values, in order.
struct ParamDimension {
  std::string name;
  std::vector<std::string> values;
};

// The most values one dimension may have, and the most combinations a full grid may have.
inline constexpr std::uint64_t kMaxDimensionValues = 100'000;
inline constexpr std::uint64_t kMaxGridCombinations = 10'000'000;

// Parses `name=start:stop:step` (exact decimals, step > 0, stop included when reached),
// `name=a,b,c` (a list) or `name=value`. Errors name the spec and the bad part: no `=`, an
// empty name or value, a bound that is not a number, step <= 0, start above stop, a value
// listed twice, more than kMaxDimensionValues values.
Result<ParamDimension> ParseGridSpec(std::string_view spec);

class ParamGrid {
 public:
  // A grid of `dimensions` on top of the `fixed` parameters (given to every combination).
  // Errors: a parameter named twice (in two dimensions, or fixed and searched). No
  // dimensions is a grid of one combination: the fixed parameters alone.
  static Result<ParamGrid> Create(ParamList fixed, std::vector<ParamDimension> dimensions);

  // The number of combinations; saturates at UINT64_MAX.
  std::uint64_t size() const { return size_; }
  // The fixed parameters, then one value per dimension. Requires index < size().
  ParamList Combination(std::uint64_t index) const;
  // The searched values of combination `index` only, as `name=value` joined by spaces.
  std::string Describe(std::uint64_t index) const;
  const std::vector<ParamDimension>& dimensions() const { return dimensions_; }
  const ParamList& fixed() const { return fixed_; }

 private:
  ParamGrid(ParamList fixed, std::vector<ParamDimension> dimensions);
  // The value index of each dimension for combination `index`.
  std::vector<std::size_t> Digits(std::uint64_t index) const;

  ParamList fixed_;
  std::vector<ParamDimension> dimensions_;
  std::uint64_t size_ = 1;
};

// The combination indices to run, ascending: all of [0, total) when `samples` is 0 or at least
// `total`, else `samples` distinct indices drawn uniformly with `seed` (std::mt19937_64 and
// integer arithmetic only, so the same seed draws the same sample on every platform).
// NOTE: a full grid larger than kMaxGridCombinations is the caller's error to report.
std::vector<std::uint64_t> SampleCombinations(std::uint64_t total, std::uint64_t samples,
                                              std::uint64_t seed);

}  // namespace wyckoff::engine
