// Chart series: a run's bars and equity curve as the HTML report draws them, kept in bounded
// memory however long the run.
//
//   BarSeries bars(/*limit=*/1'000'000);
//   for (const Bar& bar : all) bars.Add(bar);        // or a BarTap around the engine's source
//   bars.rows();       // one row per bar, or per period once more than `limit` came
//   bars.period();     // 0: every bar as it came; else the seconds each row covers
//
// Up to `limit` rows the series holds every bar as it came (time in whole seconds). When one
// more arrives, the rows are merged into periods of the first length of kAggregationPeriods
// (1 s, 5 s, 15 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 1 day, 1 week, 4 weeks,
// 52 weeks) that brings them to `limit` or fewer, and every later bar goes into the row of its
// period. Each period length divides the next and all start on the same grid (weeks on
// Mondays), so merging merged rows again is exact: the result is what aggregating all bars at
// once would give, and memory stays at `limit` rows. A merged bar has the first open, the
// highest high, the lowest low, the last close and the summed volume of its bars, and the start
// of its period as its time. Two bars in one second (sub-second stored bars) are merged into a
// 1-second period.
//
// The equity curve is kept the same way: a merged point has the last cash and equity of its
// period and the lowest and highest equity in it (so drawdowns stay visible).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/decimal.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::report {

// The period lengths, in seconds, that chart series are aggregated to, finest first.
inline constexpr std::array<std::int64_t, 15> kAggregationPeriods = {
    1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 86400, 604800, 2419200, 31449600};

// Periods start at 1970-01-05 00:00:00 UTC (a Monday) plus a whole number of periods.
inline constexpr std::int64_t kPeriodOrigin = 4 * 86400;

// `t` in whole seconds, rounded down (times before 1970 too).
std::int64_t ToSeconds(Timestamp t);

// The start of the period of `length` seconds that holds second `t`.
std::int64_t PeriodStart(std::int64_t t, std::int64_t length);

struct ChartBar {
  std::int64_t time = 0;  // seconds since the epoch, UTC
  Decimal open, high, low, close, volume;
};

struct EquityRow {
  std::int64_t time = 0;
  Decimal cash, equity;  // at the end of the period
  Decimal low, high;     // the lowest and highest equity in the period
};

// Rows of one series, merged into periods when more than `limit` arrive (see above). `Row` is
// ChartBar or EquityRow.
template <typename Row>
class ChartSeries {
 public:
  // `limit` is at least 1.
  explicit ChartSeries(std::size_t limit);

  // Appends `row` (its time after the previous row's), or merges it into the last row when
  // both fall in one period.
  void Add(const Row& row);

  const std::vector<Row>& rows() const { return rows_; }
  // Rows added.
  std::int64_t count() const { return count_; }
  // 0 while every row is kept as it came; else the period length in seconds.
  std::int64_t period() const { return period_; }
  bool aggregated() const { return period_ != 0; }
  std::size_t limit() const { return limit_; }

 private:
  // Merges the rows into the next period lengths until at most limit_ remain.
  void Coarsen();

  std::size_t limit_;
  std::vector<Row> rows_;
  std::int64_t count_ = 0;
  std::int64_t period_ = 0;
  std::size_t level_ = 0;  // the next entry of kAggregationPeriods to try
};

using EquitySeries = ChartSeries<EquityRow>;

// A symbol's bars as a chart series.
class BarSeries : public ChartSeries<ChartBar> {
 public:
  using ChartSeries<ChartBar>::ChartSeries;
  using ChartSeries<ChartBar>::Add;
  void Add(const Bar& bar);
};

extern template class ChartSeries<ChartBar>;
extern template class ChartSeries<EquityRow>;

}  // namespace wyckoff::report
