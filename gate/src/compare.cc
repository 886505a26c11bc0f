#include "wyckoff/gate/compare.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>
#include <tuple>
#include <utility>

#include "format.h"
#include "results.h"

namespace wyckoff::gate {
namespace {

using internal::BenchmarkSamples;
using internal::SuiteResults;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- Comparing one metric -------------------------------------------------------------------

// Head against base as a cost (> 1 worse); NaN when a median is not a positive number.
double CostRatio(double base, double head, bool higher_is_better) {
  if (base == head) return 1.0;
  if (!(base > 0) || !(head > 0) || !std::isfinite(base) || !std::isfinite(head)) return kNaN;
  return higher_is_better ? base / head : head / base;
}

// True when `change` is above `threshold` by more than rounding: 1100 against 1000 is +10%,
// not above 10%, although 1100.0 / 1000.0 - 1 is 0.10000000000000009.
bool Above(double change, double threshold) { return change > threshold + 1e-12; }

Verdict Decide(const MetricComparison& row, const CompareOptions& options) {
  if (Above(row.change, options.fail_change) && row.p_worse < options.fail_p) return Verdict::kFail;
  if (Above(row.change, options.warn_change) && row.p_worse < options.warn_p) return Verdict::kWarn;
  if (Above(-row.change, options.improve_change) && row.p_better < options.improve_p) {
    return Verdict::kImproved;
  }
  return Verdict::kOk;
}

// One metric's samples on both sides (without the repetition counts, which the caller adds).
MetricComparison CompareMetric(const std::string& benchmark, const std::string& metric,
                               const std::vector<double>& base, const std::vector<double>& head,
                               const CompareOptions& options) {
  MetricComparison row;
  row.benchmark = benchmark;
  row.metric = metric;
  row.higher_is_better = metric != "real_time";
  row.base_samples = base.size();
  row.head_samples = head.size();
  row.base_median = internal::Median(base);
  row.head_median = internal::Median(head);
  row.ratio = CostRatio(row.base_median, row.head_median, row.higher_is_better);
  row.change = row.ratio - 1;
  const UTestResult test = MannWhitneyU(head, base, options.exact_max_per_side);
  row.p_worse = row.higher_is_better ? test.p_less : test.p_greater;
  row.p_better = row.higher_is_better ? test.p_greater : test.p_less;
  row.exact_p = test.exact;
  row.verdict = Decide(row, options);
  return row;
}

void CompareBenchmark(const std::string& name, const BenchmarkSamples& base,
                      const BenchmarkSamples& head, Comparison& out) {
  if (base.real_time_ns.empty() || head.real_time_ns.empty()) {
    const std::string& reason = base.real_time_ns.empty() ? base.error_message : head.error_message;
    out.skipped.push_back({name, reason.empty() ? "no samples" : reason});
    return;
  }
  auto add = [&](const std::string& metric, const std::vector<double>& base_values,
                 const std::vector<double>& head_values) {
    MetricComparison row = CompareMetric(name, metric, base_values, head_values, out.options);
    row.base_repetitions = base.repetitions;
    row.head_repetitions = head.repetitions;
    out.rows.push_back(std::move(row));
  };
  add("real_time", base.real_time_ns, head.real_time_ns);
  if (!out.options.compare_rate_counters) return;
  for (const auto& [counter, base_values] : base.counters) {
    auto head_values = head.counters.find(counter);
    if (!internal::IsRateCounter(counter) || head_values == head.counters.end()) continue;
    add(counter, base_values, head_values->second);
  }
}

// ---- Counted metrics ------------------------------------------------------------------------

Verdict DecideCounted(double change, const CompareOptions& options) {
  if (Above(change, options.fail_change)) return Verdict::kFail;
  if (Above(change, options.warn_change)) return Verdict::kWarn;
  if (Above(-change, options.improve_change)) return Verdict::kImproved;
  return Verdict::kOk;
}

MetricComparison CountedRow(const std::string& benchmark, const std::string& metric, double base,
                            double head, const CompareOptions& options) {
  MetricComparison row;
  row.benchmark = benchmark;
  row.metric = metric;
  row.counted = true;
  row.base_samples = row.head_samples = 1;
  row.base_repetitions = row.head_repetitions = 1;
  row.base_median = base;
  row.head_median = head;
  row.ratio = CostRatio(base, head, false);
  row.change = row.ratio - 1;
  row.p_worse = row.p_better = kNaN;
  row.verdict = DecideCounted(row.change, options);
  return row;
}

// ---- Ordering and summary -------------------------------------------------------------------

// Report order: confirmed failures, unconfirmed failures, warnings, improvements, the rest.
int SortRank(const Comparison& comparison, const MetricComparison& row) {
  switch (row.verdict) {
    case Verdict::kFail:
      return IsConfirmedFailure(comparison, row) ? 0 : 1;
    case Verdict::kWarn:
      return 2;
    case Verdict::kImproved:
      return 3;
    case Verdict::kOk:
      return 4;
  }
  return 4;
}

void SortRows(Comparison& comparison) {
  auto key = [&](const MetricComparison& row) {
    // Worst change first (best first for improvements); NaN changes last.
    double change = std::isnan(row.change) ? -std::numeric_limits<double>::infinity() : row.change;
    if (row.verdict == Verdict::kImproved) change = -change;
    return std::make_tuple(SortRank(comparison, row), -change, row.DisplayName());
  };
  std::stable_sort(
      comparison.rows.begin(), comparison.rows.end(),
      [&](const MetricComparison& a, const MetricComparison& b) { return key(a) < key(b); });
}

// One cost ratio per benchmark: its time's; when that is not finite (or the benchmark was only
// counted) its estimated cycles'; else the rate with the first name (in name order) that is. A
// benchmark's rates are its work over its time, so counting them beside the time would weigh
// that benchmark twice.
std::map<std::string, double> RatioPerBenchmark(const std::vector<MetricComparison>& rows) {
  auto preference = [](const std::string& metric) {
    return std::make_pair(metric == "real_time" ? 0 : metric == "estimated_cycles" ? 1 : 2, metric);
  };
  std::map<std::string, std::pair<std::string, double>> chosen;  // benchmark -> (metric, ratio)
  for (const MetricComparison& row : rows) {
    if (!std::isfinite(row.ratio) || !(row.ratio > 0)) continue;
    auto [it, inserted] = chosen.try_emplace(row.benchmark, row.metric, row.ratio);
    if (!inserted && preference(row.metric) < preference(it->second.first)) {
      it->second = {row.metric, row.ratio};
    }
  }
  std::map<std::string, double> ratios;
  for (const auto& [benchmark, metric_ratio] : chosen) ratios[benchmark] = metric_ratio.second;
  return ratios;
}

void ComputeGeomean(Comparison& comparison) {
  double log_sum = 0;
  const std::map<std::string, double> ratios = RatioPerBenchmark(comparison.rows);
  for (const auto& [benchmark, ratio] : ratios) log_sum += std::log(ratio);
  comparison.geomean_count = ratios.size();
  comparison.geomean_ratio =
      ratios.empty() ? 1.0 : std::exp(log_sum / static_cast<double>(ratios.size()));
}

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& path : paths) out += (out.empty() ? "" : ", ") + path;
  return out;
}

