#include "wyckoff/db/bars.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine_builders.h"
#include "test_database.h"
#include "wyckoff/db/audit_log.h"

namespace wyckoff::db {
namespace {

using ::testing::HasSubstr;
using wyckoff::testing::BarBuilder;

// The first `n` rows of the real ORCL file, split by hand (Date,Open,High,Low,Close,Adj
// Close,Volume), so that this test does not depend on the engine's CSV reader.
std::vector<Bar> OrclRows(int n) {
  std::ifstream in(std::string(WYCKOFF_SOURCE_DIR) + "/data/daily/orcl-1995-2014.csv");
  std::string line;
  std::getline(in, line);  // header
  std::vector<Bar> bars;
  while (static_cast<int>(bars.size()) < n && std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) f.push_back(field);
    bars.push_back(Bar{.time = *ParseDate(f[0]),
                       .open = *Decimal::Parse(f[1]),
                       .high = *Decimal::Parse(f[2]),
                       .low = *Decimal::Parse(f[3]),
                       .close = *Decimal::Parse(f[4]),
                       .volume = *Decimal::Parse(f[6])});
  }
  return bars;
}

void ExpectSameBars(const std::vector<Bar>& actual, const std::vector<Bar>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE("bar " + std::to_string(i));
    EXPECT_EQ(actual[i].time, expected[i].time);
    EXPECT_EQ(actual[i].open.ToString(), expected[i].open.ToString());
    EXPECT_EQ(actual[i].high.ToString(), expected[i].high.ToString());
    EXPECT_EQ(actual[i].low.ToString(), expected[i].low.ToString());
    EXPECT_EQ(actual[i].close.ToString(), expected[i].close.ToString());
    EXPECT_EQ(actual[i].volume.ToString(), expected[i].volume.ToString());
  }
}

class BarsTest : public testing::MigratedDatabaseTest {
 protected:
  const ImportOptions options_{.actor = "importer"};
};

TEST_F(BarsTest, RealRowsReadBackEqual) {
  const std::vector<Bar> orcl = OrclRows(20);
  ASSERT_EQ(orcl.size(), 20u);
  ASSERT_EQ(orcl[0].open.ToString(), "2.179012");  // 1995-01-03

  auto summary = ImportBars(conn(), "ORCL", "1d", orcl, options_);
  auto back = LoadBars(conn(), "ORCL", "1d");

  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->inserted, 20);
  EXPECT_EQ(summary->replaced, 0);
  EXPECT_EQ(summary->first, orcl.front().time);
  EXPECT_EQ(summary->last, orcl.back().time);
  ASSERT_TRUE(back) << back.error().message;
  ExpectSameBars(*back, orcl);
  // Stored as exact NUMERIC text, not as a float approximation.
  EXPECT_EQ(SqlValue("SELECT open::text FROM bars WHERE time = '1995-01-03+00'"), "2.179012");
}

TEST_F(BarsTest, ImportWritesOneAuditEntryInTheSameTransaction) {
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", OrclRows(5), options_));

  auto entries = QueryAudit(conn(), "importer", kActionBarsImported, 0);

  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].entity_type, "bars");
  EXPECT_EQ((*entries)[0].entity_id, "ORCL:1d");
  EXPECT_THAT((*entries)[0].payload_json, HasSubstr("\"rows\": 5"));
  EXPECT_THAT((*entries)[0].payload_json, HasSubstr("\"first\": \"1995-01-03 00:00:00\""));
}

TEST_F(BarsTest, SecondImportOfTheSameBarsFailsAndChangesNothing) {
  const std::vector<Bar> orcl = OrclRows(10);
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", orcl, options_));

  auto again = ImportBars(conn(), "ORCL", "1d", OrclRows(12), options_);

  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(again.error().message,
              HasSubstr("10 of 12 bars of ORCL 1d are already stored, the first at "
                        "1995-01-03 00:00:00; nothing was imported"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM bars"), "10");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM audit_log WHERE action = 'bars.imported'"), "1");
}

TEST_F(BarsTest, ReplaceOverwritesStoredBars) {
  std::vector<Bar> orcl = OrclRows(10);
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", orcl, options_));
  orcl[3].close = orcl[3].high;
  orcl.push_back(OrclRows(11).back());

  auto summary = ImportBars(conn(), "ORCL", "1d", orcl,
                            {.on_conflict = OnConflict::kReplace, .actor = "importer"});
  auto back = LoadBars(conn(), "ORCL", "1d");

  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->inserted, 1);
  EXPECT_EQ(summary->replaced, 10);
  ASSERT_TRUE(back) << back.error().message;
  ExpectSameBars(*back, orcl);
}

