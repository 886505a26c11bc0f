#include "wyckoff/engine/bar_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOrcl = WYCKOFF_SOURCE_DIR "/data/daily/orcl-1995-2014.csv";
constexpr const char* kFutures =
    WYCKOFF_SOURCE_DIR "/data/intraday/estx50-futures-2006-01-02-1min.csv";

fs::path FreshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "wyckoff-bar-cache-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The files in `dir`, by name: with `memos`, only the memos of files' hashes ("ident-..."),
// else everything but them (entries and any temporary file).
std::vector<std::string> Files(const fs::path& dir, bool memos = false) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("ident-") == memos) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<Bar> CsvBars(const std::string& path, CsvOptions options = {}) {
  auto source = CsvBarSource::Open(path, options);
  EXPECT_TRUE(source) << source.error().message;
  auto bars = ReadAll(**source);
  EXPECT_TRUE(bars) << bars.error().message;
  return bars ? *bars : std::vector<Bar>{};
}

struct Read {
  bool hit = false;
  bool intraday = false;
  std::vector<Bar> bars;
  std::int64_t skipped = 0;
  std::string first_skip;
  ReadProgress progress;  // at the end
};

Read ReadCached(const fs::path& dir, const std::string& path, CsvOptions options = {}) {
  auto opened = BarCache(dir).Open(path, options);
  EXPECT_TRUE(opened) << opened.error().message;
  if (!opened) return {};
  auto bars = ReadAll(*opened->source);
  EXPECT_TRUE(bars) << bars.error().message;
  return {opened->hit,
          opened->source->intraday(),
          bars ? *bars : std::vector<Bar>{},
          opened->source->skipped_rows(),
          opened->source->first_skip_reason(),
          opened->source->progress()};
}

void ExpectSameBars(const std::vector<Bar>& got, const std::vector<Bar>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("bar " + std::to_string(i));
    EXPECT_EQ(got[i].time, want[i].time);
    EXPECT_EQ(got[i].decimals, want[i].decimals);
    EXPECT_EQ(got[i].open, want[i].open);
    EXPECT_EQ(got[i].high, want[i].high);
    EXPECT_EQ(got[i].low, want[i].low);
    EXPECT_EQ(got[i].close, want[i].close);
    EXPECT_EQ(got[i].volume, want[i].volume);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(BarCacheTest, TheSecondOpenMapsTheVeryBarsOfTheFile) {
  for (const char* file : {kOrcl, kFutures}) {
    SCOPED_TRACE(file);
    const fs::path dir = FreshDir("real");
    const std::vector<Bar> csv = CsvBars(file);
    const Read first = ReadCached(dir, file);
    const Read second = ReadCached(dir, file);
    EXPECT_FALSE(first.hit);
    EXPECT_TRUE(second.hit);
    EXPECT_EQ(first.progress.done, fs::file_size(file));  // bytes of the CSV read
    EXPECT_TRUE(first.progress.bytes);
    EXPECT_EQ(second.progress.done, csv.size());  // bars of the entry
    EXPECT_EQ(second.progress.total, csv.size());
    EXPECT_FALSE(second.progress.bytes);
    ExpectSameBars(first.bars, csv);
    ExpectSameBars(second.bars, csv);
    EXPECT_EQ(second.intraday, CsvBarSource::Open(file, {}).value()->intraday());
    const std::vector<std::string> files = Files(dir);
    ASSERT_EQ(files.size(), 1u);  // the entry, and no temporary file
    EXPECT_EQ(files[0].size(), 32u + std::string("-stop-r1-f3.bars").size()) << files[0];
    EXPECT_TRUE(files[0].ends_with("-stop-r1-f3.bars")) << files[0];
  }
}

TEST(BarCacheTest, ValuesTooLargeForEightBytesAndManyBlocksRoundTrip) {
  const fs::path dir = FreshDir("wide");
  // 70,000 minute bars (two blocks), and a block whose high needs 16 bytes (12 decimals beyond
  // int64) and whose volume 8 (999999999999.5: 9999999999995 x 10^11).
  std::string text = "Date,Time,Open,High,Low,Close,Volume\n";
  for (int i = 0; i < 70'000; ++i) {
    const int day = i / 1000, minute = i % 1000;
    char row[160];
    const bool huge = i >= 66'000;
    std::snprintf(row, sizeof row, "2001-%02d-%02d,%02d:%02d:00,%s,%s,%s,%s,%s\n", 1 + day / 28,
                  1 + day % 28, minute / 60, minute % 60, huge ? "9300000.5" : "10.25",
                  huge ? "9300001.123456789012" : "10.5", huge ? "9299999" : "10",
                  huge ? "9300000" : "10.125",
                  huge ? "999999999999.5" : std::to_string(i % 977).c_str());
    text += row;
  }
  const fs::path csv = dir / "wide.csv";
  WriteFile(csv, text);
  const fs::path cache = dir / "cache";
  const Read first = ReadCached(cache, csv.string());
  const Read second = ReadCached(cache, csv.string());
  EXPECT_TRUE(second.hit);
  ExpectSameBars(first.bars, CsvBars(csv.string()));
  ExpectSameBars(second.bars, first.bars);
  EXPECT_EQ(second.bars.back().high.ToString(), "9300001.123456789012");
  EXPECT_EQ(second.bars.back().volume.ToString(), "999999999999.5");
}

// Flips one bit of the file at `offset` bytes from its start (negative: from its end).
void FlipBit(const fs::path& path, std::int64_t offset) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  if (offset < 0) offset += static_cast<std::int64_t>(fs::file_size(path));
  file.seekg(offset);
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x10);
  file.seekp(offset);
  file.write(&byte, 1);
}

