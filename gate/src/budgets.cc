#include "wyckoff/gate/budgets.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <set>
#include <span>
#include <string_view>
#include <utility>

#include "format.h"
#include "results.h"

namespace wyckoff::gate {
namespace {

using internal::BenchmarkSamples;
using internal::SuiteResults;
using nlohmann::json;

constexpr std::string_view kBudgetFields[] = {
    "benchmark", "pattern", "metric",           "better", "per",
    "floor",     "target",  "regression_floor", "needs",  "requirement"};
constexpr std::string_view kTopLevelFields[] = {"description", "regression", "budgets"};
constexpr std::string_view kRegressionFields[] = {"runner_class", "margin"};

tl::unexpected<Error> Invalid(const std::string& where, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, where + ": " + what);
}

Result<void> CheckFields(const json& object, std::span<const std::string_view> allowed,
                         const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Invalid(where, "unknown field \"" + key + "\"");
    }
  }
  return {};
}

// The optional string field `key`; an error when present but not a non-empty string.
Result<std::string> StringField(const json& entry, const char* key, const std::string& where) {
  auto it = entry.find(key);
  if (it == entry.end()) return std::string();
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Invalid(where, std::string("\"") + key + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

Result<void> ParseName(const json& entry, const std::string& where, Budget& budget) {
  Result<std::string> name = StringField(entry, "benchmark", where);
  if (!name) return tl::unexpected(name.error());
  Result<std::string> pattern = StringField(entry, "pattern", where);
  if (!pattern) return tl::unexpected(pattern.error());
  if (name->empty() == pattern->empty()) {
    return Invalid(where, "give exactly one of \"benchmark\" and \"pattern\"");
  }
  if (!pattern->empty()) {
    try {
      std::regex compiled(*pattern);
    } catch (const std::regex_error& e) {
      return Invalid(where, "pattern \"" + *pattern + "\" is not a valid regular expression (" +
                                e.what() + ")");
    }
  }
  budget.benchmark = *name;
  budget.pattern = *pattern;
  return {};
}

Result<void> ParseMetric(const json& entry, const std::string& where, Budget& budget) {
  Result<std::string> metric = StringField(entry, "metric", where);
  if (!metric) return tl::unexpected(metric.error());
  if (!metric->empty()) budget.metric = *metric;
  Result<std::string> better = StringField(entry, "better", where);
  if (!better) return tl::unexpected(better.error());
  if (!better->empty() && *better != "higher" && *better != "lower") {
    return Invalid(where, "\"better\" is \"" + *better + "\", not \"higher\" or \"lower\"");
  }
  if (budget.IsTime()) {
    if (*better == "higher") return Invalid(where, "times are lower-is-better: remove \"better\"");
    budget.higher_is_better = false;
  } else if (!better->empty()) {
    budget.higher_is_better = *better == "higher";
  } else if (internal::IsRateCounter(budget.metric)) {
    budget.higher_is_better = true;
  } else {
    return Invalid(where, "counter \"" + budget.metric +
                              "\" does not end in per_second: say \"better\": \"higher\" or "
                              "\"lower\"");
  }
  return {};
}

Result<void> ParsePer(const json& entry, const std::string& where, Budget& budget) {
  auto per = entry.find("per");
  if (per == entry.end()) return {};
  if (!budget.IsTime()) return Invalid(where, "\"per\" applies to real_time and cpu_time only");
  if (per->is_string() && !per->get<std::string>().empty()) {
    budget.per_counter = per->get<std::string>();
  } else if (per->is_number() && per->get<double>() > 0) {
    budget.per = per->get<double>();
  } else {
    return Invalid(where,
                   "\"per\" must be a positive number or a counter name, not " + per->dump());
  }
  return {};
}

// A floor or target: a duration text for times ("50 ms", in nanoseconds), a number otherwise.
Result<std::optional<double>> ParseBound(const json& entry, const char* key,
                                         const std::string& where, const Budget& budget) {
  auto it = entry.find(key);
  if (it == entry.end()) return std::optional<double>();
  if (budget.IsTime()) {
    std::optional<double> nanos =
        it->is_string() ? ParseDuration(it->get<std::string>()) : std::nullopt;
    if (!nanos) {
      return Invalid(where, std::string("\"") + key + "\" is " + it->dump() +
                                ", not a duration such as \"50 ms\" (ns, us, ms, s, min)");
    }
    return nanos;
  }
  if (!it->is_number()) {
    return Invalid(where, std::string("\"") + key + "\" of counter \"" + budget.metric +
                              "\" must be a number, not " + it->dump());
  }
  return std::optional<double>(it->get<double>());
}

// The floor, regression floor and target.
Result<void> ParseLevels(const json& entry, const std::string& where, Budget& budget) {
  Result<std::optional<double>> floor = ParseBound(entry, "floor", where, budget);
  if (!floor) return tl::unexpected(floor.error());
  Result<std::optional<double>> target = ParseBound(entry, "target", where, budget);
  if (!target) return tl::unexpected(target.error());
  Result<std::optional<double>> regression = ParseBound(entry, "regression_floor", where, budget);
  if (!regression) return tl::unexpected(regression.error());
  if (!*floor && !*target) return Invalid(where, "give a \"floor\", a \"target\" or both");
  if (*regression && !budget.pattern.empty()) {
    return Invalid(where, "a pattern has no \"regression_floor\": give each benchmark its own");
  }
  budget.floor = *floor;
  budget.target = *target;
  budget.regression_floor = *regression;
  return {};
}

Result<void> ParseNeeds(const json& entry, const std::string& where, Budget& budget) {
  Result<std::string> needs = StringField(entry, "needs", where);
  if (!needs) return tl::unexpected(needs.error());
  if (!needs->empty() && *needs != "database") {
    return Invalid(where, "\"needs\" is \"" + *needs + "\", not \"database\"");
  }
  budget.needs_database = !needs->empty();
  return {};
}

Result<Budget> ParseBudget(const json& entry, const std::string& where) {
  if (!entry.is_object()) return Invalid(where, "is not an object");
  Budget budget;
  if (Result<void> r = CheckFields(entry, kBudgetFields, where); !r)
    return tl::unexpected(r.error());
  if (Result<void> r = ParseName(entry, where, budget); !r) return tl::unexpected(r.error());
  if (Result<void> r = ParseMetric(entry, where, budget); !r) return tl::unexpected(r.error());
  if (Result<void> r = ParsePer(entry, where, budget); !r) return tl::unexpected(r.error());
  if (Result<void> r = ParseLevels(entry, where, budget); !r) return tl::unexpected(r.error());
  if (Result<void> r = ParseNeeds(entry, where, budget); !r) return tl::unexpected(r.error());
  Result<std::string> requirement = StringField(entry, "requirement", where);
  if (!requirement) return tl::unexpected(requirement.error());
  budget.requirement = *requirement;
  return budget;
}

// The top-level "regression" object, when present.
Result<RegressionSettings> ParseRegression(const json& doc, const std::string& source) {
  RegressionSettings settings;
  auto it = doc.find("regression");
  if (it == doc.end()) return settings;
  const std::string where = source + ": regression";
  if (!it->is_object()) return Invalid(where, "is not an object");
  if (Result<void> r = CheckFields(*it, kRegressionFields, where); !r) {
    return tl::unexpected(r.error());
  }
  Result<std::string> runner = StringField(*it, "runner_class", where);
  if (!runner) return tl::unexpected(runner.error());
  settings.runner_class = *runner;
  if (auto margin = it->find("margin"); margin != it->end()) {
    if (!margin->is_number() || margin->get<double>() < 0 || margin->get<double>() >= 1) {
      return Invalid(where, "\"margin\" must be a number in [0, 1), not " + margin->dump());
    }
    settings.margin = margin->get<double>();
  }
  return settings;
}

// ---- Applying budgets -----------------------------------------------------------------------

std::string MetricLabel(const Budget& budget) {
  if (!budget.per_counter.empty()) return budget.metric + " / " + budget.per_counter;
  if (budget.IsTime() && budget.per != 1) {
    return budget.metric + " / " + internal::FormatNumber(budget.per);
  }
  return budget.metric;
}

// The median of the budget's metric, per item for times; nullopt with `note` saying why not.
std::optional<double> Measure(const Budget& budget, const BenchmarkSamples& samples,
                              std::string& note) {
  if (samples.real_time_ns.empty() && samples.error_count > 0) {
    note = "skipped: " + samples.error_message;
    return std::nullopt;
  }
  if (!budget.IsTime()) {
    auto counter = samples.counters.find(budget.metric);
    if (counter == samples.counters.end()) {
      note = "no counter \"" + budget.metric + "\" in the results";
      return std::nullopt;
    }
    return internal::Median(counter->second);
  }
  const auto& times = budget.metric == "real_time" ? samples.real_time_ns : samples.cpu_time_ns;
  if (times.empty()) {
    note = "no " + budget.metric + " in the results";
    return std::nullopt;
  }
  double per = budget.per;
  if (!budget.per_counter.empty()) {
    auto counter = samples.counters.find(budget.per_counter);
    per = counter == samples.counters.end() ? 0 : internal::Median(counter->second);
    if (!(per > 0)) {
      note = "no positive counter \"" + budget.per_counter + "\" to divide by";
      return std::nullopt;
    }
  }
  return internal::Median(times) / per;
}

// The verdict of a measured row; `enforce_regression` when its regression floor counts.
BudgetVerdict Judge(const BudgetRow& row, bool enforce_regression) {
  const double measured = *row.measured;
  auto meets = [&](double bound) {
    return row.higher_is_better ? measured >= bound : measured <= bound;
  };
  if (row.floor && !meets(*row.floor)) return BudgetVerdict::kMissesFloor;
  if (enforce_regression && row.regression_floor && !meets(*row.regression_floor)) {
    return BudgetVerdict::kMissesRegressionFloor;
  }
  if (row.target && meets(*row.target)) return BudgetVerdict::kMeetsTarget;
  if (row.target && !row.floor) return BudgetVerdict::kMissesTarget;
  return BudgetVerdict::kMeetsFloor;
}

// A row of budget `index` for benchmark `name`, measured and judged; NOT RUN (or NO DATABASE)
// with the reason when it has no measurement.
BudgetRow ApplyBudget(const BudgetFile& file, std::size_t index, const std::string& name,
                      const SuiteResults& results, const BudgetReport& report) {
  const Budget& budget = file.budgets[index];
  BudgetRow row;
  row.benchmark = name;
  row.metric = MetricLabel(budget);
  row.is_time = budget.IsTime();
  row.higher_is_better = budget.higher_is_better;
  row.floor = budget.floor;
  row.regression_floor = budget.regression_floor;
  row.target = budget.target;
  row.budget = index;
  row.from_pattern = !budget.pattern.empty();
  auto samples = results.by_name.find(name);
  if (samples == results.by_name.end()) {
    row.note = row.from_pattern ? "no benchmark matches the pattern" : "not in the results";
  } else {
    row.measured = Measure(budget, samples->second, row.note);
  }
  if (row.measured) {
    row.verdict = Judge(row, report.regression_enforced);
  } else if (budget.needs_database && !report.database_configured) {
    row.verdict = BudgetVerdict::kNoDatabase;
    row.note = "no database configured";
  }
  return row;
}

void ApplyPattern(const BudgetFile& file, std::size_t index, const SuiteResults& results,
                  BudgetReport& report, std::set<std::string>& covered) {
  const std::regex pattern(file.budgets[index].pattern);
  bool matched = false;
  for (const std::string& name : results.names) {
    if (!std::regex_match(name, pattern)) continue;
    report.rows.push_back(ApplyBudget(file, index, name, results, report));
    covered.insert(name);
    matched = true;
  }
  if (!matched) {
    report.rows.push_back(
        ApplyBudget(file, index, file.budgets[index].pattern, SuiteResults{}, report));
  }
}

// Leaves out the rows whose benchmark `filter` (Google Benchmark's --benchmark_filter syntax)
// does not select.
Result<void> ApplyFilter(const std::string& filter, BudgetReport& report) {
  if (filter.empty()) return {};
  const bool negative = filter.front() == '-';
  std::regex regex;
  try {
    regex = std::regex(negative ? filter.substr(1) : filter);
  } catch (const std::regex_error& e) {
    return Fail(ErrorCode::kInvalidArgument,
                "filter \"" + filter + "\" is not a valid regular expression (" + e.what() + ")");
  }
  const std::size_t before = report.rows.size();
  std::erase_if(report.rows, [&](const BudgetRow& row) {
    return std::regex_search(row.benchmark, regex) == negative;
  });
  report.unselected = before - report.rows.size();
  report.filter = filter;
  return {};
}

}  // namespace

const char* BudgetVerdictName(BudgetVerdict verdict) {
  switch (verdict) {
    case BudgetVerdict::kMissesFloor:
      return "MISSES FLOOR";
    case BudgetVerdict::kMissesRegressionFloor:
      return "MISSES REGRESSION FLOOR";
    case BudgetVerdict::kNotRun:
      return "NOT RUN";
    case BudgetVerdict::kMeetsTarget:
      return "MEETS TARGET";
    case BudgetVerdict::kMeetsFloor:
      return "MEETS FLOOR";
    case BudgetVerdict::kMissesTarget:
      return "MISSES TARGET";
    case BudgetVerdict::kNoDatabase:
      return "NO DATABASE";
  }
  return "NOT RUN";
}

bool IsFailure(BudgetVerdict verdict) {
  return verdict == BudgetVerdict::kMissesFloor ||
         verdict == BudgetVerdict::kMissesRegressionFloor || verdict == BudgetVerdict::kNotRun;
}

std::optional<double> ParseDuration(std::string_view text) {
  const std::string copy(text);
  const char* begin = copy.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  if (end == begin || errno != 0 || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const double scale = internal::NanosPerUnit(unit);
  if (scale == 0) return std::nullopt;
  return value * scale;
}

Result<BudgetFile> ParseBudgets(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e400
    return Fail(ErrorCode::kParse,
                source + ": not valid JSON (" + internal::JsonParseErrorDetail(e.what()) + ")");
  }
  if (!doc.is_object()) return Invalid(source, "expected an object with a \"budgets\" array");
  if (Result<void> fields = CheckFields(doc, kTopLevelFields, source); !fields) {
    return tl::unexpected(fields.error());
  }
  auto entries = doc.find("budgets");
  if (entries == doc.end() || !entries->is_array()) {
    return Invalid(source, "no \"budgets\" array");
  }
  BudgetFile file;
  Result<RegressionSettings> regression = ParseRegression(doc, source);
  if (!regression) return tl::unexpected(regression.error());
  file.regression = *regression;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    Result<Budget> budget =
        ParseBudget((*entries)[i], source + ": budgets[" + std::to_string(i) + "]");
    if (!budget) return tl::unexpected(budget.error());
    file.budgets.push_back(std::move(*budget));
  }
  return file;
}

