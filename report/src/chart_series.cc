#include "wyckoff/report/chart_series.h"

#include "wyckoff/core/error.h"

namespace wyckoff::report {
namespace {

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// `into` takes in `row`, which comes after it in time.
void Merge(ChartBar& into, const ChartBar& row) {
  into.high = Max(into.high, row.high);
  into.low = Min(into.low, row.low);
  into.close = row.close;
  into.volume += row.volume;
}

void Merge(EquityRow& into, const EquityRow& row) {
  into.cash = row.cash;
  into.equity = row.equity;
  into.low = Min(into.low, row.low);
  into.high = Max(into.high, row.high);
}

}  // namespace

std::int64_t ToSeconds(Timestamp t) { return FloorDiv(t, kNanosPerSecond); }

std::int64_t PeriodStart(std::int64_t t, std::int64_t length) {
  return FloorDiv(t - kPeriodOrigin, length) * length + kPeriodOrigin;
}

template <typename Row>
ChartSeries<Row>::ChartSeries(std::size_t limit) : limit_(limit) {
  WYCKOFF_CHECK(limit >= 1, "a chart series keeps at least one row");
}

template <typename Row>
void ChartSeries<Row>::Add(const Row& row) {
  ++count_;
  Row r = row;
  if (period_ != 0) r.time = PeriodStart(r.time, period_);
  if (!rows_.empty() && rows_.back().time == r.time) {
    if (period_ == 0) {  // two rows in one second: 1-second periods from now on
      Coarsen();
      r.time = PeriodStart(r.time, period_);
    }
    if (rows_.back().time == r.time) {
      Merge(rows_.back(), r);
      return;
    }
  }
  rows_.push_back(r);
  if (rows_.size() > limit_) Coarsen();
}

template <typename Row>
void ChartSeries<Row>::Coarsen() {
  do {
    WYCKOFF_CHECK(level_ < kAggregationPeriods.size(), "no coarser chart period");
    period_ = kAggregationPeriods[level_++];
    std::size_t kept = 0;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      Row r = rows_[i];
      r.time = PeriodStart(r.time, period_);
      if (kept > 0 && rows_[kept - 1].time == r.time) {
        Merge(rows_[kept - 1], r);
      } else {
        rows_[kept++] = r;
      }
    }
    rows_.resize(kept);
  } while (rows_.size() > limit_ && level_ < kAggregationPeriods.size());
}

void BarSeries::Add(const Bar& bar) {
  Add(ChartBar{ToSeconds(bar.time), bar.open, bar.high, bar.low, bar.close, bar.volume});
}

template class ChartSeries<ChartBar>;
template class ChartSeries<EquityRow>;

}  // namespace wyckoff::report
