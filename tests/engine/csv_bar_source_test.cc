#include <gtest/gtest.h>

#include <cstdio>
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
            path("date.csv") + ":2: date: \"2020-02-30\" is not a valid calendar date");
  EXPECT_EQ(LoadError("fields.csv", h + "2020-01-02,10,11\n"),
            path("fields.csv") + ":2: expected 6 fields as in the header, found 3");
  EXPECT_EQ(LoadError("big.csv", h + "2020-01-02,10,10000000000000,9,10,1\n"),
            path("big.csv") + ":2: high 10000000000000 is beyond the input limit of 1e12");
}

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() / "wyckoff-csv-test" / name).string();
}

TEST(CsvBarSourceTest, ARowWithMoreFieldsThanTheHeaderIsRefused) {
  const std::string h = "Date,Open,High,Low,Close,Volume\n";
  // A volume with thousands separators used to be read as 8 (the rest dropped).
  EXPECT_EQ(LoadError("thousands.csv", h + "2020-01-02,10,11,9,10,8,282,200\n"),
            TempPath("thousands.csv") +
                ":2: expected 6 fields as in the header, found 8 (a number with a thousands "
                "separator or a decimal comma?)");
  // A decimal comma shifts the columns.
  EXPECT_EQ(LoadError("comma.csv", h + "2020-01-02,10,11,5,5,10,100\n"),
            TempPath("comma.csv") +
                ":2: expected 6 fields as in the header, found 7 (a number with a thousands "
                "separator or a decimal comma?)");
  // Quoted, the separator stays inside the field, whose text then fails as a number.
  EXPECT_EQ(LoadError("quoted.csv", h + "2020-01-02,10,11,9,10,\"8,282,200\"\n"),
            TempPath("quoted.csv") + ":2: volume: \"8,282,200\" is not a decimal number");
  EXPECT_EQ(LoadError("unclosed.csv", h + "2020-01-02,10,11,9,10,\"8\n"),
            TempPath("unclosed.csv") +
                ":2: a quoted field does not close, or has text after its closing quote");
  // A last column that is not read still counts its fields (the fast path for plain rows once
  // read "a,b" as that one column).
  EXPECT_EQ(LoadError("note.csv",
                      "Date,Open,High,Low,Close,Volume,Note\n"
                      "2020-01-02,5,5,5,5,100,a,b\n"),
            TempPath("note.csv") +
                ":2: expected 7 fields as in the header, found 8 (a number with a thousands "
                "separator or a decimal comma?)");
}

TEST(CsvBarSourceTest, QuotedFieldsFollowRfc4180) {
  auto bars = Load(WriteCsv("rfc.csv",
                            "\"Date\",\"Open\",\"High\",\"Low\",\"Close\",\"Volume\",\"Note\"\n"
                            "\"2020-01-02\", \"10\" ,11,9,10,100,\"a, \"\"b\"\"\"\n"));
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  ASSERT_EQ(bars->size(), 1u);
  EXPECT_EQ((*bars)[0].open, D("10"));
  EXPECT_EQ((*bars)[0].volume, D("100"));
}

TEST(CsvBarSourceTest, AColumnNamedTwiceIsRefused) {
  EXPECT_EQ(
      LoadError("twice.csv", "Date,Open,High,Low,Close,Volume,volume\n2020-01-02,10,11,9,10,1,2\n"),
      TempPath("twice.csv") +
          ":1: the header names the column \"volume\" twice (columns 6 "
          "and 7)");
  EXPECT_EQ(
      LoadError("both.csv", "Date,Timestamp,Open,High,Low,Close,Volume\n"),
      TempPath("both.csv") + ":1: the header has both a Date and a Timestamp column; keep one");
}

