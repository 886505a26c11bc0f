// Typed parameters: a schema per strategy (or detector set), values parsed once at the edge.
//
//   static const ParamSchema schema(
//       "sma-cross",
//       {IntegerParam("fast", 1, 100000, 10, "bars in the fast average"),
//        IntegerParam("slow", 2, 100000, 30, "bars in the slow average")},
//       &CheckFastBelowSlow);                              // cross-parameter rules
//   ParamValues values = schema.Defaults();
//   if (auto ok = values.Set("fast", "12"); !ok) return ok;  // parsed and range-checked here
//   if (auto ok = schema.Check(values); !ok) return ok;       // fast < slow
//   int fast = static_cast<int>(values.Integer(0));           // no text past this point
//
// The schema is the one description of a parameter: its name, kind, domain, default, group
// and doc line. The CLI (`--param`), the search grid, the parameter docs (`wyckoff params`),
// the database and any service read it; adding a parameter is one line in its schema.
//
// Every value is held as a double: integers (|n| <= 2^53), booleans (0 or 1) and choices (their
// index) are exact in it, and a combination of a search is a small vector of doubles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff {

enum class ParamKind : std::uint8_t { kInteger, kNumber, kBoolean, kChoice };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::kNumber;
  // The domain of integers and numbers: [min, max], an end excluded when `*_open`.
  double min = 0, max = 0;
  bool min_open = false, max_open = false;
  std::vector<std::string> choices;  // kChoice: the names, in index order
  double default_value = 0;
  std::string group;  // a heading of the docs' table ("Spring", "SOS and LPS", ...)
  std::string doc;    // one line: what the parameter does, with its unit
};

// Builders of the common kinds; `doc` and `group` may be filled in afterwards.
ParamSpec IntegerParam(std::string name, std::int64_t min, std::int64_t max,
                       std::int64_t default_value, std::string doc = {});
ParamSpec NumberParam(std::string name, double min, double max, double default_value,
                      std::string doc = {}, bool min_open = false, bool max_open = false);
ParamSpec BooleanParam(std::string name, bool default_value, std::string doc = {});
ParamSpec ChoiceParam(std::string name, std::vector<std::string> choices, std::size_t default_index,
                      std::string doc = {});

class ParamValues;

class ParamSchema {
 public:
  // Rules between parameters (fast < slow): success, or the error naming both.
  using Rule = Result<void> (*)(const ParamValues& values);

  // `owner` names the strategy in messages ("unknown parameter \"x\" for strategy OWNER").
  ParamSchema(std::string owner, std::vector<ParamSpec> specs, Rule rule = nullptr);

  const std::string& owner() const { return owner_; }
  std::span<const ParamSpec> specs() const { return specs_; }
  std::size_t size() const { return specs_.size(); }

  // The index of parameter `name`, or nullopt.
  std::optional<std::size_t> Find(std::string_view name) const;
  // The index of parameter `name`, or an error: `unknown parameter "fats" for strategy sma-cross
  // (known: fast, slow)`; with many parameters, the closest known name instead of the list.
  Result<std::size_t> Require(std::string_view name) const;
  // `text` as a value of parameter `index`, or an error naming the parameter, the text and the
  // domain: `parameter slow: "3.5" is not an integer from 2 to 100000`.
  Result<double> Parse(std::size_t index, std::string_view text) const;
  // A value as text that parses back to it ("10", "0.7", "true", "pivot").
  std::string Format(std::size_t index, double value) const;
  // Every parameter at its default.
  ParamValues Defaults() const;
  // The rules between parameters.
  Result<void> Check(const ParamValues& values) const;

 private:
  std::string owner_;
  std::vector<ParamSpec> specs_;
  Rule rule_;
};

// One value per parameter of a schema, in the schema's order. The schema must outlive it.
class ParamValues {
 public:
  explicit ParamValues(const ParamSchema& schema);

  const ParamSchema& schema() const { return *schema_; }
  double operator[](std::size_t index) const { return values_[index]; }
  std::int64_t Integer(std::size_t index) const {
    return static_cast<std::int64_t>(values_[index]);
  }
  bool Boolean(std::size_t index) const { return values_[index] != 0; }
  std::size_t Choice(std::size_t index) const { return static_cast<std::size_t>(values_[index]); }
  // A value already checked against the domain (one a grid or Parse produced).
  void Set(std::size_t index, double value) { values_[index] = value; }
  // Parses `text` for parameter `name` (Require, then Parse).
  Result<void> Set(std::string_view name, std::string_view text);
  // Every parameter as (name, value as text), in the schema's order: what a run records.
  std::vector<std::pair<std::string, std::string>> List() const;

  friend bool operator==(const ParamValues& a, const ParamValues& b) {
    return a.schema_ == b.schema_ && a.values_ == b.values_;
  }

 private:
  const ParamSchema* schema_;
  std::vector<double> values_;
};

// Splits `name=value` settings (the CLI's --param) into (name, value) pairs, in order. Error:
// a setting that is not of the form name=value.
Result<std::vector<std::pair<std::string, std::string>>> SplitSettings(
    std::span<const std::string> settings);

// Parses `name=value` settings into `values`, in order; the first error names the setting:
// not of the form name=value, an unknown name, a value out of its domain.
Result<void> ApplySettings(ParamValues& values, std::span<const std::string> settings);

// The rows of the parameter table of the docs, one per parameter in the schema's order, as
// Markdown: `| name | kind and domain | default | doc |`, under a heading per group.
std::string ParamTableMarkdown(const ParamSchema& schema);

// The domain in words: "an integer from 1 to 1000", "a number above 0 and below 1",
// "true or false", "one of auto, 1m, 5m".
std::string DescribeDomain(const ParamSpec& spec);

}  // namespace wyckoff
