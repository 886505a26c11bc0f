// The budget checker behind `wyckoff bench budgets`: the suite's results against the levels of
// benchmarks/budgets.json. Three levels per budget, from the loosest:
//
// - floor: the product's requirement. Missing it fails.
// - regression floor: the last accepted measurement on the CI runner class, minus a margin
//   (`wyckoff bench ratchet`, ratchet.h, raises it; nothing lowers it). Missing it fails on
//   that runner class (--runner-class); elsewhere it is shown, not enforced.
// - target: this project's aim. Reported only.
//
// A budgeted benchmark that did not run (absent, skipped with an error, no counter) fails too,
// unless its budget says "needs": "database" and the run had no database configured: that row
// is NO DATABASE, listed, not a failure.
//
//   Result<BudgetFile> budgets = ReadBudgetsFile("benchmarks/budgets.json");
//   Result<BudgetReport> report = CheckBudgetFiles({"results.json"}, *budgets,
//                                                  {.runner_class = "github-ubuntu-latest"});
//   std::cout << ToText(*report);        // format.cc: the summary, the table, the notes
//   return HasFailure(*report) ? 1 : 0;
//
// budgets.json:
//
//   {
//     "description": "free text",
//     "regression": { "runner_class": "github-ubuntu-latest", "margin": 0.2 },
//     "budgets": [
//       { "benchmark": "BM_Backtest_SmaCross", "metric": "bars_per_second",
//         "floor": 100, "regression_floor": 16.9e6, "target": 30e6,
//         "requirement": "NFR7, sma-cross, one symbol" },
//       { "benchmark": "BM_Spring_100Bars", "metric": "real_time", "per": 100,
//         "floor": "200 ms", "target": "50 ns", "requirement": "Spring detection, per bar" },
//       { "pattern": "BM_Db_Ohlcv.*", "floor": "50 ms", "target": "1 ms", "needs": "database" }
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
// - "floor", "target": at least one; "regression_floor": optional, not on a pattern. For times,
//   a duration text: "50 ms", "2 us", "30 min" (units ns, us, ms, s, min); for counters, a
//   number.
// - "needs": "database": the benchmark runs only against PostgreSQL.
// - "requirement": free text, where the numbers come from.
// The top-level "regression" object names the runner class the regression floors were measured
// on ("runner_class", a free name) and the ratchet's margin ("margin", a fraction in [0, 1)).
//
// Measured value: the median over every per-repetition sample (or, for a file written with
// --benchmark_report_aggregates_only, the median aggregates). A value equal to a level meets it.
// Verdicts, failures first: MISSES FLOOR; MISSES REGRESSION FLOOR (enforced only); NOT RUN;
// then MEETS TARGET; MEETS FLOOR (and misses the target); MISSES TARGET (no floor is set and
// the target is missed); NO DATABASE.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::gate {

struct Budget {
  std::string benchmark;  // exact name; empty when `pattern` is set
  std::string pattern;    // whole-name ECMAScript regex; empty when `benchmark` is set
  std::string metric = "real_time";
  bool higher_is_better = false;
  double per = 1;               // items per iteration (times only)
  std::string per_counter;      // or the counter that holds it
  std::optional<double> floor;  // nanoseconds per item for times; counter units otherwise
  std::optional<double> regression_floor;
  std::optional<double> target;
  bool needs_database = false;  // "needs": "database"
  std::string requirement;

  // True for real_time and cpu_time.
  bool IsTime() const { return metric == "real_time" || metric == "cpu_time"; }
};

// The regression floors' provenance: budgets.json's "regression" object.
struct RegressionSettings {
  std::string runner_class;  // where they were measured; "" while the file has none
  double margin = 0.2;       // the ratchet's allowance below the measurement (0.2 is 20%)
};

// A parsed budgets.json.
struct BudgetFile {
  std::vector<Budget> budgets;  // in file order
  RegressionSettings regression;
};

// Failures first (see the overview).
enum class BudgetVerdict {
  kMissesFloor,
  kMissesRegressionFloor,
  kNotRun,
  kMeetsTarget,
  kMeetsFloor,
  kMissesTarget,
  kNoDatabase,
};

// "MISSES FLOOR", "MISSES REGRESSION FLOOR", "NOT RUN", "MEETS TARGET", "MEETS FLOOR",
// "MISSES TARGET", "NO DATABASE".
const char* BudgetVerdictName(BudgetVerdict verdict);

// True for the verdicts that fail the check: MISSES FLOOR, MISSES REGRESSION FLOOR, NOT RUN.
bool IsFailure(BudgetVerdict verdict);

