// The text and Markdown reports (the comparison's; the budget report's), and the number
// formatting and table rendering they share.
#include "format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>

#include "wyckoff/gate/budgets.h"
#include "wyckoff/gate/compare.h"
#include "wyckoff/gate/ratchet.h"

namespace wyckoff::gate::internal {
namespace {

// Three significant digits for values in [1, 1000): "1.23", "12.3", "123".
std::string ThreeDigits(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  const int decimals = magnitude >= 99.95 ? 0 : magnitude >= 9.995 ? 1 : 2;
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string EscapeMarkdownCell(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string FormatDuration(double nanos) {
  if (!std::isfinite(nanos)) return "n/a";
  if (std::fabs(nanos) >= 120e9) return ThreeDigits(nanos / 60e9) + " min";  // not "1800 s"
  struct Unit {
    const char* name;
    double nanos;
  };
  static constexpr Unit kUnits[] = {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1.0}};
  for (const Unit& unit : kUnits) {
    // 999.5 ns would print as "1000 ns": move up a unit once rounding reaches 1000.
    if (std::fabs(nanos) >= unit.nanos * 0.9995 || unit.nanos == 1.0) {
      return ThreeDigits(nanos / unit.nanos) + " " + unit.name;
    }
  }
  return "n/a";  // unreachable: the last unit always matches
}

std::string FormatQuantity(double value) {
  if (!std::isfinite(value)) return "n/a";
  struct Suffix {
    const char* name;
    double scale;
  };
  static constexpr Suffix kSuffixes[] = {{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}};
  for (const Suffix& suffix : kSuffixes) {
    if (std::fabs(value) >= suffix.scale * 0.9995) {
      return ThreeDigits(value / suffix.scale) + suffix.name;
    }
  }
  return FormatNumber(value);
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  }
  return buffer;
}

std::string FormatChange(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.1f%%", fraction * 100.0);
  return std::string(buffer) == "-0.0%" ? "+0.0%" : buffer;
}

std::string FormatPValue(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.0001) return "<0.0001";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", p);
  return buffer;
}

std::string RenderTextTable(const std::vector<std::string>& header,
                            const std::vector<std::vector<std::string>>& rows,
                            const std::vector<bool>& right_align) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const std::string padding(widths[i] - cell.size(), ' ');
      if (i > 0) line += "  ";
      line += right_align[i] ? padding + cell : cell + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line + "\n";
  };
  std::string out = render_line(header);
  for (const auto& row : rows) out += render_line(row);
  return out;
}

std::string RenderMarkdownTable(const std::vector<std::string>& header,
                                const std::vector<std::vector<std::string>>& rows,
                                const std::vector<bool>& right_align) {
  std::string out = "|";
  for (const std::string& cell : header) out += " " + EscapeMarkdownCell(cell) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out += right_align[i] ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const std::string& cell : row) out += " " + EscapeMarkdownCell(cell) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace wyckoff::gate::internal

namespace wyckoff::gate {
namespace {

using internal::FormatChange;
using internal::FormatNumber;
using internal::FormatPValue;

// ---- The comparison -------------------------------------------------------------------------

struct Counts {
  int failed = 0, unconfirmed = 0, warned = 0, improved = 0, unchanged = 0;
};

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
  }
  return counts;
}

std::string Plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
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
          " unchanged; geometric mean " + FormatChange(comparison.geomean_ratio - 1) + ".";
  return line;
}

// Whether any row was counted (`counted`), or timed (`!counted`).
bool AnyRow(const Comparison& comparison, bool counted) {
  return std::any_of(comparison.rows.begin(), comparison.rows.end(),
                     [&](const MetricComparison& row) { return row.counted == counted; });
}

std::string FormatMedian(const MetricComparison& row, double value) {
  if (row.counted) return internal::FormatQuantity(value);
  return row.higher_is_better ? internal::FormatQuantity(value) + "/s"
                              : internal::FormatDuration(value);
}

