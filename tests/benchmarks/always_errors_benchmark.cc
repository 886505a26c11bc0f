// A benchmark executable for the smoke-run wrapper's own test (smoke_script_test.cc): one
// benchmark that runs, and one that always reports an error, as a fixture that cannot be
// built does.
#include <benchmark/benchmark.h>

namespace {

void BM_Fine(benchmark::State& state) {
  int sum = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sum += 1);
}
BENCHMARK(BM_Fine);

void BM_AlwaysErrors(benchmark::State& state) {
  state.SkipWithError("deliberate error for the smoke wrapper's test");
  for (auto _ : state) {
  }
}
BENCHMARK(BM_AlwaysErrors);

}  // namespace
