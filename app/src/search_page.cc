#include "search_page.h"

#include <algorithm>
#include <optional>

#include "wyckoff/report/html_report.h"

namespace wyckoff::app {
namespace {

report::HtmlReport PageWithBars(const std::string& kind, const engine::MarketData& data,
                                std::size_t bar_limit) {
  report::HtmlReport page(kind, data.symbols, bar_limit);
  Bar bar;
  for (std::size_t s = 0; s < data.bars.size(); ++s) {
    for (std::size_t i = 0; i < data.bars[s].size(); ++i) {
      data.bars[s].Get(i, bar);
      page.bars[s].Add(bar);
    }
  }
  return page;
}

// The searched parameters of combination `index` (the grid lists the fixed ones first).
std::vector<std::pair<std::string, std::string>> Searched(const engine::ParamGrid& grid,
                                                          std::uint64_t index) {
  const engine::ParamList all = grid.Given(index);
  return {all.begin() + static_cast<std::ptrdiff_t>(grid.fixed().size()), all.end()};
}

// Runs `params` over `slice` from `cash` and returns the run. `sink` may be null.
Result<engine::RunResult> RunOnce(const SearchRequest& r, const engine::DataSlice& slice,
                                  const ParamValues& params, Decimal cash,
                                  engine::EquitySink* sink) {
  auto strategy = strategies::FactoryOf(*r.strategy).make(params, nullptr);
  if (!strategy) return tl::unexpected(strategy.error());
  engine::EngineConfig config = r.search.config;
  config.initial_cash = cash;
  config.trade_from = slice.trade_from;
  std::vector<std::unique_ptr<engine::BarSource>> sources = slice.Sources();
  return engine::BacktestEngine(config, slice.symbols, **strategy).Run(sources, sink);
}

}  // namespace

Result<report::OutputFile> WriteOptimizePage(const SearchRequest& r, const engine::MarketData& data,
                                             const engine::SearchResult& result,
                                             const report::SearchInfo& info) {
  report::HtmlReport page = PageWithBars("optimize", data, r.html_report_bars);
  page.summary_json = report::OptimizeSummaryJson(result, *r.grid, *r.plan, info);
  page.objective = info.objective;
  for (const auto& d : r.grid->dimensions()) page.searched.push_back(d.name);
  for (const engine::ComboResult& c : result.ranked) {
    page.results.push_back({c.index, Searched(*r.grid, c.index), c.score, c.metrics.net_profit,
                            c.metrics.trade_count, c.metrics.sharpe, c.metrics.max_drawdown});
  }
  std::optional<engine::RunResult> run;  // owns the events the page shows
  if (const engine::ComboResult* best = result.best()) {
    report::EquityTap equity(page.equity);
    auto made = RunOnce(r, data.All(), r.grid->Combination(best->index),
                        r.search.config.initial_cash, &equity);
    if (!made) return tl::unexpected(made.error());
    run.emplace(std::move(*made));
    page.events = run->events;
    page.trades = report::ChartTradesOf(*run);
    page.charted_run_digest = run->digest;
  }
  return report::WriteHtmlReport(r.html_report, page);
}

Result<report::OutputFile> WriteWalkForwardPage(const SearchRequest& r,
                                                const engine::MarketData& data,
                                                const engine::WalkForwardResult& wf,
                                                const report::SearchInfo& info) {
  report::HtmlReport page = PageWithBars("walk-forward", data, r.html_report_bars);
  page.summary_json = report::WalkForwardSummaryJson(wf, *r.grid, *r.plan, info);
  for (const engine::EquityPoint& p : wf.equity) {
    page.equity.Add({report::ToSeconds(p.time), p.cash, p.equity, p.equity, p.equity});
  }
  for (const engine::WindowTrade& wt : wf.trades) {
    page.trades.push_back(report::ChartTradeOf(wt.trade));
    page.trades.back().window = wt.window + 1;
    page.trades.back().closed_at_window_end = wt.closed_at_window_end;
  }
  // Each test window again, as RunWalkForward ran it (engine/walk_forward.cc: the window's
  // steps after up to `warmup` steps, from the value the previous window ended with).
  const std::vector<Timestamp> clock = data.Clock();
  const std::size_t warmup = r.windows.warmup;
  std::vector<engine::RunEvent> events;
  Decimal cash = r.search.config.initial_cash;
  for (std::size_t w = 0; w < wf.windows.size(); ++w) {
    const engine::WindowResult& window = wf.windows[w];
    page.windows.push_back(
        {window.train_first, window.train_last, window.test_first, window.test_last});
    if (window.best) {
      const std::size_t begin = window.window.test_begin, end = window.window.test_end;
      engine::DataSlice slice = data.Slice(clock[begin - std::min(warmup, begin)],
                                           end < clock.size() ? clock[end] : kEndOfTime);
      slice.trade_from = clock[begin];
      auto run = RunOnce(r, slice, r.grid->Combination(window.best->index), cash, nullptr);
      if (!run) return tl::unexpected(run.error());
      const auto traded = std::count_if(wf.trades.begin(), wf.trades.end(), [&](const auto& t) {
        return t.window == static_cast<int>(w) && !t.closed_at_window_end;
      });
      WYCKOFF_CHECK(static_cast<std::size_t>(traded) == run->trades.size(),
                    "a test window run again trades as the walk-forward did");
      events.insert(events.end(), run->events.begin(), run->events.end());
      report::AttachBrackets(page.trades, *run, static_cast<int>(w) + 1);
    }
    cash = window.out_of_sample.final_equity;
  }
  page.events = events;
  return report::WriteHtmlReport(r.html_report, page);
}

}  // namespace wyckoff::app