std::string VerdictCell(const Comparison& comparison, const MetricComparison& row) {
  std::string cell = VerdictName(row.verdict);
  if (row.capped) return cell + " (FAIL in time; the counts decide)";
  if (row.verdict != Verdict::kFail || row.counted || !comparison.rerun_applied) return cell;
  if (!row.rerun) return cell + " (not in the re-run)";
  const std::string again = std::string(VerdictName(row.rerun->verdict)) + " " +
                            FormatChange(row.rerun->change) + ", p " +
                            FormatPValue(row.rerun->p_worse);
  return IsConfirmedFailure(comparison, row) ? cell + " (re-run: " + again + ")"
                                             : "not confirmed (re-run: " + again + ")";
}

// "12+12": base and head.
std::string SidesCell(std::size_t base, std::size_t head) {
  return std::to_string(base) + "+" + std::to_string(head);
}

std::vector<std::vector<std::string>> ComparisonRows(const Comparison& comparison, bool markdown) {
  std::vector<std::vector<std::string>> rows;
  for (const MetricComparison& row : comparison.rows) {
    std::string name = markdown ? "`" + row.benchmark + "`" : row.benchmark;
    if (row.metric != "real_time") name += " (" + row.metric + ")";
    std::string verdict = VerdictCell(comparison, row);
    if (markdown && IsConfirmedFailure(comparison, row)) verdict = "**" + verdict + "**";
    const double p = row.verdict == Verdict::kImproved ? row.p_better : row.p_worse;
    rows.push_back({name, row.counted ? "-" : SidesCell(row.base_samples, row.head_samples),
                    row.counted ? "-" : SidesCell(row.base_repetitions, row.head_repetitions),
                    FormatMedian(row, row.base_median), FormatMedian(row, row.head_median),
                    FormatChange(row.change), row.counted ? "counted" : FormatPValue(p), verdict});
  }
  return rows;
}

const std::vector<std::string> kComparisonHeader = {
    "benchmark", "n", "repetitions", "base median", "head median", "change", "p-value", "verdict"};
const std::vector<bool> kComparisonRightAlign = {false, true, true, true, true, true, true, false};

std::string GeomeanLine(const Comparison& comparison) {
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.3f", comparison.geomean_ratio);
  const bool counted = AnyRow(comparison, true);
  return "Geometric mean over " + Plural(comparison.geomean_count, "benchmark", "benchmarks") +
         " (one head/base cost ratio each, from its time" +
         (counted ? ", or its estimated cycles when it was only counted" : "") + "): " + ratio +
         " (" + FormatChange(comparison.geomean_ratio - 1) + ").";
}

// What n counts, in one line.
std::string SampleUnitLine(const Comparison& comparison) {
  if (comparison.options.unit == SampleUnit::kRepetition) {
    return "n: repetitions per side (base+head), every repetition a sample (--unit repetition): "
           "repetitions of one process move together, so these p-values are optimistic.";
  }
  return "n: processes per side (base+head), one result file each, reduced to the median of "
         "its repetitions.";
}

// The largest of the verdict thresholds that `smallest` cannot go below; 0 when it can go
// below them all.
double UnreachableThreshold(double smallest, const CompareOptions& options) {
  double threshold = 0;
  for (double p : {options.fail_p, options.warn_p}) {
    if (smallest >= p) threshold = std::max(threshold, p);
  }
  return threshold;
}

// Lines on benchmarks that could not be compared, and on sample sizes too small for a verdict.
std::vector<std::string> ComparisonNotes(const Comparison& comparison) {
  std::vector<std::string> notes;
  if (!comparison.only_in_head.empty()) {
    notes.push_back("New in head (not compared): " + JoinNames(comparison.only_in_head) + ".");
  }
  if (!comparison.only_in_base.empty()) {
    notes.push_back("Missing from head (not compared): " + JoinNames(comparison.only_in_base) +
                    ".");
  }
  for (const SkippedBenchmark& skipped : comparison.skipped) {
    notes.push_back("Skipped " + skipped.benchmark + ": " + skipped.reason + ".");
  }
  for (std::string& line : UnderpoweredNotes(comparison)) notes.push_back(std::move(line));
  if (AnyRow(comparison, false)) notes.push_back(SampleUnitLine(comparison));
  return notes;
}