// `n` daily rows whose close is `close` and volume `volume` (text); open 10.25, high 10.95,
// low 10.05.
std::string DailyRows(int n, const std::string& close, const std::string& volume) {
  std::string text = "Date,Open,High,Low,Close,Volume\n";
  for (int i = 0; i < n; ++i) {
    char row[160];
    std::snprintf(row, sizeof row, "%04d-%02d-%02d,10.25,10.95,10.05,%s,%s\n", 1990 + i / 336,
                  1 + i % 336 / 28, 1 + i % 28, close.c_str(), volume.c_str());
    text += row;
  }
  return text;
}

TEST(BarCacheTest, EachColumnTakesFourEightOrSixteenBytesABarAsItsValuesNeed) {
  const fs::path dir = FreshDir("layout");
  // The bytes of an entry of 1,000 bars (one block, no skip reason): the header, the block's
  // header, times, decimals, and the five value columns at `value_bytes` a bar in all.
  auto entry_size = [](std::size_t value_bytes) {
    return 64 + 16 + 8 * 1000 + 1008 + value_bytes * 1000;
  };
  struct Case {
    std::string close, volume;
    std::size_t value_bytes;  // open, high and low take 4 bytes each; then close and volume
  };
  const Case cases[] = {
      {"10.5", "1500", 20},                  // the common bar: 29 bytes in all
      {"10.123456789", "1500", 24},          // 10123456789 x 10^3: beyond int32, 8 bytes
      {"10.5", "5000000000", 24},            // a whole volume beyond int32: 8 bytes
      {"10.5", "9300001.123456789012", 32},  // 12 decimals beyond int64: the raw, 16 bytes
  };
  for (const Case& c : cases) {
    const fs::path csv = dir / ("layout-" + c.close + "-" + c.volume + ".csv");
    WriteFile(csv, DailyRows(1000, c.close, c.volume));
    const fs::path cache = dir / ("cache-" + c.close + "-" + c.volume);
    const Read first = ReadCached(cache, csv.string());
    const Read second = ReadCached(cache, csv.string());
    ASSERT_TRUE(second.hit) << c.close;
    ExpectSameBars(second.bars, CsvBars(csv.string()));
    EXPECT_EQ(second.bars[7].close.ToString(), c.close);
    EXPECT_EQ(second.bars[7].volume.ToString(), c.volume);
    EXPECT_EQ(second.bars[7].high.ToString(), "10.95");
    const std::vector<std::string> files = Files(cache);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(fs::file_size(cache / files[0]), entry_size(c.value_bytes)) << c.close;
  }
  // A layout no writer gives (the open's exponent 10 made 14, beyond 10^12): a miss, and
  // the entry is written again.
  const fs::path cache = dir / "cache-10.5-1500";
  const std::string csv = (dir / "layout-10.5-1500.csv").string();
  ASSERT_TRUE(ReadCached(cache, csv).hit);
  FlipBit(cache / Files(cache)[0], 64 + 4);
  EXPECT_FALSE(ReadCached(cache, csv).hit);
  EXPECT_TRUE(ReadCached(cache, csv).hit);
}

