#include "wyckoff/gate/budgets.h"

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

// One budget of each kind, for the results of SuiteResults() below.
constexpr const char* kBudgets = R"({
  "description": "test budgets",
  "regression": { "runner_class": "ci-small", "margin": 0.25 },
  "budgets": [
    { "benchmark": "BM_Fast", "floor": "1 ms", "target": "50 ns" },
    { "benchmark": "BM_Mid", "floor": "1 ms", "regression_floor": "1.5 us", "target": "50 ns" },
    { "benchmark": "BM_Slow", "floor": "1 ms", "target": "50 ns", "requirement": "NFR0" },
    { "benchmark": "BM_Rate", "metric": "bars_per_second", "floor": 100,
      "regression_floor": 4e6, "target": 30e6 },
    { "benchmark": "BM_PerBar", "per": 100, "floor": "200 ms", "target": "50 ns" },
    { "benchmark": "BM_Missing", "floor": "1 s" },
    { "benchmark": "BM_Copy", "metric": "rows_per_second", "target": 300e3, "needs": "database" },
    { "pattern": "BM_Db_.*", "floor": "50 ms", "target": "1 ms", "needs": "database" },
    { "pattern": "BM_Nothing_.*", "floor": "1 s" }
  ]
})";

std::string SuiteResults(const ScratchFolder& scratch) {
  ResultsJson results;
  results.Samples("BM_Fast", {40, 41, 39})
      .Samples("BM_Mid", {2, 2.1, 1.9}, "us")
      .Samples("BM_Slow", {2, 2.5, 1.5}, "ms")
      .Sample("BM_Rate", 10, "us", {{"bars_per_second", 5e6}})
      .Sample("BM_Rate", 10, "us", {{"bars_per_second", 4e6}})
      .Sample("BM_Rate", 10, "us", {{"bars_per_second", 6e6}})
      .Samples("BM_PerBar", {5000, 5000})  // 5 us for 100 bars: 50 ns per bar, on the target
      .Sample("BM_Copy", 1, "s", {{"rows_per_second", 250e3}})
      .Samples("BM_Db_Insert", {10}, "ms")
      .Error("BM_Db_Query", "no database configured")
      .Samples("BM_Extra", {1});
  return scratch.Write("results.json", results.Text());
}

TEST(BudgetsTest, ParsesEveryField) {
  Result<BudgetFile> file = ParseBudgets(kBudgets, "budgets.json");

  ASSERT_TRUE(file.has_value()) << file.error().message;
  const std::vector<Budget>& budgets = file->budgets;
  ASSERT_EQ(budgets.size(), 9u);
  EXPECT_EQ(file->regression.runner_class, "ci-small");
  EXPECT_EQ(file->regression.margin, 0.25);
  const Budget& rate = budgets[3];
  EXPECT_EQ(rate.benchmark, "BM_Rate");
  EXPECT_EQ(rate.metric, "bars_per_second");
  EXPECT_TRUE(rate.higher_is_better);
  EXPECT_EQ(rate.floor, 100);
  EXPECT_EQ(rate.regression_floor, 4e6);
  EXPECT_EQ(rate.target, 30e6);
  const Budget& per_bar = budgets[4];
  EXPECT_EQ(per_bar.metric, "real_time");
  EXPECT_FALSE(per_bar.higher_is_better);
  EXPECT_EQ(per_bar.per, 100);
  EXPECT_EQ(per_bar.floor, 200e6);
  EXPECT_EQ(per_bar.target, 50);
  EXPECT_FALSE(per_bar.regression_floor.has_value());
  EXPECT_EQ(budgets[1].regression_floor, 1500);
  EXPECT_EQ(budgets[2].requirement, "NFR0");
  EXPECT_EQ(budgets[7].pattern, "BM_Db_.*");
  EXPECT_TRUE(budgets[7].needs_database);
  EXPECT_FALSE(budgets[5].needs_database);
  EXPECT_FALSE(budgets[6].floor.has_value());
}