// How the counted rows were decided; empty when there are none.
std::string CountedNote(const Comparison& comparison) {
  const CompareOptions& o = comparison.options;
  auto pct = [](double fraction) { return FormatNumber(fraction * 100) + "%"; };
  if (!AnyRow(comparison, true)) return "";
  return " Counted rows (p-value `counted`): instructions and estimated cycles (L1 hits + 5 x LL "
         "hits + 35 x memory accesses, simulated caches) per iteration under Cachegrind, the "
         "difference of two runs at fixed iteration counts (scripts/bench-count.sh); exact, so "
         "the change alone decides: FAIL above " +
         pct(o.fail_change) + ", WARN above " + pct(o.warn_change) + ", IMPROVED below -" +
         pct(o.improve_change) +
         ". A counted benchmark's time can WARN but not FAIL: the counts decide for it.";
}

std::string MethodNote(const Comparison& comparison) {
  const CompareOptions& o = comparison.options;
  auto pct = [](double fraction) { return FormatNumber(fraction * 100) + "%"; };
  return "Change is the head median against the base median in time per unit of work, so "
         "positive is always worse: head/base - 1 for times, base/head - 1 for rate counters "
         "(`*_per_second`). p-value: one-sided Mann-Whitney U test that head is worse (that it "
         "is better, for IMPROVED rows) over the n samples per side, exact (ties included) up "
         "to " +
         std::to_string(std::min(o.exact_max_per_side, kExactMaxPerSide)) +
         " per side, normal approximation with tie correction beyond. FAIL: worse by more "
         "than " +
         pct(o.fail_change) + " with p < " + FormatNumber(o.fail_p) + "; WARN: more than " +
         pct(o.warn_change) + " with p < " + FormatNumber(o.warn_p) +
         "; IMPROVED: better by more than " + pct(o.improve_change) + " with p < " +
         FormatNumber(o.improve_p) + "." + CountedNote(comparison);
}

// ---- The budget report -----------------------------------------------------------------------

// A measurement or level in its unit: "1.20 us", "16.9M"; "-" when absent.
std::string LevelValue(bool is_time, std::optional<double> value) {
  if (!value) return "-";
  return is_time ? internal::FormatDuration(*value) : internal::FormatQuantity(*value);
}

// A level with its direction: "<= 1.20 us", ">= 16.9M"; "-" when absent.
std::string LevelBound(bool is_time, bool higher_is_better, std::optional<double> bound) {
  if (!bound) return "-";
  return (higher_is_better ? ">= " : "<= ") + LevelValue(is_time, bound);
}

std::string ValueCell(const BudgetRow& row, std::optional<double> value) {
  return LevelValue(row.is_time, value);
}

std::string BoundCell(const BudgetRow& row, std::optional<double> bound) {
  return LevelBound(row.is_time, row.higher_is_better, bound);
}

std::vector<std::vector<std::string>> BudgetRows(const BudgetReport& report, bool markdown) {
  std::vector<std::vector<std::string>> rows;
  for (const BudgetRow& row : report.rows) {
    std::string verdict = BudgetVerdictName(row.verdict);
    if (markdown && IsFailure(row.verdict)) verdict = "**" + verdict + "**";
    rows.push_back({markdown ? "`" + row.benchmark + "`" : row.benchmark, row.metric,
                    ValueCell(row, row.measured), BoundCell(row, row.floor),
                    BoundCell(row, row.regression_floor), BoundCell(row, row.target), verdict});
  }
  return rows;
}

const std::vector<std::string> kBudgetHeader = {"benchmark",        "metric", "measured", "floor",
                                                "regression floor", "target", "verdict"};
const std::vector<bool> kBudgetRightAlign = {false, false, true, true, true, true, false};

