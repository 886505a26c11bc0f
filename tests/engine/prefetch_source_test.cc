#include "wyckoff/engine/prefetch_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine_builders.h"

namespace wyckoff::engine {
namespace {

// What a reader of a source sees: every bar, then the end or the error, and the skip counts.
struct Seen {
  std::vector<Bar> bars;
  std::string error;  // empty when the source ended cleanly
  bool intraday = false;
  std::int64_t skipped = 0;
  std::string first_skip;
};

Seen Drain(BarSource& source) {
  Seen seen;
  Bar bar;
  while (true) {
    Result<bool> got = source.Next(bar);
    if (!got) {
      seen.error = got.error().message;
      break;
    }
    if (!*got) break;
    seen.bars.push_back(bar);
  }
  seen.intraday = source.intraday();
  seen.skipped = source.skipped_rows();
  seen.first_skip = source.first_skip_reason();
  return seen;
}

std::unique_ptr<BarSource> OpenCsv(const std::string& path, CsvOptions options = {}) {
  auto source = CsvBarSource::Open(path, options);
  EXPECT_TRUE(source.has_value()) << path;
  return std::move(*source);
}

void ExpectSame(const Seen& direct, const Seen& prefetched) {
  ASSERT_EQ(direct.bars.size(), prefetched.bars.size());
  for (std::size_t i = 0; i < direct.bars.size(); ++i) {
    ASSERT_EQ(direct.bars[i].time, prefetched.bars[i].time) << "bar " << i;
    ASSERT_EQ(direct.bars[i].open, prefetched.bars[i].open) << "bar " << i;
    ASSERT_EQ(direct.bars[i].high, prefetched.bars[i].high) << "bar " << i;
    ASSERT_EQ(direct.bars[i].low, prefetched.bars[i].low) << "bar " << i;
    ASSERT_EQ(direct.bars[i].close, prefetched.bars[i].close) << "bar " << i;
    ASSERT_EQ(direct.bars[i].volume, prefetched.bars[i].volume) << "bar " << i;
  }
  EXPECT_EQ(direct.error, prefetched.error);
  EXPECT_EQ(direct.intraday, prefetched.intraday);
  EXPECT_EQ(direct.skipped, prefetched.skipped);
  EXPECT_EQ(direct.first_skip, prefetched.first_skip);
}

// The real one-minute futures file holds 30,889 bars: seven full batches and a part one.
TEST(PrefetchingBarSourceTest, GivesTheSameBarsAsTheFileAcrossManyBatches) {
  const std::string path = testing::DataPath("intraday/estx50-futures-2006-01-02-1min.csv");
  Seen direct = Drain(*OpenCsv(path));
  PrefetchingBarSource prefetching(OpenCsv(path));
  Seen prefetched = Drain(prefetching);
  ASSERT_EQ(direct.bars.size(), 30889u);
  EXPECT_TRUE(direct.error.empty());
  ExpectSame(direct, prefetched);
  // Past the end it keeps saying so.
  Bar bar;
  auto again = prefetching.Next(bar);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(*again);
}

// A copy of the real file with one row broken at `row` (1-based data row).
std::string BreakRow(const std::string& name, std::size_t row, const std::string& replacement) {
  std::ifstream in(testing::DataPath("daily/orcl-1995-2014.csv"), std::ios::binary);
  auto dir = std::filesystem::temp_directory_path() / "wyckoff-prefetch-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream out(path, std::ios::binary);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    out << (n == row ? replacement : line) << '\n';
    ++n;
  }
  return path;
}

TEST(PrefetchingBarSourceTest, StopsAtTheSameErrorAfterTheSameBars) {
  const std::string path = BreakRow("stop.csv", 4500, "1912-11-31,1,2,0.5,1.5,1.5,100");
  Seen direct = Drain(*OpenCsv(path));
  PrefetchingBarSource prefetching(OpenCsv(path));
  Seen prefetched = Drain(prefetching);
  ASSERT_EQ(direct.bars.size(), 4499u);
  EXPECT_NE(direct.error.find(":4501:"), std::string::npos) << direct.error;
  ExpectSame(direct, prefetched);
}

TEST(PrefetchingBarSourceTest, CountsTheSameSkippedRows) {
  const std::string path = BreakRow("skip.csv", 5000, "2010-01-04,1,0.5,2,1.5,1.5,100");
  CsvOptions skip;
  skip.on_bad_row = BadRowPolicy::kSkip;
  Seen direct = Drain(*OpenCsv(path, skip));
  PrefetchingBarSource prefetching(OpenCsv(path, skip));
  Seen prefetched = Drain(prefetching);
  EXPECT_EQ(direct.skipped, 1);
  EXPECT_FALSE(direct.first_skip.empty());
  ExpectSame(direct, prefetched);
}

TEST(PrefetchingBarSourceTest, StopsItsThreadWhenDroppedBeforeTheEnd) {
  const std::string path = testing::DataPath("intraday/estx50-futures-2006-01-02-1min.csv");
  for (int reads : {0, 1, 5000}) {
    PrefetchingBarSource prefetching(OpenCsv(path));
    Bar bar;
    for (int i = 0; i < reads; ++i) ASSERT_TRUE(*prefetching.Next(bar));
  }  // each destructor joins its reader; a hang here fails the test by its timeout
}

}  // namespace
}  // namespace wyckoff::engine
