#include "wyckoff/engine/metrics.h"

#include <algorithm>
#include <cmath>

namespace wyckoff::engine {

MetricsAccumulator::MetricsAccumulator(Decimal initial_equity)
    : initial_(initial_equity),
      last_(initial_equity),
      peak_(initial_equity),
      last_value_(initial_equity.ToDouble()),
      peak_value_(last_value_) {}

void MetricsAccumulator::OnEquityChange(Timestamp time, Decimal equity, bool invested) {
  if (steps_ == 0) first_time_ = time;
  last_time_ = time;
  ++steps_;
  if (invested) ++invested_steps_;
  // Statistics in double; the one division per step is the return itself.
  const double value = equity.ToDouble();
  const double r = last_value_ > 0 ? value / last_value_ - 1.0 : 0.0;
  last_value_ = value;
  sum_ += r;
  sum_squares_ += r * r;
  if (r < 0) downside_ += r * r;
  last_ = equity;
  if (equity >= peak_) {
    peak_ = equity;
    peak_value_ = value;
    underwater_ = 0;
    return;
  }
  max_underwater_ = std::max(max_underwater_, ++underwater_);
  const Decimal fall = peak_ - equity;
  if (fall > max_drawdown_amount_) max_drawdown_amount_ = fall;
  const double fall_value = peak_value_ - value;
  if (peak_value_ > 0 && fall_value > max_drawdown_ * peak_value_) {
    max_drawdown_ = fall_value / peak_value_;
  }
}

void MetricsAccumulator::OnTrade(const Trade& t) {
  auto add = [this](Decimal& sum, Decimal x) {
    Decimal::Raw out;
    if (__builtin_add_overflow(sum.raw(), x.raw(), &out) || out > Decimal::Max().raw() ||
        out < Decimal::Min().raw()) {
      trade_overflow_ = true;
      return;
    }
    sum = Decimal::FromRaw(out);
  };
  ++trades_;
  add(total_pnl_, t.pnl);
  if (t.pnl.IsPositive()) ++winners_, add(gross_profit_, t.pnl);
  if (t.pnl.IsNegative()) ++losers_, add(gross_loss_, -t.pnl);
  if (t.r_multiple) r_sum_ += t.r_multiple->ToDouble(), ++r_count_;
  bars_sum_ += static_cast<double>(t.bars_held());
}

Result<Metrics> MetricsAccumulator::Finish(const std::vector<Trade>& trades) const {
  MetricsAccumulator all = *this;
  for (const Trade& t : trades) all.OnTrade(t);
  return all.Finish();
}

Result<Metrics> MetricsAccumulator::Finish() const {
#ifdef WYCKOFF_BENCH_SLOWDOWN
  // Deliberate extra work for the regression gate's own tests only (scripts/bench-gate-
  // selftest.sh, scripts/bench-gate-study.sh build a head with this option ON): TENTHS / 10
  // spins per trade; 30 adds about 30% to BM_Metrics_100Trades, 15 about 15%.
  for (volatile std::int64_t spin = 0; spin < WYCKOFF_BENCH_SLOWDOWN_TENTHS * trades_ / 10;
       spin = spin + 1) {
  }
#endif
  if (trade_overflow_) {
    return Fail(ErrorCode::kOverflow,
                "the sum of the trades' P&L left the exact decimal range (about 1.7e26)");
  }
  Metrics m;
  m.initial_equity = initial_;
  m.final_equity = last_;
  m.net_profit = last_ - initial_;
  m.steps = steps_;
  if (initial_.IsPositive()) m.total_return = last_.ToDouble() / initial_.ToDouble() - 1.0;
  const double years =
      static_cast<double>(last_time_ - first_time_) / (365.25 * static_cast<double>(kNanosPerDay));
  if (years > 0 && initial_.IsPositive() && last_.IsPositive()) {
    m.cagr = std::pow(last_.ToDouble() / initial_.ToDouble(), 1.0 / years) - 1.0;
  }
  if (steps_ >= 2 && years > 0) {
    const double periods = static_cast<double>(steps_) / years;
    const double n = static_cast<double>(steps_);
    const double mean = sum_ / n;
    const double variance = std::max(0.0, (sum_squares_ - sum_ * mean) / (n - 1));
    const double stdev = std::sqrt(variance);
    if (stdev > 0) m.sharpe = mean / stdev * std::sqrt(periods);
    const double downside = std::sqrt(downside_ / n);
    if (downside > 0) m.sortino = mean / downside * std::sqrt(periods);
  }
  m.max_drawdown = max_drawdown_;
  m.max_drawdown_amount = max_drawdown_amount_;
  m.max_drawdown_duration = max_underwater_;
  if (steps_ > 0) m.exposure = static_cast<double>(invested_steps_) / static_cast<double>(steps_);
  m.trade_count = trades_;
  m.winning_trades = winners_;
  m.losing_trades = losers_;
  m.gross_profit = gross_profit_;
  m.gross_loss = gross_loss_;
  if (trades_ > 0) {
    const auto n = static_cast<double>(trades_);
    m.win_rate = static_cast<double>(winners_) / n;
    m.expectancy = total_pnl_.DivInt(trades_);
    m.average_bars_held = bars_sum_ / n;
  }
  if (r_count_ > 0) m.average_r = r_sum_ / static_cast<double>(r_count_);
  if (m.gross_loss.IsPositive()) {
    m.profit_factor = m.gross_profit.ToDouble() / m.gross_loss.ToDouble();
  }
  return m;
}

}  // namespace wyckoff::engine