// "Budgets: FAIL. 1 missed the floor, 0 missed the regression floor, 3 not run, 2 meet the
// target, 3 meet the floor only, 1 miss a target (no floor), 0 left without a database."
std::string BudgetSummaryLine(const BudgetReport& report) {
  std::map<BudgetVerdict, int> counts;
  for (const BudgetRow& row : report.rows) ++counts[row.verdict];
  auto count = [&](BudgetVerdict verdict) { return std::to_string(counts[verdict]); };
  return std::string("Budgets: ") + (HasFailure(report) ? "FAIL" : "OK") + ". " +
         count(BudgetVerdict::kMissesFloor) + " missed the floor, " +
         count(BudgetVerdict::kMissesRegressionFloor) + " missed the regression floor, " +
         count(BudgetVerdict::kNotRun) + " not run, " + count(BudgetVerdict::kMeetsTarget) +
         " meet the target, " + count(BudgetVerdict::kMeetsFloor) + " meet the floor only, " +
         count(BudgetVerdict::kMissesTarget) + " miss a target (no floor), " +
         count(BudgetVerdict::kNoDatabase) + " left without a database.";
}

// The note on regression floors this run does not enforce; "" when it enforces them or the
// budgets have none.
std::string RegressionNote(const BudgetReport& report) {
  const bool any = std::any_of(report.rows.begin(), report.rows.end(),
                               [](const BudgetRow& row) { return row.regression_floor; });
  if (!any || report.regression_enforced) return "";
  const std::string runner = report.runner_class.empty()
                                 ? "this run names no runner class"
                                 : "this run's is \"" + report.runner_class + "\"";
  return "Regression floors not enforced: they were measured on runner class \"" +
         report.regression.runner_class + "\" and " + runner + " (--runner-class).";
}

// Why rows were not run, which were left for want of a database, whether regression floors
// count, and which benchmarks have no budget.
std::vector<std::string> BudgetNotes(const BudgetReport& report) {
  std::vector<std::string> notes, without_database;
  for (const BudgetRow& row : report.rows) {
    if (row.verdict == BudgetVerdict::kNotRun) {
      notes.push_back("Not run: " + row.benchmark + " (" + row.metric + "): " + row.note + ".");
    } else if (row.verdict == BudgetVerdict::kNoDatabase) {
      without_database.push_back(row.benchmark);
    }
  }
  if (!without_database.empty()) {
    notes.push_back("No database configured (--no-database), so these did not run: " +
                    JoinNames(without_database) + ".");
  }
  if (report.unselected > 0) {
    notes.push_back("Not checked: " + Plural(report.unselected, "budget", "budgets") +
                    " of benchmarks outside --filter " + report.filter + ".");
  }
  if (std::string regression = RegressionNote(report); !regression.empty()) {
    notes.push_back(regression);
  }
  if (!report.unbudgeted.empty())
    notes.push_back("No budget: " + JoinNames(report.unbudgeted) + ".");
  return notes;
}

// ---- The ratchet ------------------------------------------------------------------------------

// "BM_A (real_time): regression floor raised from <= 1.50 us to <= 1.20 us (measured 1.00 us,
// margin 20%)".
std::string RatchetLine(const RatchetRow& row, double margin) {
  const std::string after = LevelBound(row.is_time, row.higher_is_better, row.after);
  const std::string change =
      row.before ? "raised from " + LevelBound(row.is_time, row.higher_is_better, row.before) +
                       " to " + after
                 : "set to " + after;
  return row.benchmark + " (" + row.metric + "): regression floor " + change + " (measured " +
         LevelValue(row.is_time, row.measured) + ", margin " + FormatNumber(margin * 100) + "%" +
         (row.capped_at_target ? ", capped at the target" : "") + ")";
}

}  // namespace