TEST(BarCacheTest, SkippedRowsAndTheirReasonAreKeptPerPolicy) {
  const fs::path dir = FreshDir("skips");
  const fs::path csv = dir / "skips.csv";
  WriteFile(csv,
            "Date,Open,High,Low,Close,Volume\n"
            "2001-01-02,10,11,9,10,100\n"
            "2001-01-03,10,9,11,10,100\n"
            "2001-01-04,10,11,9,10,100\n");
  const fs::path cache = dir / "cache";
  const CsvOptions skip{.on_bad_row = BadRowPolicy::kSkip};
  const Read first = ReadCached(cache, csv.string(), skip);
  const Read second = ReadCached(cache, csv.string(), skip);
  EXPECT_TRUE(second.hit);
  ASSERT_EQ(second.bars.size(), 2u);
  EXPECT_EQ(second.skipped, 1);
  EXPECT_EQ(second.first_skip, first.first_skip);
  EXPECT_NE(second.first_skip.find("skips.csv:3:"), std::string::npos) << second.first_skip;
  // Stopping at the bad row is another entry, and a failed read stores none.
  auto stop = BarCache(cache).Open(csv.string(), {});
  ASSERT_TRUE(stop);
  EXPECT_FALSE(stop->hit);
  auto bars = ReadAll(*stop->source);
  ASSERT_FALSE(bars);
  auto direct = CsvBarSource::Open(csv.string(), {});
  EXPECT_EQ(bars.error().message, ReadAll(**direct).error().message);
  stop->source.reset();
  const std::vector<std::string> files = Files(cache);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].ends_with("-skip-r1-f3.bars")) << files[0];
}

TEST(BarCacheTest, AChangedByteOrACorruptEntryIsAMiss) {
  const fs::path dir = FreshDir("changes");
  const fs::path csv = dir / "a.csv";
  WriteFile(csv, "Date,Open,High,Low,Close,Volume\n2001-01-02,10,11,9,10,100\n");
  const fs::path cache = dir / "cache";
  ReadCached(cache, csv.string());
  WriteFile(csv, "Date,Open,High,Low,Close,Volume\n2001-01-02,10,11,9,10,101\n");
  const Read changed = ReadCached(cache, csv.string());
  EXPECT_FALSE(changed.hit);
  ASSERT_EQ(changed.bars.size(), 1u);
  EXPECT_EQ(changed.bars[0].volume.ToString(), "101");
  EXPECT_EQ(Files(cache).size(), 2u);
  // A truncated entry fails its checks: read from the CSV and written again.
  const fs::path entry = BarCache(cache).Open(csv.string(), {}).value().entry;
  fs::resize_file(entry, fs::file_size(entry) - 1);
  const Read truncated = ReadCached(cache, csv.string());
  EXPECT_FALSE(truncated.hit);
  ExpectSameBars(truncated.bars, changed.bars);
  EXPECT_TRUE(ReadCached(cache, csv.string()).hit);
}

// dir/two-blocks.csv: 70,000 minute bars, two blocks of an entry (65,536 and 4,464 bars),
// every value column in 4 bytes.
fs::path WriteTwoBlockCsv(const fs::path& dir) {
  std::string text = "Date,Time,Open,High,Low,Close,Volume\n";
  for (int i = 0; i < 70'000; ++i) {
    const int day = i / 1000, minute = i % 1000;
    char row[96];
    std::snprintf(row, sizeof row, "2001-%02d-%02d,%02d:%02d:00,10.25,10.95,10,10.%d,%d\n",
                  1 + day / 28, 1 + day % 28, minute / 60, minute % 60, i % 10, i % 977);
    text += row;
  }
  const fs::path csv = dir / "two-blocks.csv";
  WriteFile(csv, text);
  return csv;
}

