// Fuzz target bar_cache_entry: engine::BarCache with arbitrary bytes as the cache entry of a
// fixed CSV, through its public API only. The CSV (300 one-minute bars, one block) is read once
// through the cache, which writes its entry; each input then replaces the entry's bytes, and
// the CSV is opened through the cache again and read to the end.
//
// Property: the bars are exactly the CSV's, every field, whatever the entry holds (an entry
// that fails its checks is a miss; a block that fails its checksum hands over to the CSV), and
// no crash, no sanitizer report. The seed (fuzz/corpus/bar_cache_entry/entry) is the entry the
// cache writes for this CSV; when the format changes, regenerate it with
//   WYCKOFF_FUZZ_SEED=fuzz/corpus/bar_cache_entry/entry build/release/fuzz/replay_bar_cache_entry
//   /dev/null
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "memory_file.h"
#include "wyckoff/engine/bar_cache.h"
#include "wyckoff/engine/bar_source.h"

namespace {

namespace fs = std::filesystem;
using wyckoff::Bar;
using wyckoff::engine::BarCache;
using wyckoff::fuzz::PropertyFailed;

struct Fixture {
  fs::path dir;
  std::string csv;
  fs::path entry;
  std::vector<Bar> bars;  // the CSV's, read directly
};

std::vector<Bar> ReadToEnd(wyckoff::engine::BarSource& source, const char* what) {
  std::vector<Bar> bars;
  Bar bar;
  while (true) {
    auto got = source.Next(bar);
    if (!got) PropertyFailed(std::string(what) + ": " + got.error().message);
    if (!*got) return bars;
    bars.push_back(bar);
  }
}

// Never destroyed (a leak by design), so that the exit handler that removes its folder can
// still read it after the statics are gone.
const Fixture& Setup() {
  static const Fixture& fixture = *[] {
    auto* made = new Fixture;
    Fixture& f = *made;
    f.dir = fs::temp_directory_path() / ("wyckoff-fuzz-cache-" + std::to_string(::getpid()));
    fs::remove_all(f.dir);
    fs::create_directories(f.dir / "cache");
    std::atexit([] { fs::remove_all(Setup().dir); });
    f.csv = (f.dir / "bars.csv").string();
    std::ofstream out(f.csv, std::ios::binary);
    out << "Date,Time,Open,High,Low,Close,Volume\n";
    for (int i = 0; i < 300; ++i) {
      char row[128];
      // Two-decimal prices and whole volumes (4-byte columns), a volume beyond int32 now and
      // then (an 8-byte column).
      std::snprintf(row, sizeof row,
                    "2006-01-02,%02d:%02d:00,%d.%02d,%d.%02d,%d.%02d,%d.%02d,%lld\n", 9 + i / 60,
                    i % 60, 100 + i % 7, i % 100, 102 + i % 7, 3, 99 + i % 7, 5, 100 + i % 7,
                    (i * 7) % 100, i % 50 == 0 ? 5'000'000'000LL : 100LL * i);
      out << row;
    }
    out.close();
    auto direct = wyckoff::engine::CsvBarSource::Open(f.csv, {});
    if (!direct) PropertyFailed("the fixture CSV: " + direct.error().message);
    f.bars = ReadToEnd(**direct, "the fixture CSV");
    const BarCache cache(f.dir / "cache", std::chrono::nanoseconds(0));
    auto first = cache.Open(f.csv, {});
    if (!first) PropertyFailed("the first open: " + first.error().message);
    ReadToEnd(*first->source, "the first read");
    first->source.reset();
    f.entry = first->entry;
    if (!fs::exists(f.entry)) PropertyFailed("no entry after the first read");
    // WYCKOFF_FUZZ_SEED=FILE: a copy of the valid entry, the seed of the corpus.
    if (const char* seed = std::getenv("WYCKOFF_FUZZ_SEED")) {
      fs::copy_file(f.entry, seed, fs::copy_options::overwrite_existing);
    }
    return made;
  }();
  return fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& f = Setup();
  {
    std::ofstream entry(f.entry, std::ios::binary | std::ios::trunc);
    entry.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!entry) PropertyFailed("cannot write the entry (a broken harness)");
  }
  const BarCache cache(f.dir / "cache", std::chrono::nanoseconds(0));
  auto opened = cache.Open(f.csv, {});
  if (!opened) PropertyFailed("open: " + opened.error().message);
  const std::vector<Bar> bars = ReadToEnd(*opened->source, "read");
  if ((*opened->source).skipped_rows() != 0) PropertyFailed("rows skipped from a valid CSV");
  if (bars.size() != f.bars.size()) PropertyFailed("a different number of bars");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& a = bars[i];
    const Bar& b = f.bars[i];
    if (a.time != b.time || a.decimals != b.decimals || a.open != b.open || a.high != b.high ||
        a.low != b.low || a.close != b.close || a.volume != b.volume) {
      PropertyFailed("bar " + std::to_string(i) + " differs from the CSV's");
    }
  }
  return 0;
}
