#include "wyckoff/report/search_report.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/report.h"

namespace wyckoff::report {
namespace {

using engine::Metrics;
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// The shortest text that reads back as `v`; empty when undefined or not finite.
// printf into a string: one table row.
[[gnu::format(printf, 1, 2)]] std::string Format(const char* format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  return line;
}

// For tables: fixed decimals, or "n/a".
std::string Fixed(std::optional<double> v, int places = 3) {
  if (!v || !std::isfinite(*v)) return "n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", places, *v);
  return buf;
}

Json Stat(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

std::string Time(Timestamp t, bool intraday) { return FormatTimestamp(t, !intraday); }

Json MetricsJson(const Metrics& m) {
  Json j;
  j["net_profit"] = m.net_profit.ToString();
  j["final_equity"] = m.final_equity.ToString();
  j["total_return"] = m.total_return;
  j["cagr"] = Stat(m.cagr);
  j["sharpe"] = Stat(m.sharpe);
  j["sortino"] = Stat(m.sortino);
  j["max_drawdown"] = m.max_drawdown;
  j["max_drawdown_amount"] = m.max_drawdown_amount.ToString();
  j["trades"] = m.trade_count;
  j["win_rate"] = Stat(m.win_rate);
  j["average_r"] = Stat(m.average_r);
  j["profit_factor"] = Stat(m.profit_factor);
  j["exposure"] = m.exposure;
  j["steps"] = m.steps;
  return j;
}

// The searched values of combination `index` as a JSON object.
Json ParamsJson(const engine::ParamGrid& grid, std::uint64_t index) {
  Json j = Json::object();
  const engine::ParamList all = grid.Given(index);
  for (std::size_t i = grid.fixed().size(); i < all.size(); ++i) j[all[i].first] = all[i].second;
  return j;
}

Json HeaderJson(const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                const SearchInfo& info) {
  Json j;
  j["command"] = info.command;
  j["strategy"] = info.strategy;
  j["data"] = info.data;
  j["bars"] = info.bars;
  auto& fixed = j["fixed_parameters"] = Json::object();
  for (const auto& [k, v] : grid.fixed()) fixed[k] = v;
  auto& searched = j["grid"] = Json::object();
  for (const auto& d : grid.dimensions()) searched[d.name] = d.values;
  auto& settings = j["settings"] = Json::object();
  for (const auto& [k, v] : info.settings) settings[k] = v;
  j["objective"] = info.objective;
  j["min_trades"] = info.min_trades;
  j["grid_size"] = grid.size();
  j["samples"] = info.samples;
  j["seed"] = info.seed;
  j["combinations"] = plan.drawn;
  j["evaluated"] = plan.combinations.size();
  j["rejected"] = plan.rejected;
  j["first_rejection"] = plan.first_rejection;
  return j;
}

void ParamHeader(CsvWriter& csv, const engine::ParamGrid& grid) {
  for (const auto& d : grid.dimensions()) csv.Text(d.name);
}

// The searched values of `index` as CSV fields (empty ones without an index).
void ParamFields(CsvWriter& csv, const engine::ParamGrid& grid, const std::uint64_t* index) {
  if (index == nullptr) {
    for (std::size_t i = 0; i < grid.dimensions().size(); ++i) csv.Empty();
    return;
  }
  const engine::ParamList all = grid.Given(*index);
  for (std::size_t i = grid.fixed().size(); i < all.size(); ++i) csv.Text(all[i].second);
}

std::string Row(const char* label, const std::string& value) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "  %-26s %s\n", label, value.c_str());
  return buf;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", v * 100.0);
  return buf;
}

std::string Counts(const engine::SearchPlan& plan) {
  std::string text = std::to_string(plan.combinations.size()) + " run";
  if (plan.rejected > 0) {
    text +=
        ", " + std::to_string(plan.rejected) + " rejected (first: " + plan.first_rejection + ")";
  }
  return text;
}

}  // namespace

