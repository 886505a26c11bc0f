// What the fuzz targets found, one test per crash, named after its target. Each input is the
// crash input cut down to what triggers it; the seed corpora (fuzz/corpus/) keep it too, so
// that scripts/fuzz.sh tries it again on every run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "wyckoff/benchmarks/budgets.h"
#include "wyckoff/benchmarks/compare.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/engine/timestamp.h"

namespace wyckoff {
namespace {

// Writes `text` to a fresh file under the temporary folder; returns its path.
std::string WriteTemporary(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("wyckoff_fuzz_regression_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// ---- csv_bar_reader ---------------------------------------------------------------------------

// Found by csv_bar_reader: a year past 2262 overflowed the 64-bit nanoseconds of ParseDate
// (signed overflow, undefined behaviour: 916396 days x 86400e9 ns).
TEST(FuzzRegressionTest, CsvBarReaderRowDatedAfter2262IsAnError) {
  const std::string path =
      WriteTemporary("after2262.csv", "Date,Open,High,Low,Close,Volume\n4479-01-03,1,1,1,1,1\n");
  auto source = engine::CsvBarSource::Open(path, {});
  ASSERT_TRUE(source.has_value()) << source.error().message;
  engine::Bar bar;

  engine::Result<bool> got = (*source)->Next(bar);

  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().message,
            path +
                ":2: time: \"4479-01-03\" is outside the dates a timestamp holds, 1677-09-22 to "
                "2262-04-10");
  std::filesystem::remove(path);
}

TEST(FuzzRegressionTest, ParseDateAcceptsExactlyTheDatesATimestampHolds) {
  const auto first = engine::ParseDate("1677-09-22");
  const auto last = engine::ParseDate("2262-04-10");
  const auto before = engine::ParseDate("1677-09-21");
  const auto after = engine::ParseDate("2262-04-11");
  const auto late_evening = engine::ParseTimestamp("2262-04-10 23:59:59");

  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_TRUE(last.has_value()) << last.error().message;
  ASSERT_TRUE(late_evening.has_value()) << late_evening.error().message;
  EXPECT_EQ(*first, -106751 * engine::kNanosPerDay);
  EXPECT_EQ(*last, 106750 * engine::kNanosPerDay);
  EXPECT_EQ(*late_evening, *last + 86399 * engine::kNanosPerSecond);
  EXPECT_EQ(engine::FormatTimestamp(*late_evening, false), "2262-04-10 23:59:59");
  ASSERT_FALSE(before.has_value());
  EXPECT_EQ(before.error().message,
            "\"1677-09-21\" is outside the dates a timestamp holds, 1677-09-22 to 2262-04-10");
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().message,
            "\"2262-04-11\" is outside the dates a timestamp holds, 1677-09-22 to 2262-04-10");
}

// ---- budgets_json -----------------------------------------------------------------------------

// Found by budgets_json: a number beyond a double made nlohmann throw out_of_range (406),
// which only parse_error was caught for, so the exception ended the process.
TEST(FuzzRegressionTest, BudgetsJsonNumberBeyondADoubleIsAParseError) {
  auto budgets = benchmarks::ParseBudgets(
      R"({"budgets": [{"benchmark": "BM_A", "floor": 1, "metric": "bars_per_second", "target": 30e6777}]})",
      "budgets.json");

  ASSERT_FALSE(budgets.has_value());
  EXPECT_EQ(budgets.error().message,
            "budgets.json: not valid JSON (number overflow parsing '30e6777')");
}

// The same number in benchmark results (the reader shares the catch).
TEST(FuzzRegressionTest, BenchResultsJsonNumberBeyondADoubleIsAParseError) {
  const std::string path =
      WriteTemporary("overflow.json", R"({"benchmarks": [{"name": "BM_A", "run_type": "iteration",
                            "real_time": 1e400, "time_unit": "ns"}]})");

  auto comparison = benchmarks::CompareFiles({path}, {path}, benchmarks::CompareOptions{});

  ASSERT_FALSE(comparison.has_value());
  EXPECT_EQ(comparison.error().message,
            path + ": not valid JSON (number overflow parsing '1e400')");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wyckoff