TEST(BudgetsTest, ReportsEachVerdictInAnExactTable) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  Result<BudgetFile> budgets = ParseBudgets(kBudgets, "budgets.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles({results}, *budgets);

  // A database was configured (the default), so BM_Db_Query, which skipped for want of one,
  // did not run: a failure like BM_Missing's. No runner class: the regression floors show but
  // do not count (BM_Mid's 2 us is above its 1.5 us).
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(MissesAnyFloor(*report));
  EXPECT_TRUE(gate::HasFailure(*report));
  EXPECT_EQ(ToText(*report),
            "Budgets: FAIL. 1 missed the floor, 0 missed the regression floor, 3 not run, 2 meet "
            "the target, 3 meet the floor only, 1 miss a target (no floor), 0 left without a "
            "database.\n"
            "\n"
            "benchmark      metric           measured       floor  regression floor      target"
            "  verdict\n"
            "BM_Fast        real_time         40.0 ns  <= 1.00 ms                 -  <= 50.0 ns"
            "  MEETS TARGET\n"
            "BM_Mid         real_time         2.00 us  <= 1.00 ms        <= 1.50 us  <= 50.0 ns"
            "  MEETS FLOOR\n"
            "BM_Slow        real_time         2.00 ms  <= 1.00 ms                 -  <= 50.0 ns"
            "  MISSES FLOOR\n"
            "BM_Rate        bars_per_second     5.00M      >= 100          >= 4.00M    >= 30.0M"
            "  MEETS FLOOR\n"
            "BM_PerBar      real_time / 100   50.0 ns   <= 200 ms                 -  <= 50.0 ns"
            "  MEETS TARGET\n"
            "BM_Missing     real_time               -   <= 1.00 s                 -           -"
            "  NOT RUN\n"
            "BM_Copy        rows_per_second      250k           -                 -     >= 300k"
            "  MISSES TARGET\n"
            "BM_Db_Insert   real_time         10.0 ms  <= 50.0 ms                 -  <= 1.00 ms"
            "  MEETS FLOOR\n"
            "BM_Db_Query    real_time               -  <= 50.0 ms                 -  <= 1.00 ms"
            "  NOT RUN\n"
            "BM_Nothing_.*  real_time               -   <= 1.00 s                 -           -"
            "  NOT RUN\n"
            "\n"
            "Not run: BM_Missing (real_time): not in the results.\n"
            "Not run: BM_Db_Query (real_time): skipped: no database configured.\n"
            "Not run: BM_Nothing_.* (real_time): no benchmark matches the pattern.\n"
            "Regression floors not enforced: they were measured on runner class \"ci-small\" "
            "and this run names no runner class (--runner-class).\n"
            "No budget: BM_Extra.\n");
}

TEST(BudgetsTest, OnItsRunnerClassWithoutADatabaseRegressionFloorsCountAndDatabaseBudgetsWait) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  Result<BudgetFile> budgets = ParseBudgets(kBudgets, "budgets.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles(
      {results}, *budgets, {.database_configured = false, .runner_class = "ci-small"});

  // BM_Mid misses its regression floor; BM_Db_Query needs a database and the run had none:
  // NO DATABASE, listed, not a failure. BM_Missing and the empty pattern still fail.
  ASSERT_TRUE(report.has_value()) << report.error().message;
  const std::string text = ToText(*report);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "Budgets: FAIL. 1 missed the floor, 1 missed the regression floor, 2 not run, 2 meet "
            "the target, 2 meet the floor only, 1 miss a target (no floor), 1 left without a "
            "database.");
  EXPECT_EQ(report->rows[1].verdict, BudgetVerdict::kMissesRegressionFloor);
  EXPECT_EQ(report->rows[8].benchmark, "BM_Db_Query");
  EXPECT_EQ(report->rows[8].verdict, BudgetVerdict::kNoDatabase);
  EXPECT_NE(text.find("\nBM_Mid         real_time         2.00 us  <= 1.00 ms        <= 1.50 us  "
                      "<= 50.0 ns  MISSES REGRESSION FLOOR\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nNo database configured (--no-database), so these did not run: "
                      "BM_Db_Query.\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Regression floors not enforced"), std::string::npos);
}

