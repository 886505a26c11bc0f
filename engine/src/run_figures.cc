#include "wyckoff/engine/run_figures.h"

namespace wyckoff::engine {

std::vector<RunFigure> RunFigures(const RunResult& run) {
  const Metrics& m = run.metrics;
  return {
      {"bars", run.bars},
      {"steps", run.steps},
      {"skipped_rows", run.skipped_rows},
      {"closed_trades", m.trade_count},
      {"initial_cash", m.initial_equity},
      {"final_value", run.final_value},
      {"final_cash", run.final_cash},
      {"net_profit", m.net_profit},
      {"gross_profit", m.gross_profit},
      {"gross_loss", m.gross_loss},
      {"expectancy", m.expectancy},
      {"total_return", std::optional<double>(m.total_return)},
      {"cagr", m.cagr},
      {"sharpe", m.sharpe},
      {"sortino", m.sortino},
      {"max_drawdown", std::optional<double>(m.max_drawdown)},
      {"max_drawdown_amount", m.max_drawdown_amount},
      {"max_drawdown_duration", m.max_drawdown_duration},
      {"winning_trades", m.winning_trades},
      {"losing_trades", m.losing_trades},
      {"win_rate", m.win_rate},
      {"average_r", m.average_r},
      {"profit_factor", m.profit_factor},
      {"exposure", std::optional<double>(m.exposure)},
      {"average_bars_held", m.average_bars_held},
      {"orders", run.order_count},
      {"rejected_orders", run.rejected_orders},
      {"fills", run.fill_count},
  };
}

}  // namespace wyckoff::engine
