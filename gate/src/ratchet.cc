#include "wyckoff/gate/ratchet.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>

#include "format.h"
#include "results.h"

namespace wyckoff::gate {
namespace {

using nlohmann::ordered_json;

// `value` rounded to 3 significant digits, up or down.
double RoundSignificant(double value, bool up) {
  if (!(value > 0) || !std::isfinite(value)) return value;
  const double scale = std::pow(10.0, std::floor(std::log10(value)) - 2);
  const double digits = value / scale;  // in [100, 1000)
  return (up ? std::ceil(digits - 1e-9) : std::floor(digits + 1e-9)) * scale;
}

// True when level `a` asks for more than level `b` (beyond rounding noise).
bool Tighter(double a, double b, bool higher_is_better) {
  constexpr double kNoise = 1e-12;
  return higher_is_better ? a > b * (1 + kNoise) : a < b * (1 - kNoise);
}

// Sets row.after from the measurement (see the overview's rule).
void RatchetRowFromMeasurement(const Budget& budget, double margin, RatchetRow& row) {
  const double measured = *row.measured;
  const bool higher = row.higher_is_better;
  double candidate = RoundSignificant(measured * (higher ? 1 - margin : 1 + margin), !higher);
  if (budget.target && Tighter(candidate, *budget.target, higher)) {
    candidate = *budget.target;
    row.capped_at_target = true;
  }
  if (budget.floor && !Tighter(candidate, *budget.floor, higher)) return;
  if (!row.before || Tighter(candidate, *row.before, higher)) row.after = candidate;
}

// ---- Writing the file -----------------------------------------------------------------------

// A JSON number as budgets.json writes it: whole numbers from 10,000 on in engineering
// notation ("30e6", "16.9e6", "1e9"), others as the shortest text that reads back the same.
std::string FormatJsonNumber(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (value == std::floor(value) && magnitude >= 1e4 && magnitude < 1e21) {
    const int exponent = 3 * static_cast<int>(std::floor(std::log10(magnitude) / 3));
    std::snprintf(buffer, sizeof buffer, "%.15ge%d", value / std::pow(10.0, exponent), exponent);
    if (std::strtod(buffer, nullptr) == value) return buffer;
  }
  for (int digits : {15, 16, 17}) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

// `value` as text with nlohmann's two-space layout, numbers through FormatJsonNumber.
std::string Serialize(const ordered_json& value, int indent) {
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  const std::string outer(static_cast<std::size_t>(indent), ' ');
  if (value.is_object() || value.is_array()) {
    if (value.empty()) return value.is_object() ? "{}" : "[]";
    std::string out = value.is_object() ? "{\n" : "[\n";
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      out += (first ? "" : ",\n") + inner;
      if (value.is_object()) out += ordered_json(it.key()).dump() + ": ";
      out += Serialize(it.value(), indent + 2);
      first = false;
    }
    return out + "\n" + outer + (value.is_object() ? "}" : "]");
  }
  if (value.is_number_float()) return FormatJsonNumber(value.get<double>());
  return value.dump();
}

// Sets `key` of `object` to `value`; a new key goes just before `before` (or last without it).
void SetBefore(ordered_json& object, const std::string& key, ordered_json value,
               const std::string& before) {
  if (object.contains(key) || !object.contains(before)) {
    object[key] = std::move(value);
    return;
  }
  ordered_json rebuilt = ordered_json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key() == before) rebuilt[key] = value;
    rebuilt[it.key()] = it.value();
  }
  object = std::move(rebuilt);
}

// The regression floor as the budget writes its levels: a duration text for times.
ordered_json LevelValue(const RatchetRow& row, double level) {
  if (row.is_time) return internal::FormatDuration(level);
  return level;
}

tl::unexpected<Error> Invalid(const std::string& where, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, where + ": " + what);
}

}  // namespace

