// A benchmark executable for the counted stage's own test (bench_count_test.cc): counted
// benchmarks whose iterations cost known multiples of one another, one that also does a large
// set-up before its loop, one that reports an error, and one that is not counted.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "counted.h"

namespace {

using wyckoff::benchmarks::Counted;

// `n` additions through a volatile, which the compiler must keep.
void Work(int n) {
  volatile std::int64_t sum = 0;
  for (int i = 0; i < n; ++i) sum = sum + i;
}

void BM_Work1000(benchmark::State& state) {
  for (auto _ : state) Work(1000);
}
BENCHMARK(BM_Work1000)->Apply(Counted);

void BM_Work3000(benchmark::State& state) {
  for (auto _ : state) Work(3000);
}
BENCHMARK(BM_Work3000)->Apply(Counted);

// The same iterations as BM_Work1000 after a set-up 500 times as large: the count of an
// iteration must not include it.
void BM_Work1000AfterSetUp(benchmark::State& state) {
  Work(500'000);
  for (auto _ : state) Work(1000);
}
BENCHMARK(BM_Work1000AfterSetUp)->Apply(Counted);

void BM_CountedError(benchmark::State& state) {
  state.SkipWithError("deliberate error for the counted stage's test");
  for (auto _ : state) {
  }
}
BENCHMARK(BM_CountedError)->Apply(Counted);

void BM_NotCounted(benchmark::State& state) {
  for (auto _ : state) Work(10);
}
BENCHMARK(BM_NotCounted);

}  // namespace