TEST(BarCacheTest, AFlippedBitInABlockIsNeverReadAsBars) {
  const fs::path dir = FreshDir("flipped");
  const fs::path csv = WriteTwoBlockCsv(dir);
  const std::vector<Bar> want = CsvBars(csv.string());
  const fs::path cache = dir / "cache";
  ReadCached(cache, csv.string());
  ASSERT_EQ(Files(cache).size(), 1u);
  const fs::path entry = cache / Files(cache)[0];
  // A close in the second block (its last two columns, close and volume in 4 bytes a bar,
  // end the file: no skip reason follows).
  FlipBit(entry, -2 * 4 * 4464 + 3);
  const Read damaged = ReadCached(cache, csv.string());
  EXPECT_TRUE(damaged.hit);  // the header and the first block are whole
  ExpectSameBars(damaged.bars, want);
  EXPECT_TRUE(Files(cache).empty());  // the damaged entry is gone
  // The next run reads the CSV and stores the entry again.
  EXPECT_FALSE(ReadCached(cache, csv.string()).hit);
  EXPECT_TRUE(ReadCached(cache, csv.string()).hit);
  // A bit of the first block: nothing is read from the entry.
  FlipBit(cache / Files(cache)[0], 64 + 16 + 8 * 100);
  ExpectSameBars(ReadCached(cache, csv.string()).bars, want);
  EXPECT_TRUE(Files(cache).empty());
}