TEST(CsvBarSourceTest, AFileWithoutBarsIsAnError) {
  EXPECT_EQ(LoadError("header-only.csv", "Date,Open,High,Low,Close,Volume\n"),
            TempPath("header-only.csv") + ": no bars: the file has a header only");
  EXPECT_EQ(LoadError("blank-rows.csv", "Date,Open,High,Low,Close,Volume\n\n  \n"),
            TempPath("blank-rows.csv") + ": no bars: the file has a header only");
  auto source = CsvBarSource::Open(
      WriteCsv("all-bad.csv", "Date,Open,High,Low,Close,Volume\n2020-01-02,x,1,1,1,1\n"),
      {BadRowPolicy::kSkip});
  ASSERT_TRUE(source.has_value());
  auto bars = ReadAll(**source);
  ASSERT_FALSE(bars.has_value());
  EXPECT_EQ(bars.error().message,
            TempPath("all-bad.csv") + ": no bars: all 1 rows are bad (first: " +
                TempPath("all-bad.csv") + ":2: open: \"x\" is not a decimal number)");
}

TEST(CsvBarSourceTest, LoneCarriageReturnLinesAreRead) {
  auto bars = Load(WriteCsv("cr.csv",
                            "Date,Open,High,Low,Close,Volume\r2020-01-02,10,11,9,10,100\r"
                            "2020-01-03,10,12,9,11,200\r"));
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  ASSERT_EQ(bars->size(), 2u);
  EXPECT_EQ((*bars)[1].high, D("12"));
  EXPECT_EQ((*bars)[1].volume, D("200"));
  // Line numbers count lone-CR lines too.
  EXPECT_EQ(LoadError("cr-bad.csv",
                      "Date,Open,High,Low,Close,Volume\r2020-01-02,10,11,9,10,1\r"
                      "2020-01-03,10,9,11,10,1"),
            TempPath("cr-bad.csv") + ":3: high 9 is below low 11");
}

TEST(CsvBarSourceTest, DatesOutsideTheSupportedYearsAreRefusedAsWritten) {
  const std::string h = "Date,Open,High,Low,Close,Volume\n";
  EXPECT_EQ(LoadError("year1.csv", h + "0001-01-01,10,11,9,10,1\n"),
            TempPath("year1.csv") +
                ":2: date: \"0001-01-01\" is outside the supported dates 1678-01-01 to 2261-12-31");
  EXPECT_EQ(LoadError("year2262.csv",
                      "Timestamp,Open,High,Low,Close,Volume\n2262-04-12 00:00:00,10,11,9,10,1\n"),
            TempPath("year2262.csv") +
                ":2: timestamp: \"2262-04-12\" is outside the supported dates 1678-01-01 to "
                "2261-12-31");
  auto edge = Load(WriteCsv("edges.csv", h + "1678-01-01,10,11,9,10,1\n2261-12-31,10,11,9,10,1\n"));
  ASSERT_TRUE(edge.has_value()) << edge.error().message;
  EXPECT_EQ(FormatTimestamp(edge->front().time, true), "1678-01-01");
  EXPECT_EQ(FormatTimestamp(edge->back().time, true), "2261-12-31");
}

TEST(CsvBarSourceTest, PricesMustBePositiveUnlessAllowed) {
  const std::string text =
      "Date,Open,High,Low,Close,Volume\n2020-01-02,0,1,0,1,10\n"
      "2020-04-20,-37.63,1,-40.32,-37.63,10\n";
  EXPECT_EQ(LoadError("zero.csv", text),
            TempPath("zero.csv") + ":2: low 0 is not a positive price");
  CsvOptions allow;
  allow.rules.allow_nonpositive_prices = true;
  auto bars = Load(WriteCsv("negative.csv", text), allow);
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  EXPECT_EQ((*bars)[1].low, D("-40.32"));
}

TEST(CsvBarSourceTest, ExponentNotationGetsItsOwnMessage) {
  EXPECT_EQ(LoadError("exp.csv", "Date,Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10,1e6\n"),
            TempPath("exp.csv") +
                ":2: volume: \"1e6\" uses exponent notation; write the number in plain decimal "
                "digits");
}

