// `wyckoff bench ratchet`: raises the regression floors of benchmarks/budgets.json from the
// suite's results on the CI runner class. It never lowers them: a slower run leaves them as
// they are, and only an edit by hand can loosen one.
//
//   wyckoff bench ratchet build/release/bench/*.json --runner-class github-ubuntu-latest
//   # BM_Backtest_SmaCross (bars_per_second): regression floor raised from >= 15.0M to >= 16.9M
//   #   (measured 21.2M, margin 20%)
//   # Ratchet: 1 regression floor raised, 24 unchanged (6 not run); runner class
//   #   "github-ubuntu-latest", margin 20%; wrote benchmarks/budgets.json.
//
// Rule, for each budget that names one benchmark (patterns have no regression floor) and whose
// benchmark was measured (the median, as the budget checker measures it):
// - the candidate is the measurement less the margin: measured x (1 - margin) for
//   higher-is-better metrics, measured x (1 + margin) for times and lower-is-better counters,
//   rounded to 3 significant digits away from the measurement (so it reads as the files do);
// - it is capped at the target: a regression floor never asks for more than the target;
// - it is dropped when it would not be tighter than the floor, which already says more;
// - it is written when the budget has no regression floor yet, or when it is tighter than the
//   one it has.
// Budgets whose benchmark did not run are left alone and listed.
//
// The file keeps its layout: fields in their order (a new regression_floor goes just before
// "target"), two-space indentation, large whole numbers in engineering notation (30e6).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "wyckoff/gate/budgets.h"
#include "wyckoff/core/error.h"

namespace wyckoff::gate {

// What the ratchet does with one budget.
struct RatchetRow {
  std::size_t budget = 0;  // index in BudgetFile::budgets
  std::string benchmark;
  std::string metric;  // as the budget report labels it: "real_time / 100"
  bool is_time = true;
  bool higher_is_better = false;
  std::optional<double> measured;  // nullopt: the benchmark did not run
  std::optional<double> before;    // the regression floor it had
  std::optional<double> after;     // the one it gets (== before when unchanged)
  bool capped_at_target = false;

  // True when `after` is a new or tighter regression floor.
  bool Changed() const { return after && (!before || *after != *before); }
};

struct RatchetPlan {
  std::vector<RatchetRow> rows;   // every budget that names one benchmark, in file order
  RegressionSettings regression;  // what the file says after the ratchet
  bool settings_changed = false;  // the "regression" object is new or its margin changed
};

// The ratchet of `file`'s budgets from `report` (CheckBudgetFiles of the same file), for
// `regression`'s runner class and margin. See the overview for the rule.
RatchetPlan PlanRatchet(const BudgetFile& file, const BudgetReport& report,
                        const RegressionSettings& regression);

// `text` (the budgets file that `plan` was made from; `source` names it in errors) with the
// plan's regression floors and "regression" object written in. Errors: `text` is not a JSON
// object with a "budgets" array as long as the plan expects.
Result<std::string> ApplyRatchet(const std::string& text, const std::string& source,
                                         const RatchetPlan& plan);

// A line per changed regression floor ("BM_A (real_time): regression floor set to <= 1.20 us
// (measured 1.00 us, margin 20%)"), the budgets that did not run, and a summary line that ends
// with `written` ("wrote PATH", or "PATH not changed").
std::string ToText(const RatchetPlan& plan, const std::string& written);

// `wyckoff bench ratchet RESULTS.json...`, parsed. Flags: --budgets FILE, --runner-class NAME
// (required), --margin FRACTION.
struct RatchetCommand {
  std::vector<std::string> results_files;
  std::string budgets_path = "benchmarks/budgets.json";
  std::string runner_class;
  std::optional<double> margin;  // default: the file's, else 0.2
};

// Runs the command: rewrites the budgets file when anything changed and prints ToText to `out`.
// Returns 0, or 2 on bad input (one line on `err`): no runner class, a runner class other than
// the file's, a margin outside [0, 1), unreadable results or budgets, an unwritable file.
int RunRatchetCommand(const RatchetCommand& command, std::ostream& out, std::ostream& err);

}  // namespace wyckoff::gate
