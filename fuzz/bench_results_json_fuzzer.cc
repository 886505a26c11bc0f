// Fuzz target bench_results_json: the reader of Google Benchmark JSON output
// (gate/src/results.h, private to the gate) on arbitrary bytes, and, for what it
// accepts, the whole comparison and budget check of the file against itself with their
// reports (compare.h, budgets.h).
//
// Properties: no crash, no sanitizer report; every failure is a non-empty message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "memory_file.h"
#include "results.h"
#include "wyckoff/gate/budgets.h"
#include "wyckoff/gate/compare.h"

namespace {

namespace gate = wyckoff::gate;
using wyckoff::fuzz::PropertyFailed;

// A budget of each kind, for the file's benchmarks whatever their names.
const gate::BudgetFile& Budgets() {
  static const gate::BudgetFile file = *gate::ParseBudgets(R"({"budgets": [
      {"pattern": ".*", "floor": "1 s", "target": "1 ns"},
      {"pattern": ".*", "metric": "bars_per_second", "floor": 1, "target": 1e9},
      {"pattern": ".*", "per": "bars", "target": "1 ns"}]})",
                                                           "fuzz budgets");
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wyckoff::fuzz::MemoryFile file;
  const std::string& path = file.Write(data, size);
  for (auto policy : {gate::internal::RowPolicy::kIterationsOnly,
                      gate::internal::RowPolicy::kMedianAggregateFallback}) {
    gate::internal::SuiteResults results;
    auto read = gate::internal::ReadResultsFile(path, policy, results);
    if (!read && read.error().message.empty()) PropertyFailed("read failed without a message");
  }
  for (auto unit : {gate::SampleUnit::kProcess, gate::SampleUnit::kRepetition}) {
    gate::CompareOptions options;
    options.unit = unit;
    auto comparison = gate::CompareFiles({path, path}, {path}, options);
    if (!comparison) continue;
    (void)gate::ToText(*comparison);
    (void)gate::ToMarkdown(*comparison);
  }
  if (auto report = gate::CheckBudgetFiles({path}, Budgets())) {
    (void)gate::ToText(*report);
  }
  return 0;
}
