// Reading Google Benchmark 1.7 JSON output into per-benchmark samples (private to the
// comparator and the budget checker).
//
// Each row with "run_type": "iteration" is one repetition of one benchmark in one process; a
// file is one process. Two ways to combine the files of many interleaved rounds:
//
//   // Every repetition a sample, pooled by the row's "name" over the files (budgets):
//   Result<SuiteResults> pooled = ReadResultsFiles(paths, RowPolicy::kIterationsOnly);
//   // One sample per file: the median of that process's repetitions (the comparator, because
//   // repetitions inside one process move together and are not independent samples):
//   Result<SuiteResults> per_process = ReadProcessMedians(paths, RowPolicy::kIterationsOnly);
//   double median_ns = Median(per_process->by_name.at("BM_Foo").real_time_ns);
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::gate::internal {

// Every sample of one benchmark, in file order.
struct BenchmarkSamples {
  std::size_t repetitions = 0;       // iteration rows with a time read for this benchmark
  std::vector<double> real_time_ns;  // wall time per iteration, in nanoseconds
  std::vector<double> cpu_time_ns;   // CPU time per iteration, in nanoseconds
  // User counters (every numeric field that is not one of Google Benchmark's own), one value
  // per sample that reported it. Rate counters are already divided by time ("bars_per_second").
  std::map<std::string, std::vector<double>> counters;
  int error_count = 0;        // rows with "error_occurred": true (skipped, no sample)
  std::string error_message;  // the first such row's "error_message"
};

struct SuiteResults {
  std::vector<std::string> names;  // benchmark names, in the order first seen
  std::map<std::string, BenchmarkSamples> by_name;
};

enum class RowPolicy {
  kIterationsOnly,           // the comparator: per-repetition samples are required
  kMedianAggregateFallback,  // the budget checker: a file with only aggregates gives its medians
};

// Reads one Google Benchmark JSON file and appends its samples to `into`. Errors name the file
// and the reason: the file cannot be read, is empty, is not JSON (with line and column), has no
// "benchmarks" array or an empty one, has only aggregate rows (with kIterationsOnly), or a row
// lacks a numeric "real_time" or has an unknown "time_unit". On error `into` may hold part of
// the file.
Result<void> ReadResultsFile(const std::string& path, RowPolicy policy, SuiteResults& into);

// Reads several files into one pool; fails on the first bad file.
Result<SuiteResults> ReadResultsFiles(const std::vector<std::string>& paths, RowPolicy policy);

// Reads several files and reduces each file's samples of a benchmark (its real_time, cpu_time
// and each counter) to their median: one sample per file that ran the benchmark. `repetitions`
// still counts every row read; errors are pooled as in ReadResultsFiles. Fails on the first bad
// file, as ReadResultsFiles does.
Result<SuiteResults> ReadProcessMedians(const std::vector<std::string>& paths, RowPolicy policy);

// One benchmark's cost per iteration under Cachegrind, from scripts/bench-count.sh.
struct CountedCost {
  double instructions = 0;      // instructions executed
  double estimated_cycles = 0;  // L1 hits + 5 x LL hits + 35 x memory accesses (simulated)
};

// A counts file: {"wyckoff_counts": 1, "context": {...}, "benchmarks": [{"name": ...,
// "executable": ..., "iterations": N, "instructions": X, "estimated_cycles": Y}, ...]}; the
// executable and the iterations the difference covered are for people, and not read.
struct CountsFile {
  std::vector<std::string> names;  // in file order
  std::map<std::string, CountedCost> by_name;
};

// Reads a counts file. Errors name the file and the reason: it cannot be read, is empty, is not
// JSON, is not a counts file of a known version, or a row lacks a name or holds a cost that is
// not a number above 0 (no benchmark iteration costs nothing: a 0 is a broken count), or names
// a benchmark twice.
Result<CountsFile> ReadCountsFile(const std::string& path);

// The median (mean of the two middle values for an even count); NaN when `values` is empty.
double Median(std::vector<double> values);

// The whole file as text. Errors: "PATH: cannot open (No such file or directory)", or a failed
// read.
Result<std::string> ReadTextFile(const std::string& path);

// Writes `text` to `path`, replacing it. Error: "PATH: cannot write (Permission denied)".
Result<void> WriteTextFile(const std::string& path, const std::string& text);

// nlohmann's error text without its "[json.exception.parse_error.101] " tag:
// "parse error at line 3, column 1: syntax error while parsing ...", or "number overflow
// parsing '1e400'" (out_of_range.406, which parsing also throws).
std::string JsonParseErrorDetail(const std::string& what);

// True when `name` ends with "per_second": a rate counter, higher is better.
bool IsRateCounter(std::string_view name);

// Nanoseconds per `unit` ("ns", "us", "ms", "s", and "min" for budgets); 0 when unknown.
double NanosPerUnit(std::string_view unit);

}  // namespace wyckoff::gate::internal