class AddedBarsTest : public BarsTest {
 protected:
  // Imports `first`, then `second` (none of whose times is stored), and expects the second
  // import to add every bar without a conflict and the series to read back as `all`.
  void ExpectAddedWithoutConflicts(const std::vector<Bar>& first, const std::vector<Bar>& second,
                                   const std::vector<Bar>& all) {
    ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", first, options_));

    auto added = ImportBars(conn(), "ORCL", "1d", second, options_);
    auto back = LoadBars(conn(), "ORCL", "1d");

    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(added->inserted, static_cast<std::int64_t>(second.size()));
    EXPECT_EQ(added->replaced, 0);
    ASSERT_TRUE(back) << back.error().message;
    ExpectSameBars(*back, all);
  }
};

// After the stored ones: straight into the table.
TEST_F(AddedBarsTest, LaterBarsOfAStoredSeries) {
  const std::vector<Bar> orcl = OrclRows(20);
  ExpectAddedWithoutConflicts({orcl.begin(), orcl.begin() + 10}, {orcl.begin() + 10, orcl.end()},
                              orcl);
}

// Stored bars inside the imported range but at none of its times: the staged path, with no
// conflict to report.
TEST_F(AddedBarsTest, BarsBetweenStoredOnes) {
  const std::vector<Bar> orcl = OrclRows(20);
  std::vector<Bar> even, odd;
  for (std::size_t i = 0; i < orcl.size(); ++i) (i % 2 == 0 ? even : odd).push_back(orcl[i]);
  ExpectAddedWithoutConflicts(even, odd, orcl);
}

// Two sessions importing the same new bars at once take turns: one stores them, the other
// then finds them stored and says so (not a primary-key error from a race), also when the
// database's default isolation is repeatable read.
void ImportTwiceAtOnce(Connection& first, Connection& second, const ImportOptions& options,
                       const std::string& prefix) {
  const std::vector<Bar> orcl = OrclRows(200);
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string symbol = prefix + std::to_string(round);
    Result<ImportSummary> a, b;

    std::thread thread([&] { b = ImportBars(second, symbol, "1d", orcl, options); });
    a = ImportBars(first, symbol, "1d", orcl, options);
    thread.join();

    ASSERT_NE(a.has_value(), b.has_value());
    const Error& lost = a ? b.error() : a.error();
    EXPECT_THAT(lost.message, HasSubstr("200 of 200 bars of " + symbol +
                                        " 1d are already stored, the first at "
                                        "1995-01-03 00:00:00; nothing was imported"));
  }
}

TEST_F(BarsTest, ConcurrentImportsOfOneSeriesTakeTurns) {
  auto other = ConnectAgain();
  ASSERT_TRUE(other) << other.error().message;

  ImportTwiceAtOnce(conn(), *other, options_, "RACE");

  EXPECT_EQ(SqlValue("SELECT count(*) FROM bars"), "2000");
}

TEST_F(BarsTest, ConcurrentImportsTakeTurnsUnderRepeatableReadToo) {
  Sql("ALTER DATABASE " + database() + " SET default_transaction_isolation = 'repeatable read'");
  auto first = ConnectAgain(), second = ConnectAgain();  // sessions with the new default
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(*ExecuteSql(*first, "SHOW default_transaction_isolation")->at(0).at(0),
            "repeatable read");

  ImportTwiceAtOnce(*first, *second, options_, "RR");

  EXPECT_EQ(SqlValue("SELECT count(*) FROM bars"), "2000");
}

TEST_F(BarsTest, LoadBarsReadsAHalfOpenRangeOfOneSymbolAndTimeframe) {
  const std::vector<Bar> orcl = OrclRows(10);
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", orcl, options_));
  ASSERT_TRUE(ImportBars(conn(), "OTHER", "1d", orcl, options_));
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1w", {orcl[0]}, options_));

  auto range = LoadBars(conn(), "ORCL", "1d", orcl[2].time, orcl[5].time);
  auto unknown = LoadBars(conn(), "NOPE", "1d");

  ASSERT_TRUE(range) << range.error().message;
  ExpectSameBars(*range, {orcl[2], orcl[3], orcl[4]});
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_TRUE(unknown->empty());
}

