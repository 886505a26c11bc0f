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

void MetricsAccumulator::OnEquity(Timestamp time, Decimal equity, bool invested) {
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

Result<Metrics> MetricsAccumulator::Finish(const std::vector<Trade>& trades) const {
#ifdef WYCKOFF_BENCH_SLOWDOWN
  // Deliberate extra work (about 30% of BM_Metrics_100Trades) for the regression gate's
  // self-test only: scripts/bench-gate-selftest.sh builds a head with this option ON.
  for (volatile std::size_t spin = 0; spin < 3 * trades.size(); spin = spin + 1) {
  }
#endif
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

  m.trade_count = static_cast<std::int64_t>(trades.size());
  Decimal total;
  double r_sum = 0, bars_sum = 0;
  std::int64_t r_count = 0;
  auto add = [](Decimal& sum, Decimal x) {
    Decimal::Raw out;
    if (__builtin_add_overflow(sum.raw(), x.raw(), &out) || out > Decimal::Max().raw() ||
        out < Decimal::Min().raw()) {
      return false;
    }
    sum = Decimal::FromRaw(out);
    return true;
  };
  for (const Trade& t : trades) {
    bool ok = add(total, t.pnl);
    if (t.pnl.IsPositive()) ++m.winning_trades, ok = ok && add(m.gross_profit, t.pnl);
    if (t.pnl.IsNegative()) ++m.losing_trades, ok = ok && add(m.gross_loss, -t.pnl);
    if (!ok) {
      return Fail(ErrorCode::kOverflow,
                  "the sum of the trades' P&L left the exact decimal range (about 1.7e26)");
    }
    if (t.r_multiple) r_sum += t.r_multiple->ToDouble(), ++r_count;
    bars_sum += static_cast<double>(t.bars_held());
  }
  if (m.trade_count > 0) {
    const auto n = static_cast<double>(m.trade_count);
    m.win_rate = static_cast<double>(m.winning_trades) / n;
    m.expectancy = total.DivInt(m.trade_count);
    m.average_bars_held = bars_sum / n;
  }
  if (r_count > 0) m.average_r = r_sum / static_cast<double>(r_count);
  if (m.gross_loss.IsPositive())
    m.profit_factor = m.gross_profit.ToDouble() / m.gross_loss.ToDouble();
  return m;
}

}  // namespace wyckoff::engine
