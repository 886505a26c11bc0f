// Benchmarks the regression gate counts as well as times (docs/benchmarks.md, "The counted
// stage"): single-threaded, CPU-bound, no more than a few milliseconds an iteration, no
// server, no child process.
//
//   BENCHMARK(BM_Order_Simulation)->Apply(wyckoff::benchmarks::Counted);
//
// Not for benchmarks with UseRealTime() or Threads(): their names go on after the count, and
// scripts/bench-count.sh refuses them.
//
// Normally this changes nothing. With WYCKOFF_BENCH_ITERATIONS=N in the environment, the
// benchmark runs exactly N iterations (and its name gains "/iterations:N") instead of Google
// Benchmark's time-based count. scripts/bench-count.sh runs it so under Cachegrind at two
// counts and takes the difference: the cost of the extra iterations alone, without the
// process's start, the fixtures or the first iteration's lazy set-up.
#pragma once

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace wyckoff::benchmarks {

inline constexpr const char* kIterationsVariable = "WYCKOFF_BENCH_ITERATIONS";

// Google Benchmark's Apply() hook: fixes the iteration count when the variable is set. A value
// that is not a positive integer ends the process with exit status 2 and one line.
inline void Counted(benchmark::internal::Benchmark* benchmark) {
  const char* text = std::getenv(kIterationsVariable);
  if (text == nullptr) return;
  const char* end = text + std::strlen(text);
  std::int64_t iterations = 0;
  const auto [stop, error] = std::from_chars(text, end, iterations);
  if (error != std::errc() || stop != end || iterations < 1) {
    std::fprintf(stderr, "%s must be a positive integer, not '%s'\n", kIterationsVariable, text);
    std::exit(2);
  }
  benchmark->Iterations(iterations);
}

}  // namespace wyckoff::benchmarks
