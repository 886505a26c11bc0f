// The benchmark regression comparator behind `wyckoff bench compare` and
// scripts/bench-gate.sh.
//
// It reads Google Benchmark JSON output of a base and a head build (many files per side: one
// per process and round), and decides per benchmark whether the head is slower:
//
//   CompareOptions options;  // FAIL: > 10% worse and p < 0.01; WARN: > 5% and p < 0.05
//   Result<Comparison> result = CompareFiles({"base.r1.json", "base.r2.json"},
//                                            {"head.r1.json", "head.r2.json"}, options);
//   if (!result) { std::cerr << result.error().message << "\n"; return 2; }
//   std::cout << ToText(*result);                  // format.cc renders the reports
//   WriteFile("comment.md", ToMarkdown(*result));
//   return HasFailure(*result) ? 1 : 0;
//
// Samples. The process is the unit of replication: repetitions inside one process share its
// memory layout, frequency and neighbours, so they move together and are not independent.
// Each result file is one process; its repetitions of a benchmark are reduced to their median
// first, and n (per side) is the number of files that ran the benchmark. SampleUnit::kRepetition
// treats every repetition as a sample instead (a quick look at two single-process runs; its
// p-values are optimistic). Either way the rows keep the count of repetitions read.
//
// Metrics. Every benchmark is compared on its wall time per iteration ("real_time", lower is
// better) and on each user counter whose name ends in "per_second" (a rate such as
// bars_per_second or items_per_second, higher is better). Other counters are ignored.
//
// Change and ratio. `ratio` is a cost ratio, so that above 1 is always worse: head/base of the
// medians for times, base/head for rates (the change in time per unit of work). `change` is
// ratio - 1: +0.25 means 25% slower, and a rate that drops by 20% shows +25%.
//
// Test. A one-sided Mann-Whitney U test (utest.h) gives p for "head is worse than base": exact,
// ties included, up to 50 samples per side; the normal approximation with the tie correction
// beyond. A sample size has a smallest possible p, 1 / C(m + n, m) (4 against 4: 1/70 =
// 0.0143): rows whose n cannot reach a threshold cannot get that verdict, and the report says so.
//
// Verdicts: FAIL when change > fail_change and p < fail_p; else WARN when change >
// warn_change and p < warn_p; else IMPROVED when change < -improve_change and p (head better)
// < improve_p; else OK. A change alone never fails: noisy samples whose medians differ by 15%
// but overlap stay OK.
//
// Geometric mean. One cost ratio per benchmark (its time; a rate's when the time has none), so
// that a benchmark with a time and a rate, which move together, is not counted twice.
//
// Counts. The counted stage (scripts/bench-count.sh) runs the single-threaded CPU-bound
// benchmarks under Cachegrind and writes each one's instructions and estimated cycles per
// iteration. Those do not move with the host, so they need no statistics: CompareCountFiles()
// gives each metric one value a side and decides on the change alone (FAIL above fail_change,
// WARN above warn_change, IMPROVED below -improve_change). AddCounts() folds them into the
// timed comparison, where a timed FAIL of a counted benchmark is shown as WARN (`capped`): for
// those benchmarks the counts decide, since on a noisy host the times cannot.
//
// Re-run. The gate re-runs only the failing benchmarks and fails only if they fail again:
// ApplyRerun() folds the comparison of the re-run into the first one, and HasFailure() then
// counts only the confirmed failures.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/gate/utest.h"

namespace wyckoff::gate {

// What one sample is (see the overview).
enum class SampleUnit {
  kProcess,     // one per result file: the median of the file's repetitions (the default)
  kRepetition,  // every repetition of every file
};

// The thresholds of the verdicts. Changes are fractions of the base (0.10 is 10%).
struct CompareOptions {
  double fail_change = 0.10;          // FAIL: worse by more than this ...
  double fail_p = 0.01;               // ... with a one-sided p below this
  double warn_change = 0.05;          // WARN: worse by more than this ...
  double warn_p = 0.05;               // ... with p below this
  double improve_change = 0.05;       // IMPROVED: better by more than this ...
  double improve_p = 0.05;            // ... with p (head better) below this
  bool compare_rate_counters = true;  // also compare the *per_second counters
  SampleUnit unit = SampleUnit::kProcess;
  // Exact U distribution when both sides have at most this many samples (capped at
  // kExactMaxPerSide); the normal approximation otherwise.
  std::size_t exact_max_per_side = kExactMaxPerSide;
};

// Listed in report order: regressions first.
enum class Verdict { kFail, kWarn, kImproved, kOk };

// "FAIL", "WARN", "IMPROVED", "OK".
const char* VerdictName(Verdict verdict);

// What the re-run of a failing benchmark gave.
struct RerunOutcome {
  Verdict verdict = Verdict::kOk;
  double change = 0;
  double p_worse = 1;
};

// One metric of one benchmark, base against head.
struct MetricComparison {
  std::string benchmark;          // the Google Benchmark name, "BM_Backtest_SmaCross/1000"
  std::string metric;             // "real_time" or the counter name, "bars_per_second"
  bool higher_is_better = false;  // true for rate counters
  std::size_t base_samples = 0;   // n of the test: processes (or repetitions, see SampleUnit)
  std::size_t head_samples = 0;
  std::size_t base_repetitions = 0;  // every repetition read, whatever the unit
  std::size_t head_repetitions = 0;
  double base_median = 0;  // nanoseconds for real_time, the counter's value otherwise
  double head_median = 0;
  double ratio = 1;     // cost ratio (> 1 is worse); NaN when a median is 0 or negative
  double change = 0;    // ratio - 1
  double p_worse = 1;   // one-sided p that head is worse
  double p_better = 1;  // one-sided p that head is better
  bool exact_p = false;
  Verdict verdict = Verdict::kOk;
  std::optional<RerunOutcome> rerun;  // set by ApplyRerun for FAIL rows that were re-run
  // A counted metric ("instructions", "estimated_cycles"): exact, one value a side, no p
  // (p_worse and p_better are NaN); a failure needs no re-run.
  bool counted = false;
  // A timed FAIL shown as WARN because the benchmark was counted too (AddCounts).
  bool capped = false;

