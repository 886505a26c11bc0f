// `wyckoff bench compare` and `wyckoff bench budgets`: their flags. The work is the
// wyckoff::bench_compare library (benchmarks/include/wyckoff/benchmarks/), shared with its
// unit tests; scripts/bench-gate.sh and scripts/bench.sh call these commands.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "wyckoff/benchmarks/budgets.h"
#include "wyckoff/benchmarks/compare.h"

namespace wyckoff::cli {
namespace {

void AddCompareCommand(CLI::App& bench, int& exit_code) {
  static benchmarks::CompareCommand c;
  CLI::App* cmd = bench.add_subcommand(
      "compare", "Compare Google Benchmark JSON results of a base and a head build (the gate)");
  cmd->add_option("--base", c.base_files, "Result files of the base build")->required();
  cmd->add_option("--head", c.head_files, "Result files of the head build")->required();
  cmd->add_option("--rerun-base", c.rerun_base_files,
                  "Result files of the base build's re-run of the failing benchmarks");
  cmd->add_option("--rerun-head", c.rerun_head_files,
                  "Result files of the head build's re-run of the failing benchmarks");
  cmd->add_option("--markdown", c.markdown_path, "Write the pull-request comment to FILE");
  cmd->add_option("--failing-filter-out", c.failing_filter_path,
                  "Write a --benchmark_filter regex of the failing benchmarks to FILE");
  cmd->add_option("--fail-change", c.options.fail_change,
                  "FAIL when worse by more than this fraction ...")
      ->capture_default_str();
  cmd->add_option("--fail-p", c.options.fail_p, "... with a one-sided p below this")
      ->capture_default_str();
  cmd->add_option("--warn-change", c.options.warn_change,
                  "WARN when worse by more than this fraction ...")
      ->capture_default_str();
  cmd->add_option("--warn-p", c.options.warn_p, "... with a one-sided p below this")
      ->capture_default_str();
  cmd->callback(
      [&exit_code] { exit_code = benchmarks::RunCompareCommand(c, std::cout, std::cerr); });
}

// The budgets file when --budgets is absent: ./benchmarks/budgets.json in a checkout's root,
// else the one of the source tree this program was built from, wherever it runs.
std::string DefaultBudgetsPath() {
  const std::filesystem::path here = "benchmarks/budgets.json";
  std::error_code ec;
  if (std::filesystem::exists(here, ec)) return here.string();
  return WYCKOFF_SOURCE_DIR "/benchmarks/budgets.json";
}

void AddBudgetsCommand(CLI::App& bench, int& exit_code) {
  static benchmarks::BudgetCommand b;
  b.budgets_path = DefaultBudgetsPath();
  CLI::App* cmd = bench.add_subcommand(
      "budgets", "Check benchmark results against the floors and targets of budgets.json");
  cmd->add_option("--results", b.results_files, "Google Benchmark JSON result files")->required();
  cmd->add_option("--budgets", b.budgets_path, "The budgets file")->capture_default_str();
  cmd->add_option("--markdown", b.markdown_path, "Also write the table as Markdown to FILE");
  cmd->callback(
      [&exit_code] { exit_code = benchmarks::RunBudgetCommand(b, std::cout, std::cerr); });
}

}  // namespace

void AddBenchCommands(CLI::App& app, int& exit_code) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmark results: the regression gate, budgets");
  bench->require_subcommand(1);
  AddCompareCommand(*bench, exit_code);
  AddBudgetsCommand(*bench, exit_code);
}

}  // namespace wyckoff::cli
