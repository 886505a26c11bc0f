#include "wyckoff/core/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace wyckoff {
namespace {

// Shortest text that reads back as `v` ("0.7", "2", "1e-05").
std::string Shortest(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

// Plain decimal digits, never an exponent ("1000000", "0.05"): for domains in messages.
std::string Plain(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : Shortest(v);
}

bool InDomain(const ParamSpec& s, double v) {
  const bool above = s.min_open ? v > s.min : v >= s.min;
  const bool below = s.max_open ? v < s.max : v <= s.max;
  return above && below;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

Result<double> Refuse(const ParamSpec& spec, std::string_view text) {
  return Fail(ErrorCode::kInvalidArgument,
              "parameter " + spec.name + ": " + Quoted(text) + " is not " + DescribeDomain(spec));
}

}  // namespace

ParamSpec IntegerParam(std::string name, std::int64_t min, std::int64_t max,
                       std::int64_t default_value, std::string doc) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::kInteger;
  s.min = static_cast<double>(min);
  s.max = static_cast<double>(max);
  s.default_value = static_cast<double>(default_value);
  s.doc = std::move(doc);
  return s;
}

ParamSpec NumberParam(std::string name, double min, double max, double default_value,
                      std::string doc, bool min_open, bool max_open) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::kNumber;
  s.min = min, s.max = max, s.min_open = min_open, s.max_open = max_open;
  s.default_value = default_value;
  s.doc = std::move(doc);
  return s;
}

ParamSpec BooleanParam(std::string name, bool default_value, std::string doc) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::kBoolean;
  s.default_value = default_value ? 1 : 0;
  s.doc = std::move(doc);
  return s;
}

ParamSpec ChoiceParam(std::string name, std::vector<std::string> choices, std::size_t default_index,
                      std::string doc) {
  ParamSpec s;
  s.name = std::move(name);
  s.kind = ParamKind::kChoice;
  s.choices = std::move(choices);
  s.default_value = static_cast<double>(default_index);
  s.doc = std::move(doc);
  return s;
}

std::string DescribeDomain(const ParamSpec& s) {
  switch (s.kind) {
    case ParamKind::kInteger:
      return "an integer from " + Plain(s.min) + " to " + Plain(s.max);
    case ParamKind::kNumber:
      return std::string("a number ") + (s.min_open ? "above " : "from ") + Plain(s.min) +
             (s.max_open ? " and below " : " up to ") + Plain(s.max);
    case ParamKind::kBoolean:
      return "true or false";
    case ParamKind::kChoice: {
      std::string text = "one of ";
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        text += (i == 0 ? "" : ", ") + s.choices[i];
      }
      return text;
    }
  }
  return "";
}

ParamSchema::ParamSchema(std::string owner, std::vector<ParamSpec> specs, Rule rule)
    : owner_(std::move(owner)), specs_(std::move(specs)), rule_(rule) {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      WYCKOFF_CHECK(specs_[i].name != specs_[j].name, "a parameter named twice in a schema");
    }
    WYCKOFF_CHECK(specs_[i].kind == ParamKind::kChoice || specs_[i].kind == ParamKind::kBoolean ||
                      InDomain(specs_[i], specs_[i].default_value),
                  "a parameter's default lies outside its domain");
  }
}

std::optional<std::size_t> ParamSchema::Find(std::string_view name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].name == name) return i;
  }
  return std::nullopt;
}

Result<std::size_t> ParamSchema::Require(std::string_view name) const {
  if (auto i = Find(name)) return *i;
  std::string message = "unknown parameter " + Quoted(name) + " for strategy " + owner_;
  if (specs_.size() <= 8) {
    std::string known;
    for (const ParamSpec& s : specs_) known += (known.empty() ? "" : ", ") + s.name;
    return Fail(ErrorCode::kInvalidArgument, message + " (known: " + known + ")");
  }
  const ParamSpec* closest = &specs_.front();
  for (const ParamSpec& s : specs_) {
    if (EditDistance(name, s.name) < EditDistance(name, closest->name)) closest = &s;
  }
  return Fail(ErrorCode::kInvalidArgument, message + " (did you mean " + closest->name + "? " +
                                               std::to_string(specs_.size()) +
                                               " parameters are known)");
}