// One side's files: per-process medians, or every repetition pooled.
Result<SuiteResults> ReadSide(const std::vector<std::string>& paths, SampleUnit unit) {
  return unit == SampleUnit::kProcess
             ? internal::ReadProcessMedians(paths, internal::RowPolicy::kIterationsOnly)
             : internal::ReadResultsFiles(paths, internal::RowPolicy::kIterationsOnly);
}

Comparison CompareResults(const SuiteResults& base, const SuiteResults& head,
                          const CompareOptions& options) {
  Comparison comparison;
  comparison.options = options;
  for (const std::string& name : base.names) {
    auto in_head = head.by_name.find(name);
    if (in_head == head.by_name.end()) {
      comparison.only_in_base.push_back(name);
    } else {
      CompareBenchmark(name, base.by_name.at(name), in_head->second, comparison);
    }
  }
  for (const std::string& name : head.names) {
    if (!base.by_name.contains(name)) comparison.only_in_head.push_back(name);
  }
  SortRows(comparison);
  ComputeGeomean(comparison);
  return comparison;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kImproved:
      return "IMPROVED";
    case Verdict::kOk:
      return "OK";
  }
  return "OK";
}

std::string MetricComparison::DisplayName() const {
  return metric == "real_time" ? benchmark : benchmark + " (" + metric + ")";
}

