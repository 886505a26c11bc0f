// What the fuzz targets found, one test per crash, named after its target. Each input is the
// crash input cut down to what triggers it; the seed corpora (fuzz/corpus/) keep it too, so
// that scripts/fuzz.sh tries it again on every run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "wyckoff/gate/budgets.h"
#include "wyckoff/gate/compare.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/engine/bar_source.h"

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
  Bar bar;

  Result<bool> got = (*source)->Next(bar);

  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().message,
            path +
                ":2: date: \"4479-01-03\" is outside the supported dates 1678-01-01 to "
                "2261-12-31");
  std::filesystem::remove(path);
}

// The supported dates are whole years inside what a timestamp holds, so any time of day added
// to an accepted date fits too.
TEST(FuzzRegressionTest, ParseDateAcceptsExactlyTheSupportedYears) {
  const auto first = ParseDate("1678-01-01");
  const auto late_evening = ParseTimestamp("2261-12-31 23:59:59");
  const auto before = ParseDate("1677-12-31");
  const auto after = ParseDate("2262-01-01");

  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_TRUE(late_evening.has_value()) << late_evening.error().message;
  EXPECT_EQ(FormatTimestamp(*first, true), "1678-01-01");
  EXPECT_EQ(FormatTimestamp(*late_evening, false), "2261-12-31 23:59:59");
  ASSERT_FALSE(before.has_value());
  EXPECT_EQ(before.error().message,
            "\"1677-12-31\" is outside the supported dates 1678-01-01 to 2261-12-31");
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().message,
            "\"2262-01-01\" is outside the supported dates 1678-01-01 to 2261-12-31");
}

// ---- budgets_json -----------------------------------------------------------------------------

// Found by budgets_json: a number beyond a double made nlohmann throw out_of_range (406),
// which only parse_error was caught for, so the exception ended the process.
TEST(FuzzRegressionTest, BudgetsJsonNumberBeyondADoubleIsAParseError) {
  auto budgets = gate::ParseBudgets(
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

  auto comparison = gate::CompareFiles({path}, {path}, gate::CompareOptions{});

  ASSERT_FALSE(comparison.has_value());
  EXPECT_EQ(comparison.error().message,
            path + ": not valid JSON (number overflow parsing '1e400')");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wyckoff
