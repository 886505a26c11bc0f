#include "wyckoff/db/walk_forward_store.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace wyckoff::db {
namespace {

using Json = nlohmann::ordered_json;

Json Stat(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

// The metrics a window row keeps of one run (train or test).
Json RunMetricsJson(const engine::Metrics& m, std::optional<double> score, std::int64_t steps) {
  Json j;
  j["score"] = Stat(score);
  j["net_profit"] = m.net_profit.ToString();
  j["total_return"] = Stat(m.total_return);
  j["sharpe"] = Stat(m.sharpe);
  j["sortino"] = Stat(m.sortino);
  j["max_drawdown"] = Stat(m.max_drawdown);
  j["trades"] = m.trade_count;
  j["steps"] = steps;
  return j;
}

// In-sample metrics of a window without a winner: nothing was chosen, nothing measured.
Json NoWinnerJson(std::int64_t steps) {
  Json j;
  for (const char* name :
       {"score", "net_profit", "total_return", "sharpe", "sortino", "max_drawdown", "trades"}) {
    j[name] = nullptr;
  }
  j["steps"] = steps;
  return j;
}

}  // namespace

std::vector<WindowRecord> WindowRecords(const engine::WalkForwardResult& wf,
                                        const engine::ParamGrid& grid) {
  std::vector<WindowRecord> records;
  records.reserve(wf.windows.size());
  for (std::size_t w = 0; w < wf.windows.size(); ++w) {
    const engine::WindowResult& r = wf.windows[w];
    Json params = Json::object();
    if (r.best) {
      for (const auto& [name, value] : grid.Given(r.best->index)) params[name] = value;
    }
    Json oos = RunMetricsJson(r.out_of_sample, r.oos_score, r.test_steps);
    oos["efficiency"] = Stat(r.efficiency);
    records.push_back(
        WindowRecord{.index = static_cast<int>(w),
                     .in_sample_start = r.train_first,
                     .in_sample_end = r.train_last,
                     .out_of_sample_start = r.test_first,
                     .out_of_sample_end = r.test_last,
                     .best_parameters_json = params.dump(),
                     .in_sample_metrics_json =
                         (r.best ? RunMetricsJson(r.best->metrics, r.best->score, r.train_steps)
                                 : NoWinnerJson(r.train_steps))
                             .dump(),
                     .out_of_sample_metrics_json = oos.dump()});
  }
  return records;
}

engine::RunResult StitchedRun(const engine::WalkForwardResult& wf) {
  engine::RunResult run;
  run.symbols = wf.symbols;
  run.trades.reserve(wf.trades.size());
  for (const engine::WindowTrade& t : wf.trades) run.trades.push_back(t.trade);
  run.metrics = wf.metrics;
  run.final_cash = wf.equity.empty() ? wf.metrics.initial_equity : wf.equity.back().cash;
  run.final_value = wf.equity.empty() ? wf.metrics.initial_equity : wf.equity.back().equity;
  run.steps = static_cast<std::int64_t>(wf.equity.size());
  run.bars = run.steps;
  run.intraday = wf.intraday;
  run.digest = wf.digest;
  return run;
}

Result<void> CompleteWalkForward(RunWriter& writer, const engine::WalkForwardResult& wf,
                                 const engine::ParamGrid& grid) {
  writer.OnStart(wf.intraday);
  for (const engine::EquityPoint& p : wf.equity) writer.OnEquity(p.time, p.cash, p.equity);
  writer.AddWindows(WindowRecords(wf, grid));
  return writer.Complete(StitchedRun(wf));
}

}  // namespace wyckoff::db
