#include "wyckoff/engine/param_grid.h"

#include <algorithm>
#include <limits>
#include <random>
#include <set>

#include "wyckoff/core/decimal.h"

namespace wyckoff::engine {
namespace {

Result<ParamDimension> SpecError(std::string_view spec, const std::string& why) {
  return Fail(ErrorCode::kInvalidArgument, "grid " + Quoted(spec) + ": " + why);
}

Result<Decimal> Bound(std::string_view spec, const char* what, std::string_view text) {
  Result<Decimal> v = Decimal::Parse(text);
  if (!v) {
    return Fail(ErrorCode::kInvalidArgument,
                "grid " + Quoted(spec) + ": " + what + " " + Quoted(text) + " is not a number");
  }
  return v;
}

// Values of `start:stop:step`, stop included when a step lands on it.
Result<ParamDimension> ParseRange(std::string_view spec, ParamDimension dim,
                                  std::string_view range) {
  const auto c1 = range.find(':'), c2 = range.find(':', c1 + 1);
  if (c2 == std::string_view::npos || range.find(':', c2 + 1) != std::string_view::npos) {
    return SpecError(spec, "a range is start:stop:step");
  }
  auto start = Bound(spec, "start", range.substr(0, c1));
  if (!start) return tl::unexpected(start.error());
  auto stop = Bound(spec, "stop", range.substr(c1 + 1, c2 - c1 - 1));
  if (!stop) return tl::unexpected(stop.error());
  auto step = Bound(spec, "step", range.substr(c2 + 1));
  if (!step) return tl::unexpected(step.error());
  if (!step->IsPositive()) return SpecError(spec, "step " + step->ToString() + " must be above 0");
  if (*start > *stop) {
    return SpecError(spec, "start " + start->ToString() + " is above stop " + stop->ToString());
  }
  auto span = Decimal::CheckedDiv(*stop - *start, *step, Rounding::kDown);
  if (!span || *span >= Decimal::FromInt(kMaxDimensionValues)) {
    return SpecError(spec, "more than " + std::to_string(kMaxDimensionValues) + " values");
  }
  for (Decimal v = *start; v <= *stop; v += *step) dim.values.push_back(v.ToString());
  return dim;
}

Result<ParamDimension> ParseList(std::string_view spec, ParamDimension dim, std::string_view list) {
  std::size_t begin = 0;
  while (true) {
    const auto comma = list.find(',', begin);
    std::string value(list.substr(begin, comma == std::string_view::npos ? comma : comma - begin));
    if (value.empty()) return SpecError(spec, "an empty value in the list");
    if (std::find(dim.values.begin(), dim.values.end(), value) != dim.values.end()) {
      return SpecError(spec, "value " + value + " is listed twice");
    }
    dim.values.push_back(std::move(value));
    if (dim.values.size() > kMaxDimensionValues) {
      return SpecError(spec, "more than " + std::to_string(kMaxDimensionValues) + " values");
    }
    if (comma == std::string_view::npos) return dim;
    begin = comma + 1;
  }
}

// A uniform integer in [0, n) from raw 64-bit draws, by rejection (no platform-defined
// distribution, so a seed draws the same numbers everywhere).
std::uint64_t Uniform(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % n;
}

}  // namespace

Result<ParamDimension> ParseGridSpec(std::string_view spec) {
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return SpecError(spec, "not of the form name=start:stop:step, name=a,b,c or name=value");
  }
  ParamDimension dim{std::string(spec.substr(0, eq)), {}};
  const std::string_view values = spec.substr(eq + 1);
  if (values.empty()) return SpecError(spec, "no values after '='");
  if (values.find(':') != std::string_view::npos) return ParseRange(spec, std::move(dim), values);
  return ParseList(spec, std::move(dim), values);
}

ParamGrid::ParamGrid(const ParamSchema& schema, ParamValues base, ParamList fixed,
                     std::vector<ParamDimension> dimensions, std::vector<Axis> axes)
    : schema_(&schema),
      base_(std::move(base)),
      fixed_(std::move(fixed)),
      dimensions_(std::move(dimensions)),
      axes_(std::move(axes)) {
  for (const auto& d : dimensions_) {
    const std::uint64_t n = d.values.size();
    if (n != 0 && size_ > std::numeric_limits<std::uint64_t>::max() / n) {
      size_ = std::numeric_limits<std::uint64_t>::max();
    } else {
      size_ *= n;
    }
  }
}