TEST(CsvBarSourceTest, ControlBytesInMessagesAreEscaped) {
  using namespace std::string_literals;
  EXPECT_EQ(
      LoadError("ctl.csv", "Date,Open,High,Low,Close,Volume\n2020-01-02,1\x01\0,11,9,10,1\n"s),
      TempPath("ctl.csv") + ":2: open: \"1\\x01\\0\" is not a decimal number");
  // A runaway field is cut at 40 bytes.
  EXPECT_EQ(LoadError("long.csv", "Date,Open,High,Low,Close,Volume\n2020-01-02,1" +
                                      std::string(100, 'x') + ",11,9,10,1\n"),
            TempPath("long.csv") + ":2: open: \"1" + std::string(39, 'x') +
                "...\" is not a decimal number");
}

TEST(CsvBarSourceTest, AFolderIsNotAFileOfBars) {
  auto dir = std::filesystem::temp_directory_path() / "wyckoff-csv-test" / "a-folder";
  std::filesystem::create_directories(dir);
  auto source = CsvBarSource::Open(dir.string(), {});
  ASSERT_FALSE(source.has_value());
  EXPECT_EQ(source.error().message, dir.string() + ": is a folder, not a CSV file of bars");
}

TEST(CsvBarSourceTest, AnUnnamedFirstColumnHoldsTheTimes) {
  auto bars = Load(WriteCsv("pandas.csv",
                            ",Open,High,Low,Close,Volume\n2017-04-19 09:00:00,1.0716,1.0722,"
                            "1.07083,1.07219,1413\n2017-04-19 10:00:00,1.07214,1.0723,1.0713,"
                            "1.0716,1700\n"));
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  EXPECT_EQ(FormatTimestamp((*bars)[1].time, false), "2017-04-19 10:00:00");
}

TEST(CsvBarSourceTest, BarsRecordTheDecimalsTheirPricesWereWrittenWith) {
  auto bars = Load(WriteCsv("decimals.csv",
                            "Date,Open,High,Low,Close,Volume\n2020-01-02,10,11.5,9,10.25,100.125\n"
                            "2020-01-03,10.50,11,9,10,1\n2020-01-06,10,11,9,10,1\n"));
  ASSERT_TRUE(bars.has_value()) << bars.error().message;
  EXPECT_EQ((*bars)[0].decimals, 2);  // 10.25; the volume's decimals do not count
  EXPECT_EQ((*bars)[1].decimals, 2);  // 10.50 as written
  EXPECT_EQ((*bars)[2].decimals, 0);
}

