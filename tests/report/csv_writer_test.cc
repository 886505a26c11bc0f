#include "wyckoff/report/csv_writer.h"

#include <gtest/gtest.h>

#include "engine_builders.h"

namespace wyckoff::report {
namespace {

using testing::D;

TEST(CsvWriterTest, QuotesTextFieldsPerRfc4180) {
  std::string out;
  CsvWriter csv(out);
  csv.Text("plain").Text("a,b").Text("say \"hi\"").Text("two\nlines").Text(" padded").Text("");
  csv.End();
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\n");
  EXPECT_EQ(CsvField("x\r"), "\"x\r\"");
}

TEST(CsvWriterTest, NumbersAndTimesNeverNeedQuotes) {
  std::string out;
  CsvWriter csv(out);
  const Timestamp t = *ParseTimestamp("2006-01-02 09:05:00");
  csv.Number(D("-12.50")).Number(std::int64_t{-7}).Number(std::uint64_t{7});
  csv.Number(std::optional<Decimal>()).Number(0.1).Number(std::optional<double>());
  csv.Significant(1.0 / 3).Time(t, true).Time(t, false).End();
  csv.Row({"h1", "h,2"});
  csv.Text("x").DateAndTime(t).Fixed(D("3602.5"), 2).End();
  EXPECT_EQ(out,
            "-12.5,-7,7,,0.1,,0.333333,2006-01-02 09:05:00,2006-01-02\nh1,\"h,2\"\n"
            "x,2006-01-02,09:05:00,3602.50\n");
}

}  // namespace
}  // namespace wyckoff::report