Result<double> ParamSchema::Parse(std::size_t index, std::string_view text) const {
  const ParamSpec& s = specs_[index];
  switch (s.kind) {
    case ParamKind::kInteger: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      const auto d = static_cast<double>(v);
      if (ec != std::errc() || end != text.data() + text.size() || !InDomain(s, d)) {
        return Refuse(s, text);
      }
      return d;
    }
    case ParamKind::kNumber: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) ||
          !InDomain(s, v)) {
        return Refuse(s, text);
      }
      return v;
    }
    case ParamKind::kBoolean:
      if (text == "true" || text == "1" || text == "on" || text == "yes") return 1.0;
      if (text == "false" || text == "0" || text == "off" || text == "no") return 0.0;
      return Refuse(s, text);
    case ParamKind::kChoice:
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        if (s.choices[i] == text) return static_cast<double>(i);
      }
      return Refuse(s, text);
  }
  return Refuse(s, text);
}

std::string ParamSchema::Format(std::size_t index, double value) const {
  const ParamSpec& s = specs_[index];
  switch (s.kind) {
    case ParamKind::kInteger:
      return std::to_string(static_cast<std::int64_t>(value));
    case ParamKind::kNumber:
      return Shortest(value);
    case ParamKind::kBoolean:
      return value != 0 ? "true" : "false";
    case ParamKind::kChoice:
      return s.choices[static_cast<std::size_t>(value)];
  }
  return "";
}

ParamValues ParamSchema::Defaults() const { return ParamValues(*this); }

Result<void> ParamSchema::Check(const ParamValues& values) const {
  WYCKOFF_CHECK(&values.schema() == this, "values of another schema");
  return rule_ != nullptr ? rule_(values) : Result<void>{};
}

ParamValues::ParamValues(const ParamSchema& schema) : schema_(&schema) {
  values_.reserve(schema.size());
  for (const ParamSpec& s : schema.specs()) values_.push_back(s.default_value);
}

Result<void> ParamValues::Set(std::string_view name, std::string_view text) {
  Result<std::size_t> index = schema_->Require(name);
  if (!index) return tl::unexpected(index.error());
  Result<double> value = schema_->Parse(*index, text);
  if (!value) return tl::unexpected(value.error());
  values_[*index] = *value;
  return {};
}

std::vector<std::pair<std::string, std::string>> ParamValues::List() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    out.emplace_back(schema_->specs()[i].name, schema_->Format(i, values_[i]));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SplitSettings(
    std::span<const std::string> settings) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& setting : settings) {
    const auto eq = setting.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "parameter setting " + Quoted(setting) + " is not of the form name=value");
    }
    out.emplace_back(setting.substr(0, eq), setting.substr(eq + 1));
  }
  return out;
}

Result<void> ApplySettings(ParamValues& values, std::span<const std::string> settings) {
  auto pairs = SplitSettings(settings);
  if (!pairs) return tl::unexpected(pairs.error());
  for (const auto& [name, text] : *pairs) {
    if (auto ok = values.Set(name, text); !ok) return ok;
  }
  return {};
}

std::string ParamTableMarkdown(const ParamSchema& schema) {
  std::string out;
  std::string group = "\x01";  // no group yet
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const ParamSpec& s = schema.specs()[i];
    if (s.group != group) {
      group = s.group;
      if (!out.empty()) out += "\n";
      if (!group.empty()) out += "#### " + group + "\n\n";
      out += "| parameter | values | default | meaning |\n| --- | --- | --- | --- |\n";
    }
    out += "| `" + s.name + "` | " + DescribeDomain(s) + " | `" +
           schema.Format(i, s.default_value) + "` | " + s.doc + " |\n";
  }
  return out;
}

}  // namespace wyckoff