// Rows in the common layout take a fast path; quoting every field sends the same rows through
// the general one. Both must read every real file (and edge forms) to the same bars.
TEST(CsvBarSourceTest, FastAndGeneralPathsReadTheSameBars) {
  auto quote_fields = [](const std::string& text) {
    std::string out, field;
    bool header = true;
    for (char c : text) {
      if (c == ',' || c == '\n') {
        out += header ? field : "\"" + field + "\"";
        out += c;
        field.clear();
        if (c == '\n') header = false;
      } else if (c != '\r') {
        field += c;
      }
    }
    return out;
  };
  std::vector<std::string> texts;
  for (const char* file : {"daily/orcl-1995-2014.csv", "daily/ko-1997-1998.csv",
                           "intraday/estx50-futures-2006-01-02-1min.csv"}) {
    std::ifstream in(testing::DataPath(file), std::ios::binary);
    texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  texts.push_back(
      "Timestamp,Open,High,Low,Close,Volume\n2020-01-02 10:00:00,-0,1,-0.5,0.000000000001,0\n"
      "2020-01-02T10:01:00,0.5,9999.999999999999,0.1,1,1000000000000\n2020-01-03,1,1,1,1,1\n");
  {
    // Fields of every length from 1 to 26 characters, so that each delimiter falls at every
    // offset of the reader's eight-byte words.
    std::mt19937_64 rng(17);
    auto digits = [&](int n) {
      std::string out;
      for (int i = 0; i < n; ++i) out += static_cast<char>('0' + rng() % 10);
      return out;
    };
    std::string text = "Date,Open,High,Low,Close,Volume\n";
    for (int row = 0; row < 400; ++row) {
      const int whole = 1 + static_cast<int>(rng() % 12), places = static_cast<int>(rng() % 13);
      const std::string price = "1" + digits(whole - 1) + (places ? "." + digits(places) : "");
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", 2001 + row / 336, row / 28 % 12 + 1,
                    row % 28 + 1);
      text += std::string(date) + "," + price + "," + price + "," + price + "," + price + "," +
              digits(1 + static_cast<int>(rng() % 12)) + "\n";
    }
    texts.push_back(text);
  }
  CsvOptions allow;
  allow.rules.allow_nonpositive_prices = true;
  for (const std::string& text : texts) {
    // Every row of these files is plain: the fast path reads them all.
    auto source = CsvBarSource::Open(WriteCsv("fast.csv", text), allow);
    ASSERT_TRUE(source.has_value()) << source.error().message;
    auto fast = ReadAll(**source);
    ASSERT_TRUE(fast.has_value()) << fast.error().message;
    EXPECT_EQ((*source)->fast_rows(), static_cast<std::int64_t>(fast->size()));
    auto general = Load(WriteCsv("general.csv", quote_fields(text)), allow);
    ASSERT_TRUE(general.has_value()) << general.error().message;
    ASSERT_EQ(fast->size(), general->size());
    for (std::size_t i = 0; i < fast->size(); ++i) {
      const Bar &a = (*fast)[i], &b = (*general)[i];
      ASSERT_TRUE(a.time == b.time && a.decimals == b.decimals && a.open == b.open &&
                  a.high == b.high && a.low == b.low && a.close == b.close && a.volume == b.volume)
          << "row " << i + 2;
    }
  }
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

TEST(CsvBarSourceTest, ProgressCountsTheBytesBehindTheLastBar) {
  // Header 32 bytes, each row 26.
  const std::string text =
      "Date,Open,High,Low,Close,Volume\n"
      "2001-01-02,10,11,9,10,100\n"
      "2001-01-03,10,11,9,10,100\n";
  auto source = CsvBarSource::Open(WriteCsv("progress.csv", text), {});
  ASSERT_TRUE(source);
  EXPECT_EQ((*source)->progress().total, text.size());
  EXPECT_TRUE((*source)->progress().bytes);
  Bar bar;
  ASSERT_TRUE((*source)->Next(bar).value());
  EXPECT_EQ((*source)->progress().done, 32u + 26u);
  ASSERT_TRUE((*source)->Next(bar).value());
  ASSERT_FALSE((*source)->Next(bar).value());
  EXPECT_EQ((*source)->progress().done, text.size());
  // Bars in memory count bars.
  const std::vector<Bar> bars(3);
  SpanBarSource span(bars, false);
  ASSERT_TRUE(span.Next(bar).value());
  EXPECT_EQ(span.progress().done, 1u);
  EXPECT_EQ(span.progress().total, 3u);
  EXPECT_FALSE(span.progress().bytes);
}

// ReadAll sizes its vector once from the file's size (not by doubling, which peaks at up to
// three times the bars): on the bundled minute and daily files the capacity is the bars and
// at most 1/8 more.
TEST(CsvBarSourceTest, ReadAllHoldsTheBarsWithLittleToSpare) {
  for (const char* name :
       {"/data/intraday/estx50-futures-2006-01-02-1min.csv", "/data/daily/orcl-1995-2014.csv"}) {
    auto bars = Load(std::string(WYCKOFF_SOURCE_DIR) + name);
    ASSERT_TRUE(bars.has_value()) << name;
    EXPECT_GE(bars->size(), 5000u) << name;
    EXPECT_LE(bars->capacity(), bars->size() + bars->size() / 8) << name;
  }
}

}  // namespace
}  // namespace wyckoff::engine