Result<Comparison> CompareFiles(const std::vector<std::string>& base,
                                const std::vector<std::string>& head,
                                const CompareOptions& options) {
  if (base.empty()) return Fail(ErrorCode::kInvalidArgument, "no base result files given");
  if (head.empty()) return Fail(ErrorCode::kInvalidArgument, "no head result files given");
  Result<SuiteResults> base_results = ReadSide(base, options.unit);
  if (!base_results) return tl::unexpected(base_results.error());
  Result<SuiteResults> head_results = ReadSide(head, options.unit);
  if (!head_results) return tl::unexpected(head_results.error());

  Comparison comparison = CompareResults(*base_results, *head_results, options);
  if (comparison.rows.empty() && comparison.skipped.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no benchmark appears in both the base results (" +
                                                 JoinPaths(base) + ") and the head results (" +
                                                 JoinPaths(head) + ")");
  }
  return comparison;
}

Result<Comparison> CompareCountFiles(const std::string& base, const std::string& head,
                                     const CompareOptions& options) {
  Result<internal::CountsFile> base_counts = internal::ReadCountsFile(base);
  if (!base_counts) return tl::unexpected(base_counts.error());
  Result<internal::CountsFile> head_counts = internal::ReadCountsFile(head);
  if (!head_counts) return tl::unexpected(head_counts.error());
  Comparison comparison;
  comparison.options = options;
  for (const std::string& name : base_counts->names) {
    auto in_head = head_counts->by_name.find(name);
    if (in_head == head_counts->by_name.end()) {
      comparison.only_in_base.push_back(name);
      continue;
    }
    const internal::CountedCost& b = base_counts->by_name.at(name);
    const internal::CountedCost& h = in_head->second;
    comparison.rows.push_back(
        CountedRow(name, "instructions", b.instructions, h.instructions, options));
    comparison.rows.push_back(
        CountedRow(name, "estimated_cycles", b.estimated_cycles, h.estimated_cycles, options));
  }
  for (const std::string& name : head_counts->names) {
    if (!base_counts->by_name.contains(name)) comparison.only_in_head.push_back(name);
  }
  SortRows(comparison);
  ComputeGeomean(comparison);
  return comparison;
}

void AddCounts(Comparison& timed, const Comparison& counted) {
  for (MetricComparison& row : timed.rows) {
    const bool was_counted = std::any_of(
        counted.rows.begin(), counted.rows.end(),
        [&](const MetricComparison& other) { return other.benchmark == row.benchmark; });
    if (was_counted && row.verdict == Verdict::kFail) {
      row.verdict = Verdict::kWarn;
      row.capped = true;
    }
  }
  timed.rows.insert(timed.rows.end(), counted.rows.begin(), counted.rows.end());
  auto add_names = [](std::vector<std::string>& into, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
    }
  };
  add_names(timed.only_in_base, counted.only_in_base);
  add_names(timed.only_in_head, counted.only_in_head);
  SortRows(timed);
  ComputeGeomean(timed);
}

void ApplyRerun(Comparison& first, const Comparison& rerun) {
  first.rerun_applied = true;
  for (MetricComparison& row : first.rows) {
    if (row.verdict != Verdict::kFail) continue;
    auto again = std::find_if(rerun.rows.begin(), rerun.rows.end(), [&](const auto& other) {
      return other.benchmark == row.benchmark && other.metric == row.metric;
    });
    if (again != rerun.rows.end()) {
      row.rerun = RerunOutcome{again->verdict, again->change, again->p_worse};
    }
  }
  SortRows(first);
}

