#include "wyckoff/gate/ratchet.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "results_json_builder.h"

namespace wyckoff::gate {
namespace {

using test_support::ReadFile;
using test_support::ResultsJson;
using test_support::ScratchFolder;

// One budget for each case of the rule; laid out as the ratchet writes files.
constexpr const char* kBudgets = R"({
  "description": "ratchet test",
  "budgets": [
    {
      "benchmark": "BM_A",
      "floor": "1 ms",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_B",
      "metric": "bars_per_second",
      "floor": 100,
      "regression_floor": 15e6,
      "target": 30e6
    },
    {
      "benchmark": "BM_C",
      "floor": "1 ms",
      "regression_floor": "900 ns",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_D",
      "floor": "1 ms",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_E",
      "floor": "1 us"
    },
    {
      "benchmark": "BM_F",
      "floor": "1 s"
    },
    {
      "pattern": "BM_P.*",
      "floor": "1 s"
    }
  ]
}
)";

// Results of one run: BM_A at `a_ns`, BM_B at 21.2M bars/s, BM_C 1 us, BM_D 30 ns, BM_E 900 ns,
// BM_P1 5 ns; BM_F did not run.
std::string Results(const ScratchFolder& scratch, const std::string& name, double a_ns) {
  ResultsJson results;
  results.Samples("BM_A", {a_ns * 0.99, a_ns, a_ns * 1.01})
      .Sample("BM_B", 1, "ms", {{"bars_per_second", 21.2e6}})
      .Samples("BM_C", {1000})
      .Samples("BM_D", {30})
      .Samples("BM_E", {900})
      .Samples("BM_P1", {5});
  return scratch.Write(name, results.Text());
}

// The command on one results file against `budgets`, for runner class ci-small.
int Ratchet(const std::string& results, const std::string& budgets, std::ostream& out,
            std::ostream& err, const std::string& runner_class = "ci-small") {
  RatchetCommand command;
  command.results_files = {results};
  command.budgets_path = budgets;
  command.runner_class = runner_class;
  return RunRatchetCommand(command, out, err);
}

TEST(RatchetTest, SetsAndRaisesRegressionFloorsAndSaysWhat) {
  ScratchFolder scratch;
  const std::string budgets = scratch.Write("budgets.json", kBudgets);
  std::ostringstream out, err;

  const int exit_code = Ratchet(Results(scratch, "run.json", 1000), budgets, out, err);

  // Margin 20% (the default). BM_A: 1 us x 1.2 = 1.20 us, new. BM_B: 21.2M x 0.8 = 16.96M,
  // rounded down to 16.9M, tighter than 15M. BM_C: 1.20 us would be looser than its 900 ns:
  // kept. BM_D: 36 ns would be tighter than the 50 ns target: capped there. BM_E: 1.08 us
  // would be looser than its 1 us floor: none. BM_F did not run; patterns have none.
  EXPECT_EQ(exit_code, 0) << err.str();
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str(),
            "BM_A (real_time): regression floor set to <= 1.20 us (measured 1.00 us, margin "
            "20%)\n"
            "BM_B (bars_per_second): regression floor raised from >= 15.0M to >= 16.9M "
            "(measured 21.2M, margin 20%)\n"
            "BM_D (real_time): regression floor set to <= 50.0 ns (measured 30.0 ns, margin 20%, "
            "capped at the target)\n"
            "Not run, so unchanged: BM_F (real_time).\n"
            "Ratchet: 3 regression floors raised, 3 unchanged (1 not run); runner class "
            "\"ci-small\", margin 20%; wrote " +
                budgets + ".\n");
  EXPECT_EQ(ReadFile(budgets), R"({
  "description": "ratchet test",
  "regression": {
    "runner_class": "ci-small",
    "margin": 0.2
  },
  "budgets": [
    {
      "benchmark": "BM_A",
      "floor": "1 ms",
      "regression_floor": "1.20 us",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_B",
      "metric": "bars_per_second",
      "floor": 100,
      "regression_floor": 16.9e6,
      "target": 30e6
    },
    {
      "benchmark": "BM_C",
      "floor": "1 ms",
      "regression_floor": "900 ns",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_D",
      "floor": "1 ms",
      "regression_floor": "50.0 ns",
      "target": "50 ns"
    },
    {
      "benchmark": "BM_E",
      "floor": "1 us"
    },
    {
      "benchmark": "BM_F",
      "floor": "1 s"
    },
    {
      "pattern": "BM_P.*",
      "floor": "1 s"
    }
  ]
}
)");
}