TEST(BarCacheTest, ABlockHeaderRewrittenDuringARunIsADamagedBlock) {
  const fs::path dir = FreshDir("rewritten");
  const fs::path csv = WriteTwoBlockCsv(dir);
  const std::vector<Bar> want = CsvBars(csv.string());
  const fs::path cache = dir / "cache";
  ReadCached(cache, csv.string());
  auto opened = BarCache(cache).Open(csv.string(), {});
  ASSERT_TRUE(opened && opened->hit);
  std::vector<Bar> got;
  Bar bar;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(opened->source->Next(bar).value());
    got.push_back(bar);
  }
  // The second block's layout, written over in place while the entry is mapped: a layout no
  // writer gives (bits above the five columns'). The file header, the first block's header
  // and its 29 bytes a bar come before it.
  {
    std::fstream file(opened->entry, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(64 + 16 + 29 * 65'536 + 4);
    const std::uint32_t bad = 0xFFFF'FFFFu;
    file.write(reinterpret_cast<const char*>(&bad), sizeof bad);
  }
  while (true) {
    auto next = opened->source->Next(bar);
    ASSERT_TRUE(next) << next.error().message;
    if (!*next) break;
    got.push_back(bar);
  }
  ExpectSameBars(got, want);          // the rest from the CSV
  EXPECT_TRUE(Files(cache).empty());  // the damaged entry is gone
}

TEST(BarCacheTest, NonPositivePricesRoundTripWhenAllowed) {
  const fs::path dir = FreshDir("nonpositive");
  const fs::path csv = dir / "spread.csv";
  WriteFile(csv,
            "Date,Open,High,Low,Close,Volume\n"
            "2020-04-20,-2.5,1.25,-37.63,-37.63,100\n"
            "2020-04-21,-37.63,0,-40.32,-0.01,2147483647\n"
            "2020-04-22,0,21474836.47,-21474836.48,1.5,2147483648\n");
  const fs::path cache = dir / "cache";
  CsvOptions options;
  options.rules.allow_nonpositive_prices = true;
  const Read first = ReadCached(cache, csv.string(), options);
  const Read second = ReadCached(cache, csv.string(), options);
  EXPECT_TRUE(second.hit);
  ExpectSameBars(second.bars, CsvBars(csv.string(), options));
  ExpectSameBars(second.bars, first.bars);
  EXPECT_EQ(second.bars[2].low.ToString(), "-21474836.48");   // INT32_MIN hundredths
  EXPECT_EQ(second.bars[2].high.ToString(), "21474836.47");   // INT32_MAX hundredths
  EXPECT_EQ(second.bars[2].volume.ToString(), "2147483648");  // one beyond: 8 bytes
}

TEST(BarCacheTest, AFlippedBitInTheHeaderIsAMiss) {
  const fs::path dir = FreshDir("header");
  const fs::path csv = dir / "a.csv";
  WriteFile(csv,
            "Date,Open,High,Low,Close,Volume\n"
            "2001-01-02,10,11,9,10,100\n"
            "2001-01-03,10,9,11,10,100\n"
            "2001-01-04,10,11,9,10,100\n");
  const fs::path cache = dir / "cache";
  const CsvOptions skip{.on_bad_row = BadRowPolicy::kSkip};
  ReadCached(cache, csv.string(), skip);
  FlipBit(cache / Files(cache)[0], 32);  // the skipped rows' count: 1 would read as 17
  const Read read = ReadCached(cache, csv.string(), skip);
  EXPECT_FALSE(read.hit);
  EXPECT_EQ(read.skipped, 1);
  ASSERT_EQ(read.bars.size(), 2u);
  EXPECT_TRUE(ReadCached(cache, csv.string(), skip).hit);  // written again, whole
}

TEST(BarCacheTest, AFileChangedWhileItIsReadIsNotStored) {
  const fs::path dir = FreshDir("rewritten");
  const fs::path csv = dir / "a.csv";
  WriteFile(csv, "Date,Open,High,Low,Close,Volume\n2001-01-02,10,11,9,10,100\n");
  const fs::path cache = dir / "cache";
  auto opened = BarCache(cache).Open(csv.string(), {});
  ASSERT_TRUE(opened);
  EXPECT_FALSE(opened->hit);
  // Another process rewrites the file after its bytes were hashed.
  fs::last_write_time(csv, fs::last_write_time(csv) + std::chrono::seconds(1));
  auto bars = ReadAll(*opened->source);
  ASSERT_TRUE(bars);
  EXPECT_EQ(bars->size(), 1u);
  opened->source.reset();
  EXPECT_TRUE(Files(cache).empty());        // nothing stored under the old bytes' hash
  EXPECT_TRUE(Files(cache, true).empty());  // nor remembered
  EXPECT_FALSE(ReadCached(cache, csv.string()).hit);
  EXPECT_TRUE(ReadCached(cache, csv.string()).hit);
}

// ---- The memo of a file's hash -----------------------------------------------------------------

constexpr const char* kTwoBars =
    "Date,Open,High,Low,Close,Volume\n2001-01-02,10,11,9,10,100\n2001-01-03,10,12,9,11,200\n";

// Opens `csv` through a cache that remembers hashes at once (no settle time) and reads it all.
struct Opened {
  bool hit = false, hashed = false;
  std::vector<Bar> bars;
};
Opened OpenNow(const fs::path& cache, const fs::path& csv) {
  auto opened = BarCache(cache, std::chrono::nanoseconds(0)).Open(csv.string(), {});
  EXPECT_TRUE(opened) << opened.error().message;
  if (!opened) return {};
  auto bars = ReadAll(*opened->source);
  EXPECT_TRUE(bars) << bars.error().message;
  return {opened->hit, opened->hashed, bars ? *bars : std::vector<Bar>{}};
}

TEST(BarCacheTest, ARememberedFileIsNotReadAgain) {
  const fs::path dir = FreshDir("memo");
  const fs::path csv = dir / "a.csv", cache = dir / "cache";
  WriteFile(csv, kTwoBars);

  const Opened first = OpenNow(cache, csv);
  const Opened second = OpenNow(cache, csv);

  EXPECT_FALSE(first.hit);
  EXPECT_TRUE(first.hashed);
  EXPECT_TRUE(second.hit);
  EXPECT_FALSE(second.hashed);  // the memo gave the hash
  ExpectSameBars(second.bars, CsvBars(csv.string()));
  const std::vector<std::string> memos = Files(cache, true);
  ASSERT_EQ(memos.size(), 1u);
  std::ifstream memo(cache / memos[0]);
  std::string word;
  memo >> word;
  EXPECT_EQ(word, "wyckoff-ident");
}

TEST(BarCacheTest, AChangedFileIsHashedAgain) {
  const fs::path dir = FreshDir("memo-changed");
  const fs::path csv = dir / "a.csv", cache = dir / "cache";
  WriteFile(csv, kTwoBars);
  ASSERT_FALSE(OpenNow(cache, csv).hit);
  // A later tick of the file system's clock, then the same size with other bytes.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::string changed = kTwoBars;
  changed[changed.size() - 4] = '3';  // volume 200 -> 300
  WriteFile(csv, changed);

  const Opened after = OpenNow(cache, csv);

  EXPECT_TRUE(after.hashed);
  EXPECT_FALSE(after.hit);
  ASSERT_EQ(after.bars.size(), 2u);
  EXPECT_EQ(after.bars[1].volume, Decimal::FromInt(300));
  // Touched only: hashed again, and the same bytes find their entry.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  fs::last_write_time(csv, fs::last_write_time(csv) + std::chrono::seconds(1));
  const Opened touched = OpenNow(cache, csv);
  EXPECT_TRUE(touched.hashed);
  EXPECT_TRUE(touched.hit);
}

TEST(BarCacheTest, AFileChangedWithinTheSettleTimeIsNotRemembered) {
  const fs::path dir = FreshDir("memo-settle");
  const fs::path csv = dir / "a.csv", cache = dir / "cache";
  WriteFile(csv, kTwoBars);  // changed just now: within the default 2 s

  EXPECT_FALSE(ReadCached(cache, csv.string()).hit);
  auto second = BarCache(cache).Open(csv.string(), {});

  ASSERT_TRUE(second);
  EXPECT_TRUE(second->hit);
  EXPECT_TRUE(second->hashed);
  EXPECT_TRUE(Files(cache, true).empty());
}

TEST(BarCacheTest, ADamagedMemoIsIgnored) {
  const fs::path dir = FreshDir("memo-damaged");
  const fs::path csv = dir / "a.csv", cache = dir / "cache";
  WriteFile(csv, kTwoBars);
  ASSERT_FALSE(OpenNow(cache, csv).hit);
  const std::vector<std::string> memos = Files(cache, true);
  ASSERT_EQ(memos.size(), 1u);
  for (const char* damage : {"", "wyckoff-ident 1 garbage\n", "x\n"}) {
    SCOPED_TRACE(damage);
    WriteFile(cache / memos[0], damage);
    const Opened again = OpenNow(cache, csv);
    EXPECT_TRUE(again.hashed);
    EXPECT_TRUE(again.hit);
    ExpectSameBars(again.bars, CsvBars(csv.string()));
  }
}

TEST(BarCacheTest, ConcurrentRunsReadTheRightBarsAndLeaveOneWholeEntry) {
  const fs::path cache = FreshDir("concurrent");
  const std::vector<Bar> want = CsvBars(kOrcl);
  std::vector<Read> reads(4);
  std::vector<std::thread> threads;
  for (Read& read : reads) threads.emplace_back([&] { read = ReadCached(cache, kOrcl); });
  for (std::thread& t : threads) t.join();
  for (const Read& read : reads) ExpectSameBars(read.bars, want);
  EXPECT_EQ(Files(cache).size(), 1u);
  EXPECT_TRUE(ReadCached(cache, kOrcl).hit);
}

TEST(BarCacheTest, UnreadableFilesAndCacheFoldersSayWhy) {
  const fs::path dir = FreshDir("errors");
  auto missing = BarCache(dir / "cache").Open((dir / "none.csv").string(), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            CsvBarSource::Open((dir / "none.csv").string(), {}).error().message);
  WriteFile(dir / "plain", "not a folder");
  auto not_folder = BarCache(dir / "plain").Open(kOrcl, {});
  ASSERT_FALSE(not_folder);
  EXPECT_EQ(not_folder.error().message,
            "cache folder " + (dir / "plain").string() + ": Not a directory");
}

}  // namespace
}  // namespace wyckoff::engine
