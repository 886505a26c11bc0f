// The budget checker behind `wyckoff bench budgets`: the suite's results against the floors
// (requirements: missing one fails) and targets (this project's aims: reported only) in
// benchmarks/budgets.json.
//
//   Result<std::vector<Budget>> budgets = ReadBudgetsFile("benchmarks/budgets.json");
//   Result<BudgetReport> report = CheckBudgetFiles({"results.json"}, *budgets);
//   std::cout << ToText(*report);        // benchmark, metric, measured, floor, target, verdict
//   return MissesAnyFloor(*report) ? 1 : 0;
//
// budgets.json:
//
//   {
//     "description": "free text",
//     "budgets": [
//       { "benchmark": "BM_Backtest_SmaCross", "metric": "bars_per_second",
//         "floor": 100, "target": 30e6, "requirement": "NFR7, sma-cross, one symbol" },
//       { "benchmark": "BM_Spring_100Bars", "metric": "real_time", "per": 100,
//         "floor": "200 ms", "target": "50 ns", "requirement": "Spring detection, per bar" },
//       { "pattern": "BM_Db_Ohlcv.*", "floor": "50 ms", "target": "1 ms" }
//     ]
//   }
//
// Fields of a budget (any other field is an error, to catch typos):
// - "benchmark": the exact Google Benchmark name; or "pattern": an ECMAScript regular
//   expression that must match the whole name. A pattern gives one row per matching benchmark.
// - "metric": "real_time" (the default) or "cpu_time", time per iteration; or the name of a
//   user counter such as "bars_per_second".
// - "better": "higher" or "lower"; counters only. Defaults to "higher" for names ending in
//   "per_second" and is required for other counters. Times are always lower-is-better.
// - "per": times only: the items one iteration processes, to budget time per item (a bar, an
//   order): a number, or the name of a counter holding it (its median is used).
// - "floor", "target": at least one. For times, a duration text: "50 ms", "2 us", "30 min"
//   (units ns, us, ms, s, min); for counters, a number.
// - "requirement": free text, where the numbers come from.
//
// Measured value: the median over every per-repetition sample (or, for a file written with
// --benchmark_report_aggregates_only, the median aggregates). A value equal to a floor or
// target meets it. Verdicts: MISSES FLOOR (the only failure); MEETS TARGET; MEETS FLOOR (and
// misses the target); MISSES TARGET (no floor is set and the target is missed); NOT RUN (the
// benchmark or its counter is not in the results, or it was skipped with an error).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::benchmarks {

struct Budget {
  std::string benchmark;  // exact name; empty when `pattern` is set
  std::string pattern;    // whole-name ECMAScript regex; empty when `benchmark` is set
  std::string metric = "real_time";
  bool higher_is_better = false;
  double per = 1;               // items per iteration (times only)
  std::string per_counter;      // or the counter that holds it
  std::optional<double> floor;  // nanoseconds per item for times; counter units otherwise
  std::optional<double> target;
  std::string requirement;

  // True for real_time and cpu_time.
  bool IsTime() const { return metric == "real_time" || metric == "cpu_time"; }
};

enum class BudgetVerdict { kMissesFloor, kMeetsTarget, kMeetsFloor, kMissesTarget, kNotRun };

// "MISSES FLOOR", "MEETS TARGET", "MEETS FLOOR", "MISSES TARGET", "NOT RUN".
const char* BudgetVerdictName(BudgetVerdict verdict);

// One budget applied to one benchmark.
struct BudgetRow {
  std::string benchmark;  // the benchmark's name; the budget's name or pattern when not run
  std::string metric;     // "real_time", "real_time / 100", "real_time / bars", a counter
  bool is_time = true;
  bool higher_is_better = false;
  std::optional<double> measured;  // in the budget's units (ns per item for times)
  std::optional<double> floor;
  std::optional<double> target;
  BudgetVerdict verdict = BudgetVerdict::kNotRun;
  std::string note;  // why NOT RUN
};

struct BudgetReport {
  std::vector<BudgetRow> rows;          // in budgets-file order
  std::vector<std::string> unbudgeted;  // benchmarks in the results that no budget covers
};

// Parses budgets.json text; `source` names it in errors: "benchmarks/budgets.json:
// budgets[3]: unknown field \"flor\"". Errors: not JSON, no "budgets" array, a budget without
// exactly one of benchmark/pattern, an invalid pattern, an unknown field or metric value, a
// counter without "better" that does not end in per_second, "per" on a counter or not
// positive, a time floor/target that is not a duration text (or a counter's that is not a
// number), a budget with neither floor nor target.
Result<std::vector<Budget>> ParseBudgets(std::string_view text, const std::string& source);

// Reads and parses a budgets file; also fails when it cannot be read.
Result<std::vector<Budget>> ReadBudgetsFile(const std::string& path);

// Parses a duration text, "50 ms" or "1.5s", into nanoseconds; nullopt when it is not one.
std::optional<double> ParseDuration(std::string_view text);

// Reads the suite's result files (pooled by benchmark name, as the comparator does) and
// applies every budget. Errors name the result file and the reason, as CompareFiles does.
Result<BudgetReport> CheckBudgetFiles(const std::vector<std::string>& results_files,
                                      const std::vector<Budget>& budgets);

// True when any row misses its floor: the checker's exit status 1.
bool MissesAnyFloor(const BudgetReport& report);

// A summary line and an aligned table (benchmark, metric, measured, floor, target, verdict),
// then notes on skipped benchmarks and on benchmarks without a budget.
std::string ToText(const BudgetReport& report);

// The same as a Markdown table.
std::string ToMarkdown(const BudgetReport& report);

// `wyckoff bench budgets`, parsed. Flags: --results F..., --budgets FILE, --markdown OUT.
struct BudgetCommand {
  std::vector<std::string> results_files;
  std::string budgets_path = "benchmarks/budgets.json";
  std::string markdown_path;  // when not empty, ToMarkdown is written here
};

// Runs the command: prints ToText to `out`. Returns 0 (every floor met), 1 (a floor missed)
// or 2 (bad input: one line on `err` naming the file and the reason).
int RunBudgetCommand(const BudgetCommand& command, std::ostream& out, std::ostream& err);

}  // namespace wyckoff::benchmarks
