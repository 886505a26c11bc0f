#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine_builders.h"
#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {
namespace {

using testing::D;

// Writes `text` to a fresh file in the test's temporary folder and returns its path.
std::string WriteCsv(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "wyckoff-csv-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Result<std::vector<Bar>> Load(const std::string& path, CsvOptions options = {}) {
  auto source = CsvBarSource::Open(path, options);
  if (!source) return tl::unexpected(source.error());
  return ReadAll(**source);
}

std::string LoadError(const std::string& name, const std::string& text) {
  auto bars = Load(WriteCsv(name, text));
  EXPECT_FALSE(bars.has_value()) << name;
  return bars ? "" : bars.error().message;
}

TEST(CsvBarSourceTest, ReadsYahooDailyWithAdjCloseIgnored) {
  auto path = WriteCsv("yahoo.csv",
                       "Date,Open,High,Low,Close,Adj Close,Volume\n"
                       "1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200\n"
                       "1995-01-04,2.123457,2.148148,2.092592,2.135803,1.899776,46051600\n");
  auto source = CsvBarSource::Open(path, {});
  ASSERT_TRUE(source.has_value());
  auto bars = ReadAll(**source);
  ASSERT_TRUE(bars.has_value());
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_FALSE((*source)->intraday());
  const Bar& b = (*bars)[1];
  EXPECT_EQ(FormatTimestamp(b.time, true), "1995-01-04");
  EXPECT_EQ(b.open, D("2.123457"));
  EXPECT_EQ(b.high, D("2.148148"));
  EXPECT_EQ(b.low, D("2.092592"));
  EXPECT_EQ(b.close, D("2.135803"));
  EXPECT_EQ(b.volume, D("46051600"));
}

TEST(CsvBarSourceTest, ReadsDateAndTimeColumnsAsIntraday) {
  auto path = WriteCsv("intraday.csv",
                       "Date,Time,Open,High,Low,Close,Volume,OpenInterest\n"
                       "2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0\n");
  auto source = CsvBarSource::Open(path, {});
  ASSERT_TRUE(source.has_value());
  EXPECT_TRUE((*source)->intraday());
  auto bars = ReadAll(**source);
  ASSERT_TRUE(bars.has_value());
  EXPECT_EQ(FormatTimestamp((*bars)[0].time, false), "2006-01-02 09:01:00");
}

TEST(CsvBarSourceTest, AcceptsSemicolonsCrlfBomQuotesAndAnyCaseOrOrder) {
  auto bars = Load(WriteCsv("variant.csv",
                            "\xEF\xBB\xBF\"TIMESTAMP\";volume;CLOSE;low;High;oPeN\r\n"
                            "2020-01-02 10:00:00;100;10.5;9.5;11;10\r\n"
                            "\r\n"
                            "2020-01-02 10:01:00;0;10;10;10;10\r\n"));
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[0].close, D("10.5"));
  EXPECT_EQ((*bars)[0].high, D("11"));
  EXPECT_EQ((*bars)[1].volume, Decimal());
}

TEST(CsvBarSourceTest, RealFilesLoadCompletely) {
  auto orcl = Load(testing::DataPath("daily/orcl-1995-2014.csv"));
  ASSERT_TRUE(orcl.has_value());
  EXPECT_EQ(orcl->size(), 5036u);
  auto futures = Load(testing::DataPath("intraday/estx50-futures-2006-01-02-1min.csv"));
  ASSERT_TRUE(futures.has_value());
  EXPECT_EQ(futures->size(), 30889u);
  EXPECT_EQ(futures->back().close, D("3838"));
}

