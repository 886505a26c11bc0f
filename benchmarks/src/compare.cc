#include "wyckoff/benchmarks/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <tuple>
#include <utility>

#include "format.h"
#include "results.h"

namespace wyckoff::benchmarks {
namespace {

using internal::BenchmarkSamples;
using internal::SuiteResults;

constexpr std::size_t kExactLimit = 50;  // C(50, 25) < 2^53: exact counts in a double
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- Mann-Whitney U -------------------------------------------------------------------------

struct Ranking {
  double u_x = 0;       // U of the first sample
  double tie_term = 0;  // sum of t^3 - t over groups of t tied values
  bool has_ties = false;
};

// Ranks the pooled samples (ties get their average rank) and derives U of x from the rank sum.
Ranking RankSamples(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, bool>> pooled;  // (value, from x)
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end());
  Ranking ranking;
  double rank_sum_x = 0;
  for (std::size_t start = 0; start < pooled.size();) {
    std::size_t end = start;
    while (end < pooled.size() && pooled[end].first == pooled[start].first) ++end;
    const double ties = static_cast<double>(end - start);
    const double average_rank = (static_cast<double>(start + 1 + end)) / 2.0;
    for (std::size_t i = start; i < end; ++i) {
      if (pooled[i].second) rank_sum_x += average_rank;
    }
    if (ties > 1) {
      ranking.has_ties = true;
      ranking.tie_term += ties * ties * ties - ties;
    }
    start = end;
  }
  const double m = static_cast<double>(x.size());
  ranking.u_x = rank_sum_x - m * (m + 1) / 2;
  return ranking;
}

// counts[u]: how many of the C(m+n, m) orderings of m x's and n y's without ties give U_x = u;
// the coefficients of the Gaussian binomial [m+n choose m]_q, built as
// prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), one exact polynomial division per step.
std::vector<double> ExactUCounts(std::size_t m, std::size_t n) {
  std::vector<double> counts(m * n + m + 1, 0.0);
  counts[0] = 1;
  std::size_t degree = 0;
  for (std::size_t i = 1; i <= m; ++i) {
    const std::size_t shift = n + i;
    const std::size_t product_degree = degree + shift;
    for (std::size_t k = product_degree; k >= shift; --k) counts[k] -= counts[k - shift];
    for (std::size_t k = i; k <= product_degree; ++k) counts[k] += counts[k - i];
    degree += n;
  }
  counts.resize(m * n + 1);
  return counts;
}

void ExactPValues(std::size_t m, std::size_t n, double u, UTestResult& result) {
  const std::vector<double> counts = ExactUCounts(m, n);
  const auto observed = static_cast<std::size_t>(std::llround(u));
  double total = 0, at_least = 0, at_most = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    total += counts[k];
    if (k >= observed) at_least += counts[k];
    if (k <= observed) at_most += counts[k];
  }
  result.p_greater = at_least / total;
  result.p_less = at_most / total;
  result.exact = true;
}

void NormalPValues(std::size_t m, std::size_t n, const Ranking& ranking, UTestResult& result) {
  const double mm = static_cast<double>(m), nn = static_cast<double>(n), total = mm + nn;
  const double mean = mm * nn / 2;
  const double variance = mm * nn / 12 * ((total + 1) - ranking.tie_term / (total * (total - 1)));
  if (!(variance > 0)) return;  // every value tied: no evidence either way, both p stay 1
  const double sd = std::sqrt(variance);
  const double z_greater = (ranking.u_x - mean - 0.5) / sd;
  const double z_less = (ranking.u_x - mean + 0.5) / sd;
  result.p_greater = std::min(1.0, 0.5 * std::erfc(z_greater / std::sqrt(2.0)));
  result.p_less = std::min(1.0, 0.5 * std::erfc(-z_less / std::sqrt(2.0)));
}

// ---- Comparing one metric -------------------------------------------------------------------

// Head against base as a cost (> 1 worse); NaN when a median is not a positive number.
double CostRatio(double base, double head, bool higher_is_better) {
  if (base == head) return 1.0;
  if (!(base > 0) || !(head > 0) || !std::isfinite(base) || !std::isfinite(head)) return kNaN;
  return higher_is_better ? base / head : head / base;
}