TEST(BudgetsTest, BudgetedBenchmarksThatDidNotRunFailEvenWhenTheRestMeetTheirFloors) {
  ScratchFolder scratch;
  const std::string results = scratch.Write(
      "results.json", ResultsJson().Sample("BM_Run", 1, "ms", {{"bars_per_second", 21e6}}).Text());
  Result<BudgetFile> budgets = ParseBudgets(
      R"({"budgets": [
        {"benchmark": "BM_Run", "metric": "bars_per_second", "floor": 100, "target": 30e6},
        {"benchmark": "BM_Forgotten", "floor": "1 s"},
        {"benchmark": "BM_Db_Query", "floor": "1 s", "needs": "database"}]})",
      "b.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> with_database = CheckBudgetFiles({results}, *budgets);
  Result<BudgetReport> without_database =
      CheckBudgetFiles({results}, *budgets, {.database_configured = false});

  ASSERT_TRUE(with_database.has_value()) << with_database.error().message;
  ASSERT_TRUE(without_database.has_value()) << without_database.error().message;
  EXPECT_FALSE(MissesAnyFloor(*with_database));
  EXPECT_TRUE(gate::HasFailure(*with_database));
  EXPECT_EQ(ToText(*with_database).substr(0, ToText(*with_database).find('\n')),
            "Budgets: FAIL. 0 missed the floor, 0 missed the regression floor, 2 not run, 0 meet "
            "the target, 1 meet the floor only, 0 miss a target (no floor), 0 left without a "
            "database.");
  EXPECT_TRUE(gate::HasFailure(*without_database));  // BM_Forgotten needs no database
  EXPECT_EQ(without_database->rows[2].verdict, BudgetVerdict::kNoDatabase);
  EXPECT_EQ(without_database->rows[2].note, "no database configured");
}

// Google Benchmark writes a counter's 0/0 coefficient of variation (a counter that is 0 in
// every repetition) as a bare NaN, and an infinite value as Infinity, which JSON does not
// allow: such a value is no sample, the rest of the file reads as usual, and the same words
// inside strings stay text.
TEST(BudgetsTest, NonFiniteValuesAreNoSamplesAndTheRestReads) {
  ScratchFolder scratch;
  std::string text = ResultsJson()
                         .Sample("BM_Rate", 10, "us", {{"bars_per_second", 5e6}, {"errors", 0.125}})
                         .Sample("BM_Rate", 10, "us", {{"bars_per_second", 5e6}, {"errors", 0.25}})
                         .Error("BM_Db_Query", R"(NaN, -Infinity and \"NaN\" stay text)")
                         .Text();
  text.replace(text.find("0.125"), 5, "NaN");
  text.replace(text.find("0.25"), 4, "-Infinity");
  Result<BudgetFile> budgets = ParseBudgets(kBudgets, "budgets.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles({scratch.Write("results.json", text)}, *budgets);

  ASSERT_TRUE(report.has_value()) << report.error().message;
  ASSERT_EQ(report->rows[3].benchmark, "BM_Rate");
  EXPECT_EQ(report->rows[3].measured, 5e6);
  ASSERT_EQ(report->rows[7].benchmark, "BM_Db_Query");
  EXPECT_EQ(report->rows[7].note, R"(skipped: NaN, -Infinity and "NaN" stay text)");
}

TEST(BudgetsTest, MarkdownTableHasTheSameRows) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  Result<BudgetFile> budgets = ParseBudgets(kBudgets, "budgets.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;
  Result<BudgetReport> report = CheckBudgetFiles({results}, *budgets);
  ASSERT_TRUE(report.has_value()) << report.error().message;

  const std::string markdown = ToMarkdown(*report);

  EXPECT_NE(markdown.find("| benchmark | metric | measured | floor | regression floor | target | "
                          "verdict |\n"
                          "| --- | --- | ---: | ---: | ---: | ---: | --- |\n"
                          "| `BM_Fast` | real_time | 40.0 ns | <= 1.00 ms | - | <= 50.0 ns | MEETS "
                          "TARGET |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| `BM_Slow` | real_time | 2.00 ms | <= 1.00 ms | - | <= 50.0 ns | "
                          "**MISSES FLOOR** |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| `BM_Missing` | real_time | - | <= 1.00 s | - | - | **NOT RUN** |\n"),
            std::string::npos)
      << markdown;
}

TEST(BudgetsTest, FilterLeavesOutTheBudgetsOfBenchmarksItDoesNotSelect) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  Result<BudgetFile> budgets = ParseBudgets(kBudgets, "budgets.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> only_fast = CheckBudgetFiles({results}, *budgets, {.filter = "BM_Fast"});
  Result<BudgetReport> all_but_db = CheckBudgetFiles({results}, *budgets, {.filter = "-BM_Db"});
  Result<BudgetReport> bad = CheckBudgetFiles({results}, *budgets, {.filter = "BM_("});

  // As Google Benchmark reads --benchmark_filter: searched in the name, '-' negates.
  ASSERT_TRUE(only_fast.has_value()) << only_fast.error().message;
  ASSERT_TRUE(all_but_db.has_value()) << all_but_db.error().message;
  ASSERT_EQ(only_fast->rows.size(), 1u);
  EXPECT_EQ(only_fast->unselected, 9u);
  EXPECT_FALSE(gate::HasFailure(*only_fast));
  EXPECT_NE(ToText(*only_fast)
                .find("\nNot checked: 9 budgets of benchmarks outside --filter "
                      "BM_Fast.\n"),
            std::string::npos)
      << ToText(*only_fast);
  EXPECT_EQ(all_but_db->rows.size(), 8u);
  EXPECT_EQ(all_but_db->unselected, 2u);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind("filter \"BM_(\" is not a valid regular expression (", 0),
            0u);
}