  // "BM_Foo" for real_time, "BM_Foo (bars_per_second)" for counters.
  std::string DisplayName() const;
};

struct SkippedBenchmark {
  std::string benchmark;
  std::string reason;  // the benchmark's own error message, "no database configured"
};

struct Comparison {
  CompareOptions options;
  std::vector<MetricComparison> rows;     // sorted: FAIL, WARN, IMPROVED, OK; worst first
  double geomean_ratio = 1;               // geometric mean, one ratio per benchmark
  std::size_t geomean_count = 0;          // how many benchmarks it covers
  std::vector<std::string> only_in_base;  // benchmarks the head no longer has
  std::vector<std::string> only_in_head;  // new benchmarks
  std::vector<SkippedBenchmark> skipped;  // errored (SkipWithError) on either side
  bool rerun_applied = false;
};

// Reads every file of each side (see the overview) and compares them. Errors name the file and
// the reason: no files on a side, a file that cannot be read, is empty, is not JSON, has no
// "benchmarks" array or an empty one, or holds only aggregate rows; or no benchmark that both
// sides ran.
// NOTE: with SampleUnit::kProcess, one file per side gives n = 1 + 1, whose smallest p is 0.5:
// such a comparison can never warn or fail. Give one file per process and round.
Result<Comparison> CompareFiles(const std::vector<std::string>& base,
                                const std::vector<std::string>& head,
                                const CompareOptions& options);

// The counted stage: reads the counts files of both sides (ReadCountsFile's errors) and compares
// every benchmark both hold on "instructions" and "estimated_cycles" (see the overview).
Result<Comparison> CompareCountFiles(const std::string& base, const std::string& head,
                                     const CompareOptions& options);

// Adds the counted rows to `timed` and caps the timed FAIL rows of every benchmark that was
// counted at WARN (`capped`); benchmarks only one side counted are listed as new or missing
// unless `timed` already lists them.
void AddCounts(Comparison& timed, const Comparison& counted);

// Folds the comparison of a re-run into `first`: each FAIL row of `first` records the re-run's
// verdict for the same benchmark and metric. A FAIL row that the re-run lacks stays a failure.
// Rows are sorted again: confirmed failures first.
void ApplyRerun(Comparison& first, const Comparison& rerun);

// True when a row is FAIL and, after ApplyRerun, the re-run failed too (or lacked it, as a
// re-run of times lacks every counted row: a counted FAIL stands).
bool IsConfirmedFailure(const Comparison& comparison, const MetricComparison& row);

// True when any row is a confirmed failure: the gate's exit status 1.
bool HasFailure(const Comparison& comparison);

// The distinct benchmark names with a confirmed failure, in report order: what to re-run.
std::vector<std::string> FailingBenchmarks(const Comparison& comparison);

// A --benchmark_filter value that selects exactly `names`: "^(BM_A/8|BM_B)$", with regular
// expression characters escaped. Empty when `names` is empty.
std::string BenchmarkFilterRegex(const std::vector<std::string>& names);

// The smallest p each row's sample sizes can reach, for the rows whose sizes cannot reach the
// WARN threshold (or, failing that, the FAIL threshold): one line per sample size, in report
// order, "n=3+3 cannot reach p < 0.05: smallest possible p = 0.05 (BM_A, BM_B)."
std::vector<std::string> UnderpoweredNotes(const Comparison& comparison);

// The pull-request comment: the hidden marker line "<!-- wyckoff-bench-gate -->", a summary
// line, the table (benchmark, n, repetitions, base median, head median, change, p-value,
// verdict), the geometric mean, and notes: sample sizes that cannot reach a threshold,
// missing and skipped benchmarks, the method.
std::string ToMarkdown(const Comparison& comparison);

// The same report as an aligned plain-text table for terminals.
std::string ToText(const Comparison& comparison);

// The marker that lets the workflow find and update its own comment.
inline constexpr const char* kMarkdownMarker = "<!-- wyckoff-bench-gate -->";

// `wyckoff bench compare`, parsed. Flags: --base F..., --head F..., --rerun-base F...,
// --rerun-head F..., --counted-base F, --counted-head F, --markdown OUT, --failing-filter-out
// OUT, and optionally the thresholds.
struct CompareCommand {
  std::vector<std::string> base_files;
  std::vector<std::string> head_files;
  // Results of re-running the failing benchmarks; both empty when there was no re-run.
  std::vector<std::string> rerun_base_files;
  std::vector<std::string> rerun_head_files;
  // The counted stage's files (scripts/bench-count.sh); both or neither. With them, --base
  // and --head may be left out: a comparison of the counts alone.
  std::string counted_base_path;
  std::string counted_head_path;
  std::string markdown_path;        // when not empty, ToMarkdown is written here
  std::string failing_filter_path;  // when not empty, BenchmarkFilterRegex of the failures
  CompareOptions options;
};

// Runs the command: prints ToText to `out`, writes the optional files. Returns 0 (no confirmed
// failure; WARN passes), 1 (a confirmed FAIL) or 2 (bad input or an unwritable output file,
// with one line on `err` naming the file and the reason).
int RunCompareCommand(const CompareCommand& command, std::ostream& out, std::ostream& err);

}  // namespace wyckoff::gate