TEST(RatchetTest, NeverLowersARegressionFloor) {
  ScratchFolder scratch;
  const std::string budgets = scratch.Write("budgets.json", kBudgets);
  std::ostringstream first_out, again_out, slower_out, faster_out, err;
  Ratchet(Results(scratch, "run.json", 1000), budgets, first_out, err);
  const std::string after_first = ReadFile(budgets);

  const int again = Ratchet(Results(scratch, "again.json", 1000), budgets, again_out, err);
  const int slower = Ratchet(Results(scratch, "slower.json", 2000), budgets, slower_out, err);
  const std::string after_slower = ReadFile(budgets);
  const int faster = Ratchet(Results(scratch, "faster.json", 800), budgets, faster_out, err);

  // The same run changes nothing; a slower one (2 us: 2.40 us) leaves BM_A's 1.20 us; a
  // faster one (800 ns: 960 ns) raises it.
  EXPECT_EQ(again, 0);
  EXPECT_EQ(slower, 0);
  EXPECT_EQ(faster, 0);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(again_out.str(),
            "Not run, so unchanged: BM_F (real_time).\n"
            "Ratchet: 0 regression floors raised, 6 unchanged (1 not run); runner class "
            "\"ci-small\", margin 20%; " +
                budgets + " not changed.\n");
  EXPECT_EQ(after_slower, after_first);
  EXPECT_EQ(faster_out.str().substr(0, faster_out.str().find('\n')),
            "BM_A (real_time): regression floor raised from <= 1.20 us to <= 960 ns (measured "
            "800 ns, margin 20%)");
  EXPECT_NE(ReadFile(budgets).find("\"regression_floor\": \"960 ns\","), std::string::npos);
}

TEST(RatchetTest, RefusesResultsOfAnotherRunnerClass) {
  ScratchFolder scratch;
  const std::string budgets = scratch.Write("budgets.json", kBudgets);
  const std::string results = Results(scratch, "run.json", 1000);
  std::ostringstream out, err, laptop_out, laptop_err, none_out, none_err;
  Ratchet(results, budgets, out, err);
  const std::string before = ReadFile(budgets);

  const int laptop = Ratchet(results, budgets, laptop_out, laptop_err, "laptop");
  const int none = Ratchet(results, budgets, none_out, none_err, "");

  EXPECT_EQ(laptop, 2);
  EXPECT_EQ(laptop_err.str(), "wyckoff bench ratchet: " + budgets +
                                  ": its regression floors were measured on runner class "
                                  "\"ci-small\", not \"laptop\"\n");
  EXPECT_EQ(laptop_out.str(), "");
  EXPECT_EQ(none, 2);
  EXPECT_EQ(none_err.str(),
            "wyckoff bench ratchet: give --runner-class, the class of machine the results come "
            "from\n");
  EXPECT_EQ(ReadFile(budgets), before);
}

TEST(RatchetTest, MarginComesFromTheCommandThenTheFile) {
  ScratchFolder scratch;
  const std::string budgets = scratch.Write("budgets.json", kBudgets);
  RatchetCommand command;
  command.results_files = {Results(scratch, "run.json", 1000)};
  command.budgets_path = budgets;
  command.runner_class = "ci-small";
  command.margin = 0.5;
  std::ostringstream out, err, bad_out, bad_err;

  const int exit_code = RunRatchetCommand(command, out, err);
  command.margin = 1.5;
  const int bad = RunRatchetCommand(command, bad_out, bad_err);

  EXPECT_EQ(exit_code, 0) << err.str();
  EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
            "BM_A (real_time): regression floor set to <= 1.50 us (measured 1.00 us, margin 50%)");
  EXPECT_NE(ReadFile(budgets).find("\"margin\": 0.5\n"), std::string::npos);
  EXPECT_EQ(bad, 2);
  EXPECT_EQ(bad_err.str(), "wyckoff bench ratchet: --margin 1.5 is not in [0, 1)\n");
}

TEST(RatchetTest, ApplyKeepsTheLayoutOfEveryValue) {
  const std::string text = R"({
  "description": "layout \"quoted\" text",
  "budgets": [
    {
      "benchmark": "BM_A",
      "metric": "p99_ns",
      "better": "lower",
      "floor": 1e9,
      "target": 2000,
      "requirement": "numbers"
    },
    {
      "benchmark": "BM_B",
      "per": 100,
      "floor": "0.5 s",
      "target": 300e3
    }
  ]
}
)";
  const RatchetPlan unchanged{.rows = {}, .regression = {"ci", 0.25}, .settings_changed = true};

  Result<std::string> applied = ApplyRatchet(text, "b.json", unchanged);

  ASSERT_TRUE(applied.has_value()) << applied.error().message;
  std::string expected = text;
  expected.insert(
      expected.find("  \"budgets\""),
      "  \"regression\": {\n    \"runner_class\": \"ci\",\n    \"margin\": 0.25\n  },\n");
  EXPECT_EQ(*applied, expected);
  EXPECT_EQ(ApplyRatchet("[1]", "b.json", unchanged).error().message,
            "b.json: no \"budgets\" array");
}

}  // namespace
}  // namespace wyckoff::gate