bool IsConfirmedFailure(const Comparison& comparison, const MetricComparison& row) {
  if (row.verdict != Verdict::kFail) return false;
  if (!comparison.rerun_applied || !row.rerun) return true;
  return row.rerun->verdict == Verdict::kFail;
}

bool HasFailure(const Comparison& comparison) {
  return std::any_of(comparison.rows.begin(), comparison.rows.end(),
                     [&](const auto& row) { return IsConfirmedFailure(comparison, row); });
}

std::vector<std::string> FailingBenchmarks(const Comparison& comparison) {
  std::vector<std::string> names;
  for (const MetricComparison& row : comparison.rows) {
    if (IsConfirmedFailure(comparison, row) &&
        std::find(names.begin(), names.end(), row.benchmark) == names.end()) {
      names.push_back(row.benchmark);
    }
  }
  return names;
}

std::string BenchmarkFilterRegex(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  static constexpr std::string_view kSpecial = ".[]{}()\\*+?|^$";
  std::string regex = "^(";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) regex += '|';
    for (char c : names[i]) {
      if (kSpecial.find(c) != std::string_view::npos) regex += '\\';
      regex += c;
    }
  }
  return regex + ")$";
}

namespace {

// Writes the Markdown comment and the failing filter when the command asks for them; the error
// of the first that cannot be written.
Result<void> WriteOutputs(const CompareCommand& command, const Comparison& comparison) {
  if (!command.markdown_path.empty()) {
    Result<void> written = internal::WriteTextFile(command.markdown_path, ToMarkdown(comparison));
    if (!written) return written;
  }
  if (!command.failing_filter_path.empty()) {
    const std::string regex = BenchmarkFilterRegex(FailingBenchmarks(comparison));
    return internal::WriteTextFile(command.failing_filter_path, regex.empty() ? "" : regex + "\n");
  }
  return {};
}

// The timed comparison, the counted one, or both folded together (AddCounts).
Result<Comparison> CompareStages(const CompareCommand& command) {
  const bool timed = !command.base_files.empty() || !command.head_files.empty();
  const bool counted = !command.counted_base_path.empty();
  if (!counted) return CompareFiles(command.base_files, command.head_files, command.options);
  Result<Comparison> counts =
      CompareCountFiles(command.counted_base_path, command.counted_head_path, command.options);
  if (!counts || !timed) return counts;
  Result<Comparison> comparison =
      CompareFiles(command.base_files, command.head_files, command.options);
  if (comparison) AddCounts(*comparison, *counts);
  return comparison;
}

}  // namespace

int RunCompareCommand(const CompareCommand& command, std::ostream& out, std::ostream& err) {
  if (command.rerun_base_files.empty() != command.rerun_head_files.empty()) {
    err << "wyckoff bench compare: give both --rerun-base and --rerun-head, or neither\n";
    return 2;
  }
  if (command.counted_base_path.empty() != command.counted_head_path.empty()) {
    err << "wyckoff bench compare: give both --counted-base and --counted-head, or neither\n";
    return 2;
  }
  if (command.counted_base_path.empty() &&
      (command.base_files.empty() || command.head_files.empty())) {
    err << "wyckoff bench compare: give --base and --head, --counted-base and --counted-head, "
           "or all four\n";
    return 2;
  }
  Result<Comparison> comparison = CompareStages(command);
  if (!comparison) {
    err << "wyckoff bench compare: " << comparison.error().message << "\n";
    return 2;
  }
  if (!command.rerun_base_files.empty()) {
    Result<Comparison> rerun =
        CompareFiles(command.rerun_base_files, command.rerun_head_files, command.options);
    if (!rerun) {
      err << "wyckoff bench compare: re-run: " << rerun.error().message << "\n";
      return 2;
    }
    ApplyRerun(*comparison, *rerun);
  }
  out << ToText(*comparison);
  if (Result<void> written = WriteOutputs(command, *comparison); !written) {
    err << "wyckoff bench compare: " << written.error().message << "\n";
    return 2;
  }
  return HasFailure(*comparison) ? 1 : 0;
}

}  // namespace wyckoff::gate