RatchetPlan PlanRatchet(const BudgetFile& file, const BudgetReport& report,
                        const RegressionSettings& regression) {
  RatchetPlan plan;
  plan.regression = regression;
  plan.settings_changed = file.regression.runner_class != regression.runner_class ||
                          file.regression.margin != regression.margin;
  for (const BudgetRow& row : report.rows) {
    if (row.from_pattern) continue;
    const Budget& budget = file.budgets[row.budget];
    RatchetRow ratchet;
    ratchet.budget = row.budget;
    ratchet.benchmark = row.benchmark;
    ratchet.metric = row.metric;
    ratchet.is_time = row.is_time;
    ratchet.higher_is_better = row.higher_is_better;
    ratchet.measured = row.measured;
    ratchet.before = ratchet.after = budget.regression_floor;
    if (ratchet.measured) RatchetRowFromMeasurement(budget, regression.margin, ratchet);
    plan.rows.push_back(std::move(ratchet));
  }
  return plan;
}

Result<std::string> ApplyRatchet(const std::string& text, const std::string& source,
                                 const RatchetPlan& plan) {
  ordered_json doc;
  try {
    doc = ordered_json::parse(text);
  } catch (const ordered_json::exception& e) {  // parse_error, and out_of_range for 1e400
    return Fail(ErrorCode::kParse,
                source + ": not valid JSON (" + internal::JsonParseErrorDetail(e.what()) + ")");
  }
  if (!doc.is_object() || !doc.contains("budgets") || !doc["budgets"].is_array()) {
    return Invalid(source, "no \"budgets\" array");
  }
  ordered_json& budgets = doc["budgets"];
  for (const RatchetRow& row : plan.rows) {
    if (!row.Changed()) continue;
    if (row.budget >= budgets.size() || !budgets[row.budget].is_object()) {
      return Invalid(source, "budgets[" + std::to_string(row.budget) + "] is missing");
    }
    SetBefore(budgets[row.budget], "regression_floor", LevelValue(row, *row.after), "target");
  }
  ordered_json regression = ordered_json::object();
  regression["runner_class"] = plan.regression.runner_class;
  regression["margin"] = plan.regression.margin;
  SetBefore(doc, "regression", std::move(regression), "budgets");
  return Serialize(doc, 0) + "\n";
}

int RunRatchetCommand(const RatchetCommand& command, std::ostream& out, std::ostream& err) {
  auto fail = [&err](const std::string& message) {
    err << "wyckoff bench ratchet: " << message << "\n";
    return 2;
  };
  if (command.runner_class.empty()) {
    return fail("give --runner-class, the class of machine the results come from");
  }
  Result<std::string> text = internal::ReadTextFile(command.budgets_path);
  if (!text) return fail(text.error().message);
  Result<BudgetFile> file = ParseBudgets(*text, command.budgets_path);
  if (!file) return fail(file.error().message);
  const std::string& recorded = file->regression.runner_class;
  if (!recorded.empty() && recorded != command.runner_class) {
    return fail(command.budgets_path + ": its regression floors were measured on runner class \"" +
                recorded + "\", not \"" + command.runner_class + "\"");
  }
  const RegressionSettings settings{command.runner_class,
                                    command.margin.value_or(file->regression.margin)};
  if (!(settings.margin >= 0 && settings.margin < 1)) {
    return fail("--margin " + internal::FormatNumber(settings.margin) + " is not in [0, 1)");
  }
  Result<BudgetReport> report =
      CheckBudgetFiles(command.results_files, *file, {.runner_class = command.runner_class});
  if (!report) return fail(report.error().message);

  const RatchetPlan plan = PlanRatchet(*file, *report, settings);
  bool changed = plan.settings_changed;
  for (const RatchetRow& row : plan.rows) changed = changed || row.Changed();
  std::string written = command.budgets_path + " not changed";
  if (changed) {
    Result<std::string> updated = ApplyRatchet(*text, command.budgets_path, plan);
    if (!updated) return fail(updated.error().message);
    Result<void> saved = internal::WriteTextFile(command.budgets_path, *updated);
    if (!saved) return fail(saved.error().message);
    written = "wrote " + command.budgets_path;
  }
  out << ToText(plan, written);
  return 0;
}

}  // namespace wyckoff::gate