std::string ToText(const RatchetPlan& plan, const std::string& written) {
  std::string out;
  std::size_t raised = 0;
  std::vector<std::string> not_run;
  for (const RatchetRow& row : plan.rows) {
    if (row.Changed()) {
      out += RatchetLine(row, plan.regression.margin) + "\n";
      ++raised;
    } else if (!row.measured) {
      not_run.push_back(row.benchmark + " (" + row.metric + ")");
    }
  }
  if (!not_run.empty()) out += "Not run, so unchanged: " + JoinNames(not_run) + ".\n";
  return out + "Ratchet: " + Plural(raised, "regression floor", "regression floors") + " raised, " +
         std::to_string(plan.rows.size() - raised) + " unchanged (" +
         std::to_string(not_run.size()) + " not run); runner class \"" +
         plan.regression.runner_class + "\", margin " + FormatNumber(plan.regression.margin * 100) +
         "%; " + written + ".\n";
}

std::vector<std::string> UnderpoweredNotes(const Comparison& comparison) {
  constexpr std::size_t kNamesListed = 5;
  using Key = std::tuple<std::size_t, std::size_t, double>;  // n base, n head, threshold
  std::vector<Key> order;
  std::map<Key, std::vector<std::string>> names;
  for (const MetricComparison& row : comparison.rows) {
    if (row.counted) continue;  // exact: no test, no p
    const double smallest = SmallestPossibleP(row.base_samples, row.head_samples);
    const double threshold = UnreachableThreshold(smallest, comparison.options);
    if (threshold == 0) continue;
    const Key key{row.base_samples, row.head_samples, threshold};
    if (!names.contains(key)) order.push_back(key);
    names[key].push_back(row.DisplayName());
  }
  std::vector<std::string> lines;
  for (const Key& key : order) {
    const auto& [base, head, threshold] = key;
    std::vector<std::string> listed = names[key];
    const std::size_t more = listed.size() > kNamesListed ? listed.size() - kNamesListed : 0;
    listed.resize(std::min(listed.size(), kNamesListed));
    lines.push_back("n=" + SidesCell(base, head) + " cannot reach p < " + FormatNumber(threshold) +
                    ": smallest possible p = " + FormatNumber(SmallestPossibleP(base, head)) +
                    " (" + JoinNames(listed) +
                    (more > 0 ? " and " + std::to_string(more) + " more" : "") + "); run more " +
                    (comparison.options.unit == SampleUnit::kProcess ? "rounds." : "repetitions."));
  }
  return lines;
}

std::string ToMarkdown(const Comparison& comparison) {
  std::string out = std::string(kMarkdownMarker) + "\n";
  out += "**" + SummaryLine(comparison) + "**\n\n";
  if (!comparison.rows.empty()) {
    out += internal::RenderMarkdownTable(kComparisonHeader, ComparisonRows(comparison, true),
                                         kComparisonRightAlign);
    out += "\n";
  }
  out += GeomeanLine(comparison) + "\n\n";
  for (const std::string& note : ComparisonNotes(comparison)) out += note + "\n\n";
  out += MethodNote(comparison) + "\n";
  return out;
}

std::string ToText(const Comparison& comparison) {
  std::string out = SummaryLine(comparison) + "\n\n";
  if (!comparison.rows.empty()) {
    out += internal::RenderTextTable(kComparisonHeader, ComparisonRows(comparison, false),
                                     kComparisonRightAlign);
    out += "\n";
  }
  out += GeomeanLine(comparison) + "\n";
  for (const std::string& note : ComparisonNotes(comparison)) out += note + "\n";
  return out;
}

std::string ToText(const BudgetReport& report) {
  std::string out = BudgetSummaryLine(report) + "\n\n";
  out += internal::RenderTextTable(kBudgetHeader, BudgetRows(report, false), kBudgetRightAlign);
  const std::vector<std::string> notes = BudgetNotes(report);
  if (!notes.empty()) out += "\n";
  for (const std::string& note : notes) out += note + "\n";
  return out;
}

std::string ToMarkdown(const BudgetReport& report) {
  std::string out = "**" + BudgetSummaryLine(report) + "**\n\n";
  out += internal::RenderMarkdownTable(kBudgetHeader, BudgetRows(report, true), kBudgetRightAlign);
  for (const std::string& note : BudgetNotes(report)) out += "\n" + note + "\n";
  return out;
}

}  // namespace wyckoff::gate
