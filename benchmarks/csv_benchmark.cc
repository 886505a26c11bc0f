// CSV loading: parse and validate every row of a ~100 MB file, and of a real daily file.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>

#include "wyckoff/engine/bar_source.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

// Writes (once per process) a 1-minute CSV of about 100 MB in the temporary folder.
const std::string& HundredMegabyteFile() {
  static const std::string path = [] {
    auto p = (std::filesystem::temp_directory_path() / "wyckoff-bench-100mb.csv").string();
    std::FILE* f = std::fopen(p.c_str(), "wb");
    std::fputs("Date,Time,Open,High,Low,Close,Volume,OpenInterest\n", f);
    auto bars =
        fixtures::RandomWalkBars({.bars = 1'750'000, .seed = 9, .interval = 60 * kNanosPerSecond});
    for (const Bar& b : bars) {
      std::string t = FormatTimestamp(b.time, false);
      t[10] = ',';
      std::fprintf(f, "%s,%s,%s,%s,%s,%s,0\n", t.c_str(), b.open.ToString(2).c_str(),
                   b.high.ToString(2).c_str(), b.low.ToString(2).c_str(),
                   b.close.ToString(2).c_str(), b.volume.ToString().c_str());
    }
    std::fclose(f);
    return p;
  }();
  return path;
}

void LoadAll(benchmark::State& state, const std::string& path) {
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto source = CsvBarSource::Open(path, {});
    if (!source) {
      state.SkipWithError(source.error().message.c_str());
      return;
    }
    Bar bar;
    while (true) {
      auto got = (*source)->Next(bar);
      if (!got || !*got) break;
      ++rows;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::filesystem::file_size(path)));
  state.counters["rows_per_second"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

void BM_Csv_Load100MB(benchmark::State& state) { LoadAll(state, HundredMegabyteFile()); }
BENCHMARK(BM_Csv_Load100MB)->Unit(benchmark::kMillisecond);

void BM_Csv_LoadOrclDaily(benchmark::State& state) {
  LoadAll(state, WYCKOFF_SOURCE_DIR "/data/daily/orcl-1995-2014.csv");
}
BENCHMARK(BM_Csv_LoadOrclDaily)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wyckoff::engine
