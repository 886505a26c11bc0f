// Parameter grids: the combinations a search runs, as typed values of a strategy's schema.
//
//   auto fast = ParseGridSpec("fast=5:20:5");          // 5, 10, 15, 20 (stop inclusive)
//   auto slow = ParseGridSpec("slow=30,50,100");       // a list
//   auto grid = ParamGrid::Create(schema, {{"note", "x"}}, {*fast, *slow});
//   grid->size();                                      // 12
//   ParamValues values = grid->Combination(0);         // defaults, note=x, fast=5, slow=30
//   grid->Describe(0);                                 // "fast=5 slow=30"
//   std::vector<std::uint64_t> some = SampleCombinations(grid->size(), 5, /*seed=*/7);
//
// Text is parsed once, when the grid is made: every fixed and searched value is checked against
// the schema there (an unknown name or a value out of its domain is an error naming it), and a
// combination is a vector of doubles. A range's values are exact decimals (`0.5:0.8:0.1` gives
// 0.5, 0.6, 0.7, 0.8); the text as written is kept for reports. The first dimension is the
// outermost loop: combination indices follow nested loops in the order the dimensions were
// given ("grid order"), and searches break ties by it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/core/params.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {

// One searched parameter and its values as text, in order (as ParseGridSpec read them).
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
  // A grid of `dimensions` over the values of `schema` with the `fixed` settings (name, text)
  // applied to its defaults. Errors: an unknown name or a value outside its domain (fixed or
  // searched), a parameter named twice (in two dimensions, or fixed and searched). No
  // dimensions is a grid of one combination: the fixed settings alone. `schema` must outlive
  // the grid.
  static Result<ParamGrid> Create(const ParamSchema& schema, ParamList fixed,
                                  std::vector<ParamDimension> dimensions);

  // The number of combinations; saturates at UINT64_MAX.
  std::uint64_t size() const { return size_; }
  // The values of combination `index`: every parameter of the schema. Requires index < size().
  ParamValues Combination(std::uint64_t index) const;
  // The fixed settings, then one (name, text as written) per dimension: what the user chose.
  ParamList Given(std::uint64_t index) const;
  // The searched values of combination `index` only, as `name=value` joined by spaces.
  std::string Describe(std::uint64_t index) const;
  const std::vector<ParamDimension>& dimensions() const { return dimensions_; }
  const ParamList& fixed() const { return fixed_; }
  const ParamSchema& schema() const { return *schema_; }

 private:
  struct Axis {
    std::size_t parameter;       // index in the schema
    std::vector<double> values;  // parsed, one per text of the dimension
  };
  ParamGrid(const ParamSchema& schema, ParamValues base, ParamList fixed,
            std::vector<ParamDimension> dimensions, std::vector<Axis> axes);
  // The value index of each dimension for combination `index`.
  std::vector<std::size_t> Digits(std::uint64_t index) const;

  const ParamSchema* schema_;
  ParamValues base_;  // the defaults with the fixed settings
  ParamList fixed_;
  std::vector<ParamDimension> dimensions_;
  std::vector<Axis> axes_;
  std::uint64_t size_ = 1;
};

// The combination indices to run, ascending: all of [0, total) when `samples` is 0 or at least
// `total`, else `samples` distinct indices drawn uniformly with `seed` (std::mt19937_64 and
// integer arithmetic only, so the same seed draws the same sample on every platform).
// NOTE: a full grid larger than kMaxGridCombinations is the caller's error to report.
std::vector<std::uint64_t> SampleCombinations(std::uint64_t total, std::uint64_t samples,
                                              std::uint64_t seed);

}  // namespace wyckoff::engine