Verdict Decide(const MetricComparison& row, const CompareOptions& options) {
  if (row.change > options.fail_change && row.p_worse < options.fail_p) return Verdict::kFail;
  if (row.change > options.warn_change && row.p_worse < options.warn_p) return Verdict::kWarn;
  if (row.change < -options.improve_change && row.p_better < options.improve_p) {
    return Verdict::kImproved;
  }
  return Verdict::kOk;
}

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
  const UTestResult test = MannWhitneyU(head, base, options.exact_max_samples);
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
  out.rows.push_back(
      CompareMetric(name, "real_time", base.real_time_ns, head.real_time_ns, out.options));
  if (!out.options.compare_rate_counters) return;
  for (const auto& [counter, base_values] : base.counters) {
    auto head_values = head.counters.find(counter);
    if (!internal::IsRateCounter(counter) || head_values == head.counters.end()) continue;
    out.rows.push_back(CompareMetric(name, counter, base_values, head_values->second, out.options));
  }
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

void ComputeGeomean(Comparison& comparison) {
  double log_sum = 0;
  std::size_t count = 0;
  for (const MetricComparison& row : comparison.rows) {
    if (std::isfinite(row.ratio) && row.ratio > 0) {
      log_sum += std::log(row.ratio);
      ++count;
    }
  }
  comparison.geomean_count = count;
  comparison.geomean_ratio = count == 0 ? 1.0 : std::exp(log_sum / static_cast<double>(count));
}

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& path : paths) out += (out.empty() ? "" : ", ") + path;
  return out;
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

UTestResult MannWhitneyU(std::span<const double> x, std::span<const double> y,
                         std::size_t exact_max_samples) {
  UTestResult result;
  if (x.empty() || y.empty()) return result;
  const Ranking ranking = RankSamples(x, y);
  result.u = ranking.u_x;
  const std::size_t total = x.size() + y.size();
  if (!ranking.has_ties && total <= std::min(exact_max_samples, kExactLimit)) {
    ExactPValues(x.size(), y.size(), ranking.u_x, result);
  } else {
    NormalPValues(x.size(), y.size(), ranking, result);
  }
  return result;
}

std::string MetricComparison::DisplayName() const {
  return metric == "real_time" ? benchmark : benchmark + " (" + metric + ")";
}