TEST_F(BarsTest, MicrosecondTimesAndTimesBefore1970RoundTrip) {
  const Timestamp morning = *ParseTimestamp("2006-01-02 09:00:00");
  // The first and the last microsecond of the supported dates, too.
  const Timestamp last = *ParseDate("2261-12-31") + kNanosPerDay - 1'000;
  const std::vector<Bar> bars = {
      BarBuilder().Time(*ParseDate("1678-01-01")).Flat("2").Volume(1).Build(),
      BarBuilder().Time(-1'500'000'000).Flat("1.5").Volume(0).Build(),  // 1969-12-31 23:59:58.5
      BarBuilder().Time(morning + 123'456'000).Flat("3800.25").Volume(7).Build(),
      BarBuilder().Time(morning + 60 * kNanosPerSecond).Flat("3800.5").Volume(9).Build(),
      BarBuilder().Time(last).Flat("4").Volume(3).Build(),
  };

  ASSERT_TRUE(ImportBars(conn(), "ESTX50", "1m", bars, options_));
  auto back = LoadBars(conn(), "ESTX50", "1m");

  ASSERT_TRUE(back) << back.error().message;
  ExpectSameBars(*back, bars);
  EXPECT_EQ(SqlValue("SELECT string_agg(time::text, ',' ORDER BY time) FROM bars"),
            "1678-01-01 00:00:00+00,1969-12-31 23:59:58.5+00,2006-01-02 09:00:00.123456+00,"
            "2006-01-02 09:01:00+00,2261-12-31 23:59:59.999999+00");
}

TEST_F(BarsTest, RejectsBadBarsBeforeTouchingTheDatabase) {
  const Bar good = BarBuilder().Day(1).Ohlc("10", "11", "9", "10.5").Volume(100).Build();
  const Bar later = BarBuilder().Day(2).Ohlc("10", "11", "9", "10.5").Volume(100).Build();
  const Bar inverted = BarBuilder().Day(3).Ohlc("10", "9", "11", "10").Volume(100).Build();
  const Bar nanos = BarBuilder().Time(good.time + 1).Flat("10").Volume(1).Build();

  auto empty = ImportBars(conn(), "X", "1d", {}, options_);
  auto no_symbol = ImportBars(conn(), "", "1d", {good}, options_);
  auto backwards = ImportBars(conn(), "X", "1d", {later, good}, options_);
  auto range = ImportBars(conn(), "X", "1d", {good, later, inverted}, options_);
  auto sub_micro = ImportBars(conn(), "X", "1d", {nanos}, options_);

  for (const auto* result : {&empty, &no_symbol, &backwards, &range, &sub_micro}) {
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_THAT(backwards.error().message,
              HasSubstr("bars of X 1d at 2000-01-02 00:00:00: time is not after the previous"));
  EXPECT_THAT(range.error().message, HasSubstr("at 2000-01-04 00:00:00: high 9 is below low 11"));
  EXPECT_THAT(sub_micro.error().message, HasSubstr("digits below the microsecond"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM bars"), "0");
}

TEST_F(BarsTest, NonpositivePricesNeedTheRuleThatAllowsThem) {
  const std::vector<Bar> bars = {
      BarBuilder().Day(1).Ohlc("1", "2", "0.5", "1").Volume(10).Build(),
      BarBuilder().Day(2).Ohlc("-37.63", "1", "-40.32", "-37.63").Volume(10).Build(),
  };

  auto refused = ImportBars(conn(), "CL", "1d", bars, options_);
  ImportOptions allow = options_;
  allow.rules.allow_nonpositive_prices = true;
  auto stored = ImportBars(conn(), "CL", "1d", bars, allow);

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "bars of CL 1d at 2000-01-03 00:00:00: low -40.32 is not a positive price");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(SqlValue("SELECT min(low) FROM bars WHERE symbol = 'CL'"), "-40.32");
}

// Rows written without wyckoff meet the bar rules before a run sees them: a price beyond the
// input limit is refused with the series, the bar and the reason.
TEST_F(BarsTest, StoredBarsBeyondTheInputLimitAreRefusedWhenRead) {
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", OrclRows(3), options_));
  Sql("UPDATE bars SET high = 1e20 WHERE time = '1995-01-04+00'");

  auto back = LoadBars(conn(), "ORCL", "1d");

  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(back.error().message,
            "stored bars of ORCL 1d at 1995-01-04 00:00:00: high 100000000000000000000 is "
            "beyond the input limit of 1e12");
}

}  // namespace
}  // namespace wyckoff::db
