// CSV loading: parse and validate every row of a ~100 MB file, and of a real daily file; and the
// same 100 MB file through the stage cache (BarCache) once its entry exists. A bad row, or a
// file without rows, fails the benchmark (SkipWithError) instead of timing a load that stopped
// early.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "counted.h"
#include "fixture_checks.h"
#include "wyckoff/engine/bar_cache.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

// Writes (once per process) a 1-minute CSV of about 100 MB in the temporary folder.
const std::string& HundredMegabyteFile() {
  static const std::string path = [] {
    auto p = (std::filesystem::temp_directory_path() / "wyckoff-bench-100mb.csv").string();
    std::FILE* f = std::fopen(p.c_str(), "wb");
    if (f == nullptr) benchmarks::FixtureFailed("cannot create " + p);
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
    if (std::ferror(f) != 0 || std::fclose(f) != 0) benchmarks::FixtureFailed("cannot write " + p);
    return p;
  }();
  return path;
}

// Reads every bar of `path`; the number of bars, or the error that stopped the read (a bad
// row under the default policy, kStop).
Result<std::int64_t> ReadEveryBar(const std::string& path) {
  auto source = CsvBarSource::Open(path, {});
  if (!source) return tl::unexpected(source.error());
  Bar bar;
  std::int64_t rows = 0;
  while (true) {
    Result<bool> got = (*source)->Next(bar);
    if (!got) return tl::unexpected(got.error());
    if (!*got) return rows;
    ++rows;
  }
}

// Times ReadEveryBar; fails the benchmark, with the reader's message, at the first bad row or
// when the file has no rows.
void LoadAll(benchmark::State& state, const std::string& path) {
  std::int64_t rows = 0;
  for (auto _ : state) {
    Result<std::int64_t> read = ReadEveryBar(path);
    if (!read || *read == 0) {
      state.SkipWithError(read ? (path + ": no rows").c_str() : read.error().message.c_str());
      return;
    }
    rows += *read;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::filesystem::file_size(path)));
  state.counters["rows_per_second"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

void BM_Csv_Load100MB(benchmark::State& state) { LoadAll(state, HundredMegabyteFile()); }
BENCHMARK(BM_Csv_Load100MB)->Unit(benchmark::kMillisecond);

// The stage cache's hit on the 100 MB CSV, as a run with --cache has it from its second time
// on: the memo of the unchanged file gives its hash (the CSV is not read), the entry is mapped
// and every bar decoded. With `hash`, the memo is removed before each load (untimed), so the
// CSV's 100 MB are hashed as after a change of the file that kept its bytes (a touch, a copy).
// The entry and the memo are written (a miss, not timed) before the first iteration; the bytes
// rate counts the CSV's bytes.
void LoadCached(benchmark::State& state, bool hash) {
  const std::string& path = HundredMegabyteFile();
  const auto dir = std::filesystem::temp_directory_path() / "wyckoff-bench-cache";
  // No settle time: the fixture's file was written a moment ago, and its memo is wanted now.
  const BarCache cache(dir, std::chrono::nanoseconds(0));
  auto forget = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().filename().string().starts_with("ident-")) {
        std::filesystem::remove(entry.path());
      }
    }
  };
  // The rows read, checking (`timed`) that the load was the hit this benchmark is about.
  auto load = [&](bool timed) -> Result<std::int64_t> {
    auto opened = cache.Open(path, {});
    if (!opened) return tl::unexpected(opened.error());
    if (timed && !opened->hit) {
      return Fail(ErrorCode::kInvalidArgument, "a timed load was not a cache hit");
    }
    if (timed && opened->hashed != hash) {
      return Fail(ErrorCode::kInvalidArgument,
                  hash ? "the CSV was not hashed" : "the memo did not give the hash");
    }
    Bar bar;
    std::int64_t rows = 0;
    while (true) {
      Result<bool> got = opened->source->Next(bar);
      if (!got) return tl::unexpected(got.error());
      if (!*got) return rows;
      ++rows;
    }
  };
  if (auto first = load(false); !first) return state.SkipWithError(first.error().message.c_str());
  std::int64_t rows = 0;
  for (auto _ : state) {
    if (hash) {
      state.PauseTiming();
      forget();
      state.ResumeTiming();
    }
    auto read = load(true);
    if (!read || *read == 0) {
      return state.SkipWithError(read ? "no rows" : read.error().message.c_str());
    }
    rows += *read;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(std::filesystem::file_size(path)));
  state.counters["rows_per_second"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

void BM_Csv_LoadCached100MB(benchmark::State& state) { LoadCached(state, false); }
BENCHMARK(BM_Csv_LoadCached100MB)->Unit(benchmark::kMillisecond);

void BM_Csv_LoadCachedHashed100MB(benchmark::State& state) { LoadCached(state, true); }
BENCHMARK(BM_Csv_LoadCachedHashed100MB)->Unit(benchmark::kMillisecond);

void BM_Csv_LoadOrclDaily(benchmark::State& state) {
  LoadAll(state, WYCKOFF_SOURCE_DIR "/data/daily/orcl-1995-2014.csv");
}
BENCHMARK(BM_Csv_LoadOrclDaily)->Apply(benchmarks::Counted)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wyckoff::engine
