// The application layer's whole commands, measured as a user runs them but inside one process:
// `wyckoff generate` making one million one-minute bars with planted structures and writing
// them to a temporary file (the page cache; the disk is not what is measured).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "wyckoff/app/generate.h"

namespace wyckoff::app {
namespace {

namespace fs = std::filesystem;

void BM_Generate_1MBars(benchmark::State& state) {
  const fs::path dir = fs::temp_directory_path() / "wyckoff-bench-app";
  fs::create_directories(dir);
  GenerateRequest request{.options = {.bars = 1'000'000}, .out = (dir / "bars.csv").string()};
  std::int64_t bars = 0;
  for (auto _ : state) {
    auto made = RunGenerate(request);
    if (!made) {
      state.SkipWithError(made.error().message.c_str());
      return;
    }
    bars += static_cast<std::int64_t>(made->bars);
  }
  state.counters["bars_per_second"] =
      benchmark::Counter(static_cast<double>(bars), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(fs::file_size(request.out)) *
                          static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Generate_1MBars)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace wyckoff::app