TEST(BudgetsTest, FloorsMetAndEveryBudgetRunMeansNoFailure) {
  ScratchFolder scratch;
  const std::string results =
      scratch.Write("results.json", ResultsJson().Samples("BM_Fast", {40}).Text());
  Result<BudgetFile> budgets = ParseBudgets(
      R"({"budgets": [{"benchmark": "BM_Fast", "floor": "1 us"},
                      {"benchmark": "BM_Db_Query", "floor": "1 us", "needs": "database"}]})",
      "b.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report =
      CheckBudgetFiles({results}, *budgets, {.database_configured = false});

  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_FALSE(gate::HasFailure(*report));
  EXPECT_EQ(report->rows[0].verdict, BudgetVerdict::kMeetsFloor);
  EXPECT_EQ(report->rows[1].verdict, BudgetVerdict::kNoDatabase);
  EXPECT_EQ(ToText(*report).substr(0, 14), "Budgets: OK. 0");
}

TEST(BudgetsTest, AggregatesOnlyResultsUseTheirMedians) {
  ScratchFolder scratch;
  ResultsJson results;
  results.Aggregate("BM_Fast", "mean", 900).Aggregate("BM_Fast", "median", 40);
  const std::string file = scratch.Write("results.json", results.Text());
  Result<BudgetFile> budgets =
      ParseBudgets(R"({"budgets": [{"benchmark": "BM_Fast", "target": "50 ns"}]})", "b.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles({file}, *budgets);

  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->rows[0].measured, 40);
  EXPECT_EQ(report->rows[0].verdict, BudgetVerdict::kMeetsTarget);
}

TEST(BudgetsTest, PerCounterDividesByItsMedian) {
  ScratchFolder scratch;
  const std::string file = scratch.Write(
      "results.json", ResultsJson().Sample("BM_Loop", 1000, "ns", {{"bars", 250}}).Text());
  Result<BudgetFile> budgets = ParseBudgets(
      R"({"budgets": [{"benchmark": "BM_Loop", "per": "bars", "target": "4 ns"}]})", "b.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles({file}, *budgets);

  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->rows[0].metric, "real_time / bars");
  EXPECT_EQ(report->rows[0].measured, 4);
  EXPECT_EQ(report->rows[0].verdict, BudgetVerdict::kMeetsTarget);
}