Result<BudgetFile> ReadBudgetsFile(const std::string& path) {
  Result<std::string> text = internal::ReadTextFile(path);
  if (!text) return tl::unexpected(text.error());
  return ParseBudgets(*text, path);
}

Result<BudgetReport> CheckBudgetFiles(const std::vector<std::string>& results_files,
                                      const BudgetFile& budgets,
                                      const BudgetCheckOptions& options) {
  if (results_files.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no benchmark result files given");
  }
  Result<SuiteResults> results =
      internal::ReadResultsFiles(results_files, internal::RowPolicy::kMedianAggregateFallback);
  if (!results) return tl::unexpected(results.error());
  BudgetReport report;
  report.regression = budgets.regression;
  report.runner_class = options.runner_class;
  report.regression_enforced =
      !options.runner_class.empty() && options.runner_class == budgets.regression.runner_class;
  report.database_configured = options.database_configured;
  std::set<std::string> covered;
  for (std::size_t i = 0; i < budgets.budgets.size(); ++i) {
    const Budget& budget = budgets.budgets[i];
    if (!budget.pattern.empty()) {
      ApplyPattern(budgets, i, *results, report, covered);
    } else {
      report.rows.push_back(ApplyBudget(budgets, i, budget.benchmark, *results, report));
      covered.insert(budget.benchmark);
    }
  }
  for (const std::string& name : results->names) {
    if (!covered.contains(name)) report.unbudgeted.push_back(name);
  }
  if (Result<void> filtered = ApplyFilter(options.filter, report); !filtered) {
    return tl::unexpected(filtered.error());
  }
  return report;
}