std::string OptimizeResultsCsv(const engine::SearchResult& result, const engine::ParamGrid& grid) {
  std::string out;
  CsvWriter csv(out);
  csv.Text("rank").Text("index");
  ParamHeader(csv, grid);
  for (std::string_view head :
       {"score", "net_profit", "total_return", "sharpe", "sortino", "profit_factor", "avg_r",
        "max_drawdown", "trades", "win_rate", "final_value", "digest"}) {
    csv.Text(head);
  }
  csv.End();
  std::uint64_t rank = 0;
  for (const engine::ComboResult& r : result.ranked) {
    const Metrics& m = r.metrics;
    csv.Number(++rank).Number(r.index);
    ParamFields(csv, grid, &r.index);
    csv.Number(r.score).Number(m.net_profit).Number(m.total_return).Number(m.sharpe);
    csv.Number(m.sortino).Number(m.profit_factor).Number(m.average_r).Number(m.max_drawdown);
    csv.Number(m.trade_count).Number(m.win_rate).Number(r.final_value).Text(r.digest).End();
  }
  return out;
}

std::string OptimizeSummaryJson(const engine::SearchResult& result, const engine::ParamGrid& grid,
                                const engine::SearchPlan& plan, const SearchInfo& info) {
  Json j = HeaderJson(grid, plan, info);
  const engine::ComboResult* best = result.best();
  j["best"] = nullptr;
  if (best != nullptr) {
    Json b;
    b["index"] = best->index;
    b["parameters"] = ParamsJson(grid, best->index);
    b["score"] = Stat(best->score);
    b["metrics"] = MetricsJson(best->metrics);
    b["digest"] = best->digest;
    j["best"] = b;
  }
  j["digest"] = result.digest;
  return j.dump(2) + "\n";
}

std::string OptimizeTable(const engine::SearchResult& result, const engine::ParamGrid& grid,
                          const engine::SearchPlan& plan, const SearchInfo& info, std::size_t top) {
  std::ostringstream out;
  out << "optimize: " << info.strategy << ", " << plan.combinations.size() << " combinations over "
      << info.bars << " bars, objective " << info.objective;
  if (info.min_trades > 0) out << " (at least " << info.min_trades << " trades)";
  out << "\n";
  const std::size_t shown = std::min(top, result.ranked.size());
  std::vector<std::string> params(shown);
  int width = 10;  // the parameters column fits the longest description shown
  for (std::size_t i = 0; i < shown; ++i) {
    params[i] = grid.Describe(result.ranked[i].index);
    width = std::max(width, static_cast<int>(params[i].size()));
  }
  out << Format("  %4s  %-*s %12s %14s %9s %7s %9s\n", "rank", width, "parameters",
                info.objective.c_str(), "net P&L", "Sharpe", "trades", "max DD");
  for (std::size_t i = 0; i < shown; ++i) {
    const engine::ComboResult& r = result.ranked[i];
    out << Format("  %4zu  %-*s %12s %14s %9s %7lld %9s\n", i + 1, width, params[i].c_str(),
                  Fixed(r.score, 4).c_str(), r.metrics.net_profit.ToString(2).c_str(),
                  Fixed(r.metrics.sharpe).c_str(), static_cast<long long>(r.metrics.trade_count),
                  Percent(r.metrics.max_drawdown).c_str());
  }
  const engine::ComboResult* best = result.best();
  out << Row("combinations", Counts(plan));
  out << Row("best", best != nullptr ? grid.Describe(best->index) : "none has a score");
  out << Row("digest", result.digest);
  return out.str();
}

Result<void> WriteOptimizeReport(const std::string& dir, const engine::SearchResult& result,
                                 const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                 const SearchInfo& info) {
  return WriteFiles(dir, {{"results.csv", OptimizeResultsCsv(result, grid)},
                          {"summary.json", OptimizeSummaryJson(result, grid, plan, info)}});
}