TEST(BudgetsTest, LongDurationsReadInMinutes) {
  ScratchFolder scratch;
  const std::string file =
      scratch.Write("results.json", ResultsJson().Samples("BM_Optimize", {95}, "s").Text());
  Result<BudgetFile> budgets = ParseBudgets(
      R"({"budgets": [{"benchmark": "BM_Optimize", "floor": "30 min", "target": "10 s"}]})",
      "b.json");
  ASSERT_TRUE(budgets.has_value()) << budgets.error().message;

  Result<BudgetReport> report = CheckBudgetFiles({file}, *budgets);

  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_NE(ToText(*report).find("BM_Optimize  real_time    95.0 s  <= 30.0 min                 -  "
                                 "<= 10.0 s  MEETS FLOOR\n"),
            std::string::npos)
      << ToText(*report);
}

TEST(BudgetsTest, BadBudgetsNameTheEntryAndTheReason) {
  auto error_for = [](const std::string& entry) {
    Result<BudgetFile> budgets = ParseBudgets(R"({"budgets": [)" + entry + "]}", "budgets.json");
    return budgets ? std::string("no error") : budgets.error().message;
  };
  auto regression_error_for = [](const std::string& regression) {
    Result<BudgetFile> budgets =
        ParseBudgets(R"({"regression": )" + regression + R"(, "budgets": []})", "budgets.json");
    return budgets ? std::string("no error") : budgets.error().message;
  };

  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "flor": "1 s"})"),
            "budgets.json: budgets[0]: unknown field \"flor\"");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "floor": 5})"),
            "budgets.json: budgets[0]: \"floor\" is 5, not a duration such as \"50 ms\" (ns, us, "
            "ms, s, min)");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "floor": "5 parsecs"})"),
            "budgets.json: budgets[0]: \"floor\" is \"5 parsecs\", not a duration such as \"50 "
            "ms\" (ns, us, ms, s, min)");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "metric": "bars", "floor": 5})"),
            "budgets.json: budgets[0]: counter \"bars\" does not end in per_second: say "
            "\"better\": \"higher\" or \"lower\"");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "metric": "rows_per_second", "floor": "5"})"),
            "budgets.json: budgets[0]: \"floor\" of counter \"rows_per_second\" must be a number, "
            "not \"5\"");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A"})"),
            "budgets.json: budgets[0]: give a \"floor\", a \"target\" or both");
  EXPECT_EQ(error_for(R"({"floor": "1 s"})"),
            "budgets.json: budgets[0]: give exactly one of \"benchmark\" and \"pattern\"");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "per": 0, "floor": "1 s"})"),
            "budgets.json: budgets[0]: \"per\" must be a positive number or a counter name, not 0");
  EXPECT_EQ(
      error_for(R"({"pattern": "BM_(", "floor": "1 s"})")
          .rfind("budgets.json: budgets[0]: pattern \"BM_(\" is not a valid regular expression (",
                 0),
      0u);
  EXPECT_EQ(error_for(R"({"pattern": "BM_.*", "floor": "1 s", "regression_floor": "2 s"})"),
            "budgets.json: budgets[0]: a pattern has no \"regression_floor\": give each benchmark "
            "its own");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "floor": "1 s", "regression_floor": 2})"),
            "budgets.json: budgets[0]: \"regression_floor\" is 2, not a duration such as \"50 "
            "ms\" (ns, us, ms, s, min)");
  EXPECT_EQ(error_for(R"({"benchmark": "BM_A", "floor": "1 s", "needs": "network"})"),
            "budgets.json: budgets[0]: \"needs\" is \"network\", not \"database\"");
  EXPECT_EQ(regression_error_for(R"({"runner_class": "ci", "margin": 1})"),
            "budgets.json: regression: \"margin\" must be a number in [0, 1), not 1");
  EXPECT_EQ(regression_error_for(R"({"runner_class": ""})"),
            "budgets.json: regression: \"runner_class\" must be a non-empty string");
  EXPECT_EQ(regression_error_for(R"({"runner": "ci"})"),
            "budgets.json: regression: unknown field \"runner\"");
  EXPECT_EQ(ParseBudgets("{\"budgets\": [", "budgets.json").error().message,
            "budgets.json: not valid JSON (parse error at line 1, column 14: syntax error while "
            "parsing value - unexpected end of input; expected '[', '{', or a literal)");
}