Result<Comparison> CompareFiles(const std::vector<std::string>& base,
                                const std::vector<std::string>& head,
                                const CompareOptions& options) {
  if (base.empty()) return Fail(ErrorCode::kInvalidArgument, "no base result files given");
  if (head.empty()) return Fail(ErrorCode::kInvalidArgument, "no head result files given");
  Result<SuiteResults> base_results =
      internal::ReadResultsFiles(base, internal::RowPolicy::kIterationsOnly);
  if (!base_results) return tl::unexpected(base_results.error());
  Result<SuiteResults> head_results =
      internal::ReadResultsFiles(head, internal::RowPolicy::kIterationsOnly);
  if (!head_results) return tl::unexpected(head_results.error());

  Comparison comparison = CompareResults(*base_results, *head_results, options);
  if (comparison.rows.empty() && comparison.skipped.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no benchmark appears in both the base results (" +
                                                 JoinPaths(base) + ") and the head results (" +
                                                 JoinPaths(head) + ")");
  }
  return comparison;
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

// ---- Reports --------------------------------------------------------------------------------

namespace {

struct Counts {
  int failed = 0, unconfirmed = 0, warned = 0, improved = 0, unchanged = 0;
  int underpowered = 0;  // rows whose sample sizes cannot reach p < fail_p
};

// The smallest one-sided p any ordering of the samples can give: 1 / C(m + n, m).
double SmallestPossibleP(std::size_t m, std::size_t n) {
  const double log_choose = std::lgamma(static_cast<double>(m + n) + 1) -
                            std::lgamma(static_cast<double>(m) + 1) -
                            std::lgamma(static_cast<double>(n) + 1);
  return std::exp(-log_choose);
}

Counts CountRows(const Comparison& comparison) {
  Counts counts;
  for (const MetricComparison& row : comparison.rows) {
    switch (row.verdict) {
      case Verdict::kFail:
        ++(IsConfirmedFailure(comparison, row) ? counts.failed : counts.unconfirmed);
        break;
      case Verdict::kWarn:
        ++counts.warned;
        break;
      case Verdict::kImproved:
        ++counts.improved;
        break;
      case Verdict::kOk:
        ++counts.unchanged;
        break;
    }
    if (SmallestPossibleP(row.base_samples, row.head_samples) >= comparison.options.fail_p) {
      ++counts.underpowered;
    }
  }
  return counts;
}

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "Benchmark gate: FAIL. 1 failed, 2 warnings, 0 improved, 30 unchanged; geometric mean
// +1.2%."
std::string SummaryLine(const Comparison& comparison) {
  const Counts counts = CountRows(comparison);
  const char* status = counts.failed > 0                             ? "FAIL"
                       : counts.warned > 0 || counts.unconfirmed > 0 ? "WARN"
                                                                     : "OK";
  std::string line =
      std::string("Benchmark gate: ") + status + ". " + std::to_string(counts.failed) + " failed";
  if (comparison.rerun_applied) {
    line += " (confirmed on re-run), " + std::to_string(counts.unconfirmed) +
            " not confirmed on re-run";
  }
  line += ", " + Plural(counts.warned, "warning", "warnings") + ", " +
          std::to_string(counts.improved) + " improved, " + std::to_string(counts.unchanged) +
          " unchanged; geometric mean " + internal::FormatChange(comparison.geomean_ratio - 1) +
          ".";
  return line;
}

std::string FormatMedian(const MetricComparison& row, double value) {
  return row.higher_is_better ? internal::FormatQuantity(value) + "/s"
                              : internal::FormatDuration(value);
}

std::string VerdictCell(const Comparison& comparison, const MetricComparison& row) {
  std::string cell = VerdictName(row.verdict);
  if (row.verdict != Verdict::kFail || !comparison.rerun_applied) return cell;
  if (!row.rerun) return cell + " (not in the re-run)";
  const std::string again = std::string(VerdictName(row.rerun->verdict)) + " " +
                            internal::FormatChange(row.rerun->change) + ", p " +
                            internal::FormatPValue(row.rerun->p_worse);
  return IsConfirmedFailure(comparison, row) ? cell + " (re-run: " + again + ")"
                                             : "not confirmed (re-run: " + again + ")";
}

std::vector<std::vector<std::string>> TableRows(const Comparison& comparison, bool markdown) {
  std::vector<std::vector<std::string>> rows;
  for (const MetricComparison& row : comparison.rows) {
    std::string name = markdown ? "`" + row.benchmark + "`" : row.benchmark;
    if (row.metric != "real_time") name += " (" + row.metric + ")";
    std::string verdict = VerdictCell(comparison, row);
    if (markdown && IsConfirmedFailure(comparison, row)) verdict = "**" + verdict + "**";
    const double p = row.verdict == Verdict::kImproved ? row.p_better : row.p_worse;
    rows.push_back({name, FormatMedian(row, row.base_median), FormatMedian(row, row.head_median),
                    internal::FormatChange(row.change), internal::FormatPValue(p), verdict});
  }
  return rows;
}

const std::vector<std::string> kHeader = {"benchmark", "base median", "head median",
                                          "change",    "p-value",     "verdict"};
const std::vector<bool> kRightAlign = {false, true, true, true, true, false};

std::string GeomeanLine(const Comparison& comparison) {
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.3f", comparison.geomean_ratio);
  return "Geometric mean of " + std::to_string(comparison.geomean_count) +
         " head/base cost ratios: " + ratio + " (" +
         internal::FormatChange(comparison.geomean_ratio - 1) + ").";
}

// Lines on benchmarks that could not be compared, and on sample sizes too small to fail.
std::vector<std::string> NoteLines(const Comparison& comparison) {
  std::vector<std::string> notes;
  auto list = [](const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
  };
  if (!comparison.only_in_head.empty()) {
    notes.push_back("New in head (not compared): " + list(comparison.only_in_head) + ".");
  }
  if (!comparison.only_in_base.empty()) {
    notes.push_back("Missing from head (not compared): " + list(comparison.only_in_base) + ".");
  }
  for (const SkippedBenchmark& skipped : comparison.skipped) {
    notes.push_back("Skipped " + skipped.benchmark + ": " + skipped.reason + ".");
  }
  if (const int n = CountRows(comparison).underpowered; n > 0) {
    notes.push_back(
        Plural(n, "metric has", "metrics have") + " too few samples to ever reach p < " +
        internal::FormatNumber(comparison.options.fail_p) + ": run more rounds or repetitions.");
  }
  return notes;
}

std::string MethodNote(const Comparison& comparison) {
  const CompareOptions& o = comparison.options;
  auto pct = [](double fraction) { return internal::FormatNumber(fraction * 100) + "%"; };
  auto num = [](double value) { return internal::FormatNumber(value); };
  return "Change is the head median against the base median in time per unit of work, so "
         "positive is always worse: head/base - 1 for times, base/head - 1 for rate counters "
         "(`*_per_second`). p-value: one-sided Mann-Whitney U test that head is worse (that it "
         "is better, for IMPROVED rows), exact without ties up to " +
         std::to_string(std::min(o.exact_max_samples, kExactLimit)) +
         " samples, normal approximation otherwise. FAIL: worse by more than " +
         pct(o.fail_change) + " with p < " + num(o.fail_p) + "; WARN: more than " +
         pct(o.warn_change) + " with p < " + num(o.warn_p) + "; IMPROVED: better by more than " +
         pct(o.improve_change) + " with p < " + num(o.improve_p) + ".";
}

}  // namespace

std::string ToMarkdown(const Comparison& comparison) {
  std::string out = std::string(kMarkdownMarker) + "\n";
  out += "**" + SummaryLine(comparison) + "**\n\n";
  if (!comparison.rows.empty()) {
    out += internal::RenderMarkdownTable(kHeader, TableRows(comparison, true), kRightAlign);
    out += "\n";
  }
  out += GeomeanLine(comparison) + "\n\n";
  for (const std::string& note : NoteLines(comparison)) out += note + "\n\n";
  out += MethodNote(comparison) + "\n";
  return out;
}

std::string ToText(const Comparison& comparison) {
  std::string out = SummaryLine(comparison) + "\n\n";
  if (!comparison.rows.empty()) {
    out += internal::RenderTextTable(kHeader, TableRows(comparison, false), kRightAlign);
    out += "\n";
  }
  out += GeomeanLine(comparison) + "\n";
  for (const std::string& note : NoteLines(comparison)) out += note + "\n";
  return out;
}

int RunCompareCommand(const CompareCommand& command, std::ostream& out, std::ostream& err) {
  if (command.rerun_base_files.empty() != command.rerun_head_files.empty()) {
    err << "wyckoff bench compare: give both --rerun-base and --rerun-head, or neither\n";
    return 2;
  }
  Result<Comparison> comparison =
      CompareFiles(command.base_files, command.head_files, command.options);
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
  if (!command.markdown_path.empty()) {
    if (Result<void> written =
            internal::WriteTextFile(command.markdown_path, ToMarkdown(*comparison));
        !written) {
      err << "wyckoff bench compare: " << written.error().message << "\n";
      return 2;
    }
  }
  if (!command.failing_filter_path.empty()) {
    const std::string regex = BenchmarkFilterRegex(FailingBenchmarks(*comparison));
    if (Result<void> written =
            internal::WriteTextFile(command.failing_filter_path, regex.empty() ? "" : regex + "\n");
        !written) {
      err << "wyckoff bench compare: " << written.error().message << "\n";
      return 2;
    }
  }
  return HasFailure(*comparison) ? 1 : 0;
}

}  // namespace wyckoff::benchmarks