// One budget applied to one benchmark.
struct BudgetRow {
  std::string benchmark;  // the benchmark's name; the budget's name or pattern when not run
  std::string metric;     // "real_time", "real_time / 100", "real_time / bars", a counter
  bool is_time = true;
  bool higher_is_better = false;
  std::optional<double> measured;  // in the budget's units (ns per item for times)
  std::optional<double> floor;
  std::optional<double> regression_floor;
  std::optional<double> target;
  BudgetVerdict verdict = BudgetVerdict::kNotRun;
  std::string note;           // why NOT RUN or NO DATABASE
  std::size_t budget = 0;     // the index of its budget in BudgetFile::budgets
  bool from_pattern = false;  // the budget is a pattern
};

struct BudgetReport {
  std::vector<BudgetRow> rows;          // in budgets-file order
  std::vector<std::string> unbudgeted;  // benchmarks in the results that no budget covers
  RegressionSettings regression;        // the budgets file's
  std::string runner_class;             // this run's (BudgetCheckOptions)
  bool regression_enforced = false;     // runner_class is the regression floors' runner class
  bool database_configured = true;      // BudgetCheckOptions
  std::string filter;                   // BudgetCheckOptions
  std::size_t unselected = 0;           // rows left out by the filter
};

// What the run that produced the results had.
struct BudgetCheckOptions {
  // False: the run had no database, so budgets with "needs": "database" whose benchmark did
  // not run are NO DATABASE, not NOT RUN.
  bool database_configured = true;
  // The runner class of the machine that ran the suite; regression floors are enforced when it
  // equals the budgets file's regression.runner_class (and is not empty).
  std::string runner_class;
  // The --benchmark_filter the run used, when it ran only some benchmarks: budgets whose
  // benchmark it does not select are left out (counted in BudgetReport::unselected) instead of
  // failing as NOT RUN. Google Benchmark's syntax: a regex searched in the name; a leading '-'
  // selects the names it does not find. Empty: every budget counts.
  std::string filter;
};

// Parses budgets.json text; `source` names it in errors: "benchmarks/budgets.json:
// budgets[3]: unknown field \"flor\"". Errors: not JSON, no "budgets" array, a budget without
// exactly one of benchmark/pattern, an invalid pattern, an unknown field or metric value, a
// counter without "better" that does not end in per_second, "per" on a counter or not
// positive, a time level that is not a duration text (or a counter's that is not a number), a
// budget with neither floor nor target, a regression floor on a pattern, "needs" other than
// "database", a "regression" object with unknown fields, an empty runner class or a margin
// outside [0, 1).
Result<BudgetFile> ParseBudgets(std::string_view text, const std::string& source);

// Reads and parses a budgets file; also fails when it cannot be read.
Result<BudgetFile> ReadBudgetsFile(const std::string& path);

// Parses a duration text, "50 ms" or "1.5s", into nanoseconds; nullopt when it is not one.
std::optional<double> ParseDuration(std::string_view text);

// Reads the suite's result files (every repetition pooled by benchmark name) and applies every
// budget. Errors name the result file and the reason, as CompareFiles does, or the filter when
// it is not a valid regular expression.
Result<BudgetReport> CheckBudgetFiles(const std::vector<std::string>& results_files,
                                      const BudgetFile& budgets,
                                      const BudgetCheckOptions& options = {});

// True when any row misses its floor.
bool MissesAnyFloor(const BudgetReport& report);

// True when any row is a failure (IsFailure): the checker's exit status 1.
bool HasFailure(const BudgetReport& report);

// A summary line and an aligned table (benchmark, metric, measured, floor, regression floor,
// target, verdict), then notes: why budgeted benchmarks did not run, budgets left for want of
// a database, regression floors not enforced on this runner, benchmarks without a budget.
std::string ToText(const BudgetReport& report);

// The same as a Markdown table.
std::string ToMarkdown(const BudgetReport& report);

// `wyckoff bench budgets`, parsed. Flags: --results F..., --budgets FILE, --markdown OUT,
// --no-database, --runner-class NAME, --filter REGEX.
struct BudgetCommand {
  std::vector<std::string> results_files;
  std::string budgets_path = "benchmarks/budgets.json";
  std::string markdown_path;  // when not empty, ToMarkdown is written here
  BudgetCheckOptions options;
};

// Runs the command: prints ToText to `out`. Returns 0 (no failure), 1 (a floor or an enforced
// regression floor missed, or a budgeted benchmark not run) or 2 (bad input: one line on `err`
// naming the file and the reason).
int RunBudgetCommand(const BudgetCommand& command, std::ostream& out, std::ostream& err);

}  // namespace wyckoff::gate