TEST(BudgetsTest, ParsesDurations) {
  EXPECT_EQ(ParseDuration("50 ms"), 50e6);
  EXPECT_EQ(ParseDuration("1.5s"), 1.5e9);
  EXPECT_EQ(ParseDuration("2 us"), 2e3);
  EXPECT_EQ(ParseDuration("30 min"), 1800e9);
  EXPECT_EQ(ParseDuration("10 ns"), 10);
  EXPECT_FALSE(ParseDuration("10").has_value());
  EXPECT_FALSE(ParseDuration("ms").has_value());
  EXPECT_FALSE(ParseDuration("-1 s").has_value());
}

TEST(BudgetsTest, ShippedBudgetsFileParsesAndCoversTheHeadlineFloors) {
  Result<BudgetFile> file =
      ReadBudgetsFile(std::string(WYCKOFF_SOURCE_DIR) + "/benchmarks/budgets.json");

  ASSERT_TRUE(file.has_value()) << file.error().message;
  auto find = [&](const std::string& name) -> const Budget* {
    for (const Budget& budget : file->budgets) {
      if (budget.benchmark == name) return &budget;
    }
    return nullptr;
  };
  const Budget* sma = find("BM_Backtest_SmaCross");
  const Budget* signal = find("BM_Signal_PerBar");
  ASSERT_NE(sma, nullptr);
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(sma->metric, "bars_per_second");
  EXPECT_EQ(sma->floor, 100);
  EXPECT_EQ(sma->target, 30e6);
  EXPECT_EQ(signal->floor, 1e9);
  for (const Budget& budget : file->budgets) {
    const bool database = budget.benchmark.rfind("BM_Db_", 0) == 0;
    EXPECT_EQ(budget.needs_database, database) << budget.benchmark;
  }
}

// The command on one results file and one budgets file; `out` and `err` receive its output.
int RunOn(const std::string& results, const std::string& budgets, std::ostream& out,
          std::ostream& err) {
  BudgetCommand command;
  command.results_files = {results};
  command.budgets_path = budgets;
  return RunBudgetCommand(command, out, err);
}

TEST(BudgetsTest, CommandExitCodes) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  const std::string failing = scratch.Write("failing.json", kBudgets);
  const std::string passing =
      scratch.Write("passing.json", R"({"budgets": [{"benchmark": "BM_Fast", "floor": "1 ms"}]})");
  const std::string not_run =
      scratch.Write("not_run.json", R"({"budgets": [{"benchmark": "BM_Fast", "floor": "1 ms"},
                                      {"benchmark": "BM_Gone", "floor": "1 ms"}]})");
  const std::string missing = scratch.Path("none.json");
  std::ostringstream out, err, bad_out, bad_err;

  const int fails = RunOn(results, failing, out, err);
  const int passes = RunOn(results, passing, out, err);
  const int fails_not_run = RunOn(results, not_run, out, err);
  const int bad = RunOn(missing, passing, bad_out, bad_err);

  EXPECT_EQ(fails, 1);
  EXPECT_EQ(passes, 0);
  EXPECT_EQ(fails_not_run, 1);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(bad, 2);
  EXPECT_EQ(bad_err.str(),
            "wyckoff bench budgets: " + missing + ": cannot open (No such file or directory)\n");
  EXPECT_EQ(bad_out.str(), "");
}

TEST(BudgetsTest, CommandWritesMarkdown) {
  ScratchFolder scratch;
  const std::string results = SuiteResults(scratch);
  BudgetCommand command;
  command.results_files = {results};
  command.budgets_path = scratch.Write("budgets.json", kBudgets);
  command.markdown_path = scratch.Path("budgets.md");
  std::ostringstream out, err;

  RunBudgetCommand(command, out, err);

  EXPECT_EQ(ReadFile(command.markdown_path).rfind("**Budgets: FAIL.", 0), 0u);
}

}  // namespace
}  // namespace wyckoff::gate