TEST(CsvBarSourceTest, EachRuleReportsFileLineAndReason) {
  const std::string h = "Date,Open,High,Low,Close,Volume\n";
  const std::string ok = "2020-01-01,10,11,9,10,100\n";
  auto path = [](const char* n) {
    return (std::filesystem::temp_directory_path() / "wyckoff-csv-test" / n).string();
  };
  EXPECT_EQ(LoadError("hl.csv", h + ok + "2020-01-02,10.5,10.50,11.00,10.6,1\n"),
            path("hl.csv") + ":3: high 10.5 is below low 11");
  EXPECT_EQ(LoadError("ol.csv", h + "2020-01-02,8,11,9,10,1\n"),
            path("ol.csv") + ":2: open 8 is below low 9");
  EXPECT_EQ(LoadError("oh.csv", h + "2020-01-02,12,11,9,10,1\n"),
            path("oh.csv") + ":2: open 12 is above high 11");
  EXPECT_EQ(LoadError("cl.csv", h + "2020-01-02,10,11,9,8.99,1\n"),
            path("cl.csv") + ":2: close 8.99 is below low 9");
  EXPECT_EQ(LoadError("ch.csv", h + "2020-01-02,10,11,9,11.01,1\n"),
            path("ch.csv") + ":2: close 11.01 is above high 11");
  EXPECT_EQ(LoadError("vol.csv", h + "2020-01-02,10,11,9,10,-5\n"),
            path("vol.csv") + ":2: volume -5 is negative");
  EXPECT_EQ(LoadError("num.csv", h + "2020-01-02,10,abc,9,10,1\n"),
            path("num.csv") + ":2: high: \"abc\" is not a decimal number");
  EXPECT_EQ(LoadError("null.csv", h + "2020-01-02,null,null,null,null,null\n"),
            path("null.csv") + ":2: open: \"null\" is not a decimal number");
  EXPECT_EQ(LoadError("order.csv", h + ok + ok),
            path("order.csv") + ":3: time 2020-01-01 is not after the previous bar's 2020-01-01");
  EXPECT_EQ(LoadError("date.csv", h + "2020-02-30,10,11,9,10,1\n"),
            path("date.csv") + ":2: time: \"2020-02-30\" is not a valid calendar date");
  EXPECT_EQ(LoadError("fields.csv", h + "2020-01-02,10,11\n"),
            path("fields.csv") + ":2: expected 6 fields, found 3");
  EXPECT_EQ(LoadError("big.csv", h + "2020-01-02,10,10000000000000,9,10,1\n"),
            path("big.csv") + ":2: high 10000000000000 is beyond the input limit of 1e12");
}

TEST(CsvBarSourceTest, HeaderProblemsAreClearErrors) {
  EXPECT_EQ(LoadError("empty.csv", ""),
            (std::filesystem::temp_directory_path() / "wyckoff-csv-test/empty.csv").string() +
                ": the file is empty");
  EXPECT_EQ(LoadError("novol.csv", "Date,Open,High,Low,Close\n2020-01-01,1,1,1,1\n"),
            (std::filesystem::temp_directory_path() / "wyckoff-csv-test/novol.csv").string() +
                ":1: header has no Volume column");
  auto missing = CsvBarSource::Open("/nonexistent/bars.csv", {});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message,
            "/nonexistent/bars.csv: cannot open: No such file or directory");
}

TEST(CsvBarSourceTest, SkipPolicyCountsBadRowsAndKeepsTheRest) {
  auto path = WriteCsv("skip.csv",
                       "Date,Open,High,Low,Close,Volume\n"
                       "2020-01-01,10,11,9,10,100\n"
                       "2020-01-02,null,null,null,null,null\n"
                       "2020-01-03,10,9,11,10,100\n"
                       "2020-01-04,10,11,9,10.5,100\n");
  auto source = CsvBarSource::Open(path, {BadRowPolicy::kSkip});
  ASSERT_TRUE(source.has_value());
  auto bars = ReadAll(**source);
  ASSERT_TRUE(bars.has_value());
  EXPECT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[1].close, D("10.5"));
  EXPECT_EQ((*source)->skipped_rows(), 2);
  EXPECT_EQ((*source)->first_skip_reason(), path + ":3: open: \"null\" is not a decimal number");
}

TEST(CsvBarSourceTest, ArbitraryBytesNeverCrash) {
  std::mt19937 rng(12345);
  const std::string alphabet = "0123456789.,;-:\n\r \"abcDateOpenHighLowCloseVolume\xEF\xBB\xBF";
  for (int i = 0; i < 300; ++i) {
    std::string text = i % 2 ? "Date,Open,High,Low,Close,Volume\n" : "";
    std::uniform_int_distribution<std::size_t> len(0, 400), pick(0, alphabet.size() - 1);
    for (std::size_t n = len(rng); n > 0; --n) text.push_back(alphabet[pick(rng)]);
    auto bars = Load(WriteCsv("fuzz.csv", text));
    if (!bars) {
      EXPECT_FALSE(bars.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace wyckoff::engine