bool MissesAnyFloor(const BudgetReport& report) {
  return std::any_of(report.rows.begin(), report.rows.end(), [](const BudgetRow& row) {
    return row.verdict == BudgetVerdict::kMissesFloor;
  });
}

bool HasFailure(const BudgetReport& report) {
  return std::any_of(report.rows.begin(), report.rows.end(),
                     [](const BudgetRow& row) { return IsFailure(row.verdict); });
}

int RunBudgetCommand(const BudgetCommand& command, std::ostream& out, std::ostream& err) {
  Result<BudgetFile> budgets = ReadBudgetsFile(command.budgets_path);
  if (!budgets) {
    err << "wyckoff bench budgets: " << budgets.error().message << "\n";
    return 2;
  }
  Result<BudgetReport> report = CheckBudgetFiles(command.results_files, *budgets, command.options);
  if (!report) {
    err << "wyckoff bench budgets: " << report.error().message << "\n";
    return 2;
  }
  out << ToText(*report);
  if (!command.markdown_path.empty()) {
    if (Result<void> written = internal::WriteTextFile(command.markdown_path, ToMarkdown(*report));
        !written) {
      err << "wyckoff bench budgets: " << written.error().message << "\n";
      return 2;
    }
  }
  return HasFailure(*report) ? 1 : 0;
}

}  // namespace wyckoff::gate
