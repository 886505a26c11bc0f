// Performance metrics of a run, accumulated bar by bar in constant memory.
//
//   MetricsAccumulator m(initial_cash);
//   for (each clock step) m.OnEquity(time, equity, /*invested=*/portfolio.invested());
//   Result<Metrics> out = m.Finish(trades);   // error: a money sum left Decimal's range
//
// Definitions (statistics in double, money in Decimal):
// - returns r_i = equity_i / equity_(i-1) - 1 per clock step, the first step against the
//   initial cash; periods per year = steps / years spanned (first to last timestamp, 365.25-day
//   years), so daily and intraday data annualise by their own density.
// - sharpe = mean(r) / stdev(r) x sqrt(periods per year), sample stdev, risk-free rate 0;
//   sortino = mean(r) / sqrt(mean(min(r, 0)^2)) x sqrt(periods per year).
// - cagr = (final / initial)^(1 / years) - 1.
// - max drawdown: the largest fall from a running peak of equity, as a fraction of that peak
//   and in money; its duration: the most steps spent below a previous peak.
// - win rate: share of closed trades with pnl > 0; expectancy: mean pnl per trade; profit
//   factor: gross profit / gross loss (undefined without losing trades); average R over the
//   trades that carry one; exposure: share of steps with any open position.
// Undefined values (no trades, one step, zero variance) are empty optionals.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "wyckoff/engine/portfolio.h"

namespace wyckoff::engine {

struct Metrics {
  Decimal initial_equity;
  Decimal final_equity;
  Decimal net_profit;
  double total_return = 0;
  std::optional<double> cagr;
  std::optional<double> sharpe;
  std::optional<double> sortino;
  double max_drawdown = 0;  // fraction of the peak, >= 0
  Decimal max_drawdown_amount;
  std::int64_t max_drawdown_duration = 0;  // clock steps
  std::int64_t trade_count = 0;
  std::int64_t winning_trades = 0;
  std::int64_t losing_trades = 0;
  std::optional<double> win_rate;
  std::optional<double> average_r;
  std::optional<Decimal> expectancy;  // mean pnl per trade, rounded half-even to 12 places
  Decimal gross_profit;
  Decimal gross_loss;  // >= 0
  std::optional<double> profit_factor;
  double exposure = 0;
  std::optional<double> average_bars_held;
  std::int64_t steps = 0;
};

class MetricsAccumulator {
 public:
  explicit MetricsAccumulator(Decimal initial_equity);
  void OnEquity(Timestamp time, Decimal equity, bool invested) {
    // Inline for an unchanged equity (a flat book, or prices that did not move), most steps:
    // a return of exactly 0 adds nothing to the sums, and the peak and the deepest fall stay;
    // only the counts and the time under water grow. The same state as OnEquityChange gives.
    if (equity == last_ && steps_ > 0) [[likely]] {
      last_time_ = time;
      ++steps_;
      if (invested) ++invested_steps_;
      if (underwater_ > 0) max_underwater_ = std::max(max_underwater_, ++underwater_);
      return;
    }
    OnEquityChange(time, equity, invested);
  }
  // A trade closed: its money and counts join the metrics (a run that streams its trades keeps
  // none of them).
  void OnTrade(const Trade& trade);
  // The metrics of the equity steps and the trades given to OnTrade. Error (kOverflow) when a
  // sum of the trades' money (gross profit or loss, their total) left Decimal's range.
  Result<Metrics> Finish() const;
  // The same with `trades` added first (for runs stitched from parts).
  Result<Metrics> Finish(const std::vector<Trade>& trades) const;

 private:
  void OnEquityChange(Timestamp time, Decimal equity, bool invested);

  Decimal initial_;
  Decimal last_;
  Decimal peak_;
  double last_value_;  // last_ as a double, for the next return
  double peak_value_;  // peak_ as a double, for the drawdown depth
  Timestamp first_time_ = 0, last_time_ = 0;
  // The trades so far.
  std::int64_t trades_ = 0, winners_ = 0, losers_ = 0, r_count_ = 0;
  Decimal total_pnl_, gross_profit_, gross_loss_;
  double r_sum_ = 0, bars_sum_ = 0;
  bool trade_overflow_ = false;
  std::int64_t steps_ = 0;
  std::int64_t invested_steps_ = 0;
  // Sums of returns and of their squares (per-step returns are small, so the variance from
  // these sums loses nothing that matters), and the downside sum of squares.
  double sum_ = 0, sum_squares_ = 0, downside_ = 0;
  double max_drawdown_ = 0;
  Decimal max_drawdown_amount_;
  std::int64_t underwater_ = 0, max_underwater_ = 0;
};

}  // namespace wyckoff::engine