Result<ParamGrid> ParamGrid::Create(const ParamSchema& schema, ParamList fixed,
                                    std::vector<ParamDimension> dimensions) {
  ParamValues base = schema.Defaults();
  for (const auto& [name, value] : fixed) {
    if (auto ok = base.Set(name, value); !ok) return tl::unexpected(ok.error());
  }
  std::vector<Axis> axes;
  for (std::size_t i = 0; i < dimensions.size(); ++i) {
    const std::string& name = dimensions[i].name;
    WYCKOFF_CHECK(!dimensions[i].values.empty(), "a dimension has at least one value");
    for (std::size_t j = 0; j < i; ++j) {
      if (dimensions[j].name == name) {
        return Fail(ErrorCode::kInvalidArgument, "parameter \"" + name + "\" is searched twice");
      }
    }
    for (const auto& [fixed_name, value] : fixed) {
      if (fixed_name == name) {
        return Fail(ErrorCode::kInvalidArgument, "parameter \"" + name + "\" is both fixed (" +
                                                     name + "=" + value + ") and searched");
      }
    }
    Result<std::size_t> index = schema.Require(name);
    if (!index) return tl::unexpected(index.error());
    Axis axis{*index, {}};
    for (const std::string& text : dimensions[i].values) {
      Result<double> value = schema.Parse(*index, text);
      if (!value) return tl::unexpected(value.error());
      axis.values.push_back(*value);
    }
    axes.push_back(std::move(axis));
  }
  return ParamGrid(schema, std::move(base), std::move(fixed), std::move(dimensions),
                   std::move(axes));
}

std::vector<std::size_t> ParamGrid::Digits(std::uint64_t index) const {
  WYCKOFF_CHECK(index < size_, "combination index within the grid");
  std::vector<std::size_t> digits(dimensions_.size());
  for (std::size_t d = dimensions_.size(); d-- > 0;) {  // the last dimension varies fastest
    const std::uint64_t n = dimensions_[d].values.size();
    digits[d] = static_cast<std::size_t>(index % n);
    index /= n;
  }
  return digits;
}

ParamValues ParamGrid::Combination(std::uint64_t index) const {
  ParamValues values = base_;
  const std::vector<std::size_t> digits = Digits(index);
  for (std::size_t d = 0; d < axes_.size(); ++d) {
    values.Set(axes_[d].parameter, axes_[d].values[digits[d]]);
  }
  return values;
}

ParamList ParamGrid::Given(std::uint64_t index) const {
  ParamList params = fixed_;
  const std::vector<std::size_t> digits = Digits(index);
  for (std::size_t d = 0; d < dimensions_.size(); ++d) {
    params.emplace_back(dimensions_[d].name, dimensions_[d].values[digits[d]]);
  }
  return params;
}

std::string ParamGrid::Describe(std::uint64_t index) const {
  std::string text;
  const std::vector<std::size_t> digits = Digits(index);
  for (std::size_t d = 0; d < dimensions_.size(); ++d) {
    text += (d == 0 ? "" : " ") + dimensions_[d].name + "=" + dimensions_[d].values[digits[d]];
  }
  return text;
}

std::vector<std::uint64_t> SampleCombinations(std::uint64_t total, std::uint64_t samples,
                                              std::uint64_t seed) {
  std::vector<std::uint64_t> out;
  if (samples == 0 || samples >= total) {
    out.resize(static_cast<std::size_t>(total));
    for (std::uint64_t i = 0; i < total; ++i) out[i] = i;
    return out;
  }
  // Floyd's algorithm: `samples` distinct draws in `samples` steps, whatever the total.
  std::mt19937_64 rng(seed);
  std::set<std::uint64_t> chosen;
  for (std::uint64_t j = total - samples; j < total; ++j) {
    const std::uint64_t t = Uniform(rng, j + 1);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace wyckoff::engine