std::string WindowsCsv(const engine::WalkForwardResult& wf, const engine::ParamGrid& grid) {
  std::string out;
  CsvWriter csv(out);
  for (std::string_view head : {"window", "train_start", "train_end", "test_start", "test_end",
                                "train_steps", "test_steps"}) {
    csv.Text(head);
  }
  ParamHeader(csv, grid);
  for (std::string_view head :
       {"is_score", "is_net_profit", "is_sharpe", "is_trades", "oos_score", "oos_net_profit",
        "oos_return", "oos_sharpe", "oos_max_drawdown", "oos_trades", "efficiency"}) {
    csv.Text(head);
  }
  csv.End();
  for (std::size_t w = 0; w < wf.windows.size(); ++w) {
    const engine::WindowResult& r = wf.windows[w];
    const Metrics& o = r.out_of_sample;
    csv.Number(static_cast<std::uint64_t>(w + 1)).Time(r.train_first, wf.intraday);
    csv.Time(r.train_last, wf.intraday).Time(r.test_first, wf.intraday);
    csv.Time(r.test_last, wf.intraday).Number(r.train_steps).Number(r.test_steps);
    ParamFields(csv, grid, r.best ? &r.best->index : nullptr);
    if (r.best) {
      csv.Number(r.best->score).Number(r.best->metrics.net_profit);
      csv.Number(r.best->metrics.sharpe).Number(r.best->metrics.trade_count);
    } else {
      csv.Empty().Empty().Empty().Empty();
    }
    csv.Number(r.oos_score).Number(o.net_profit).Number(o.total_return).Number(o.sharpe);
    csv.Number(o.max_drawdown).Number(o.trade_count).Number(r.efficiency).End();
  }
  return out;
}

std::string OosTradesCsv(const engine::WalkForwardResult& wf) {
  std::string out = std::string(kTradesCsvHeader) + ",window,closed_at_window_end\n";
  CsvWriter csv(out);
  for (const engine::WindowTrade& wt : wf.trades) {
    WriteTradeFields(csv, wt.trade, wf.symbols[wt.trade.symbol].name, wf.intraday);
    csv.Number(wt.window + 1).Text(wt.closed_at_window_end ? "true" : "false").End();
  }
  return out;
}

std::string OosEquityCsv(const engine::WalkForwardResult& wf) {
  std::string text = "time,cash,equity,window\n";
  CsvWriter csv(text);
  for (const engine::EquityPoint& p : wf.equity) {
    csv.Time(p.time, wf.intraday).Number(p.cash).Number(p.equity).Number(p.window + 1).End();
  }
  return text;
}

std::string WalkForwardSummaryJson(const engine::WalkForwardResult& wf,
                                   const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                   const SearchInfo& info) {
  Json j = HeaderJson(grid, plan, info);
  j["train"] = info.train;
  j["test"] = info.test;
  j["step"] = info.step.empty() ? info.test : info.step;
  j["anchored"] = info.anchored;
  j["warmup_bars"] = info.warmup;
  j["position_at_window_end"] = "closed at the last close of the window";
  Json windows = Json::array();
  for (const engine::WindowResult& r : wf.windows) {
    Json w;
    w["train"] = {Time(r.train_first, wf.intraday), Time(r.train_last, wf.intraday)};
    w["test"] = {Time(r.test_first, wf.intraday), Time(r.test_last, wf.intraday)};
    w["parameters"] = r.best ? ParamsJson(grid, r.best->index) : Json(nullptr);
    w["in_sample"] = r.best ? MetricsJson(r.best->metrics) : Json(nullptr);
    w["in_sample_score"] = r.best ? Stat(r.best->score) : Json(nullptr);
    w["out_of_sample"] = MetricsJson(r.out_of_sample);
    w["out_of_sample_score"] = Stat(r.oos_score);
    w["efficiency"] = Stat(r.efficiency);
    windows.push_back(w);
  }
  j["windows"] = windows;
  j["out_of_sample"] = MetricsJson(wf.metrics);
  j["out_of_sample_score"] = Stat(wf.score);
  j["efficiency"] = Stat(wf.efficiency);
  j["digest"] = wf.digest;
  return j.dump(2) + "\n";
}

