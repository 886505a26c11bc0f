// `wyckoff bench compare`, `wyckoff bench budgets` and `wyckoff bench ratchet`: their flags.
// The work is the wyckoff::gate library (gate/include/wyckoff/gate/),
// shared with its unit tests; scripts/bench-gate.sh and scripts/bench.sh call these commands.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>

#include "commands.h"
#include "wyckoff/gate/budgets.h"
#include "wyckoff/gate/compare.h"
#include "wyckoff/gate/ratchet.h"

namespace wyckoff::cli {
namespace {

void AddCompareCommand(CLI::App& bench, int& exit_code) {
  static gate::CompareCommand c;
  CLI::App* cmd = bench.add_subcommand(
      "compare", "Compare Google Benchmark JSON results of a base and a head build (the gate)");
  cmd->add_option("--base", c.base_files, "Result files of the base build");
  cmd->add_option("--head", c.head_files, "Result files of the head build");
  cmd->add_option("--counted-base", c.counted_base_path,
                  "The base build's counts (scripts/bench-count.sh)");
  cmd->add_option("--counted-head", c.counted_head_path,
                  "The head build's counts (scripts/bench-count.sh)");
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
  static std::string unit = "process";
  cmd->add_option("--unit", unit,
                  "One sample per result file, the median of its repetitions (process), or "
                  "every repetition (repetition: optimistic p-values, for a quick look)")
      ->check(CLI::IsMember({"process", "repetition"}))
      ->capture_default_str();
  cmd->callback([&exit_code] {
    c.options.unit =
        unit == "repetition" ? gate::SampleUnit::kRepetition : gate::SampleUnit::kProcess;
    exit_code = gate::RunCompareCommand(c, std::cout, std::cerr);
  });
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
  static gate::BudgetCommand b;
  b.budgets_path = DefaultBudgetsPath();
  CLI::App* cmd = bench.add_subcommand(
      "budgets", "Check benchmark results against the floors and targets of budgets.json");
  cmd->add_option("--results", b.results_files, "Google Benchmark JSON result files")->required();
  cmd->add_option("--budgets", b.budgets_path, "The budgets file")->capture_default_str();
  cmd->add_option("--markdown", b.markdown_path, "Also write the table as Markdown to FILE");
  static bool no_database = false;
  cmd->add_flag("--no-database", no_database,
                "The run had no database: budgets that need one are NO DATABASE, not NOT RUN");
  cmd->add_option("--runner-class", b.options.runner_class,
                  "This machine's runner class: regression floors measured on it are enforced");
  cmd->add_option("--filter", b.options.filter,
                  "The --benchmark_filter of the run: budgets of benchmarks it left out are not "
                  "checked");
  cmd->callback([&exit_code] {
    b.options.database_configured = !no_database;
    exit_code = gate::RunBudgetCommand(b, std::cout, std::cerr);
  });
}

void AddRatchetCommand(CLI::App& bench, int& exit_code) {
  static gate::RatchetCommand r;
  CLI::App* cmd = bench.add_subcommand(
      "ratchet", "Raise the regression floors of budgets.json from results (never lowers them)");
  cmd->add_option("results", r.results_files, "Google Benchmark JSON result files")->required();
  cmd->add_option("--budgets", r.budgets_path, "The budgets file, rewritten in place")
      ->capture_default_str();
  cmd->add_option("--runner-class", r.runner_class,
                  "The class of machine the results come from (the file's, once it has one)")
      ->required();
  static double margin = 0;
  CLI::Option* margin_option = cmd->add_option(
      "--margin", margin, "Allowance below the measurement, a fraction (default: the file's, 0.2)");
  cmd->callback([&exit_code, margin_option] {
    if (margin_option->count() > 0) r.margin = margin;
    exit_code = gate::RunRatchetCommand(r, std::cout, std::cerr);
  });
}

}  // namespace

void AddBenchCommands(CLI::App& app, int& exit_code) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmark results: the regression gate, budgets");
  bench->require_subcommand(1);
  AddCompareCommand(*bench, exit_code);
  AddBudgetsCommand(*bench, exit_code);
  AddRatchetCommand(*bench, exit_code);
}

}  // namespace wyckoff::cli