std::string WalkForwardTable(const engine::WalkForwardResult& wf, const engine::ParamGrid& grid,
                             const engine::SearchPlan& plan, const SearchInfo& info) {
  std::ostringstream out;
  out << "walk-forward: " << info.strategy << ", " << wf.windows.size() << " windows (train "
      << info.train << ", test " << info.test << ", step "
      << (info.step.empty() ? info.test : info.step) << (info.anchored ? ", anchored" : ", rolling")
      << (info.warmup > 0 ? ", warm-up " + std::to_string(info.warmup) + " bars" : "") << "), "
      << plan.combinations.size() << " combinations, objective " << info.objective << "\n";
  const int width = 2 * (wf.intraday ? 19 : 10) + 2;  // first..last
  std::vector<std::string> params;
  int params_width = 18;  // the parameters column fits the longest description
  for (const engine::WindowResult& r : wf.windows) {
    params.push_back(r.best ? grid.Describe(r.best->index) : "(none: not traded)");
    params_width = std::max(params_width, static_cast<int>(params.back().size()));
  }
  out << Format("  %3s  %-*s  %-*s  %-*s %10s %10s %12s %6s %10s\n", "#", width, "train", width,
                "test", params_width, "parameters", "IS", "OOS", "OOS net P&L", "trades",
                "efficiency");
  for (std::size_t w = 0; w < wf.windows.size(); ++w) {
    const engine::WindowResult& r = wf.windows[w];
    const std::string train =
        Time(r.train_first, wf.intraday) + ".." + Time(r.train_last, wf.intraday);
    const std::string test =
        Time(r.test_first, wf.intraday) + ".." + Time(r.test_last, wf.intraday);
    out << Format("  %3zu  %-*s  %-*s  %-*s %10s %10s %12s %6lld %10s\n", w + 1, width,
                  train.c_str(), width, test.c_str(), params_width, params[w].c_str(),
                  Fixed(r.best ? r.best->score : std::nullopt).c_str(), Fixed(r.oos_score).c_str(),
                  r.out_of_sample.net_profit.ToString(2).c_str(),
                  static_cast<long long>(r.out_of_sample.trade_count), Fixed(r.efficiency).c_str());
  }
  const Metrics& m = wf.metrics;
  out << "out-of-sample, stitched:\n";
  out << Row("trades", TradeCountText(m));
  out << Row("net P&L", m.net_profit.ToString());
  out << Row("final value", m.final_equity.ToString());
  out << Row("total return", Percent(m.total_return));
  out << Row("max drawdown", Percent(m.max_drawdown));
  out << Row("Sharpe", Fixed(m.sharpe));
  out << Row("Sortino", Fixed(m.sortino));
  out << Row("profit factor", Fixed(m.profit_factor));
  out << Row(("OOS " + info.objective).c_str(), Fixed(wf.score, 4));
  out << Row("walk-forward efficiency", Fixed(wf.efficiency));
  out << Row("combinations", Counts(plan));
  out << Row("digest", wf.digest);
  return out.str();
}

Result<void> WriteWalkForwardReport(const std::string& dir, const engine::WalkForwardResult& wf,
                                    const engine::ParamGrid& grid, const engine::SearchPlan& plan,
                                    const SearchInfo& info) {
  return WriteFiles(dir, {{"windows.csv", WindowsCsv(wf, grid)},
                          {"oos_trades.csv", OosTradesCsv(wf)},
                          {"oos_equity.csv", OosEquityCsv(wf)},
                          {"summary.json", WalkForwardSummaryJson(wf, grid, plan, info)}});
}

}  // namespace wyckoff::report
