#include "wyckoff/engine/walk_forward.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <utility>

#include "digest.h"
#include "wyckoff/core/calendar.h"

namespace wyckoff::engine {
namespace {

bool IsBars(Period p) { return p.unit == PeriodUnit::kBars; }

std::string DataTooShort(const std::string& why) {
  return "data too short for one walk-forward window: " + why;
}

// The clock index of the first time at or after `t`.
std::size_t IndexAt(std::span<const Timestamp> clock, Timestamp t) {
  return static_cast<std::size_t>(std::lower_bound(clock.begin(), clock.end(), t) - clock.begin());
}

// Window k as times: train from, test from, test to (exclusive).
struct TimeWindow {
  Timestamp train_from, test_from, test_to;
};

TimeWindow TimesOf(Timestamp first, const WindowSpec& spec, Period step, std::int64_t k) {
  const Timestamp start = AddPeriod(first, step, k);
  const Timestamp test_from = AddPeriod(start, spec.train);
  return {spec.anchored ? first : start, test_from, AddPeriod(test_from, spec.test)};
}

// Window k in clock indices, for bar counts or durations; test_begin == clock.size() when the
// window starts after the data.
Window IndicesOf(std::span<const Timestamp> clock, const WindowSpec& spec, Period step,
                 std::int64_t k) {
  const std::size_t n = clock.size();
  if (IsBars(spec.train)) {
    const auto start = static_cast<std::size_t>(step.count * k);
    const std::size_t test_begin = std::min(n, start + static_cast<std::size_t>(spec.train.count));
    return {spec.anchored ? 0 : std::min(n, start), test_begin,
            std::min(n, test_begin + static_cast<std::size_t>(spec.test.count))};
  }
  const TimeWindow t = TimesOf(clock.front(), spec, step, k);
  return {IndexAt(clock, t.train_from), IndexAt(clock, t.test_from), IndexAt(clock, t.test_to)};
}

std::string FirstWindowError(std::span<const Timestamp> clock, const WindowSpec& spec) {
  if (IsBars(spec.train)) {
    return DataTooShort("a train window of " + ToString(spec.train) +
                        " leaves no bars to test (the data has " + std::to_string(clock.size()) +
                        " bars)");
  }
  const bool daily = std::all_of(clock.begin(), clock.end(), IsMidnight);
  const Timestamp test_from = AddPeriod(clock.front(), spec.train);
  return DataTooShort("the first test window starts " + FormatTimestamp(test_from, daily) +
                      " (the train window of " + ToString(spec.train) + " after the first bar, " +
                      FormatTimestamp(clock.front(), daily) + "), but the last bar is " +
                      FormatTimestamp(clock.back(), daily));
}

// Keeps the equity curve of a test run.
class CaptureSink final : public EquitySink {
 public:
  explicit CaptureSink(int window) : window_(window) {}
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override {
    points_.push_back({window_, time, cash, equity});
  }
  std::vector<EquityPoint>& points() { return points_; }

 private:
  int window_;
  std::vector<EquityPoint> points_;
};

// Trades nothing: a test window without a winning combination stays in cash.
class FlatStrategy final : public Strategy {
 public:
  void OnBar(int, const Bar&, std::int64_t, StrategyContext&) override {}
};

// The trades that close the positions still open at the end of `run`, each at its symbol's
// last close in `slice`, without commission. Replays the run's fills into a fresh portfolio
// so that the accounting (average price, fees, R-multiple) is the portfolio's own.
std::vector<Trade> CloseAtWindowEnd(const RunResult& run, const DataSlice& slice) {
  const int n = static_cast<int>(slice.bars.size());
  std::map<OrderId, const Order*> orders;
  for (const Order& o : run.orders) orders[o.id] = &o;
  Portfolio book(run.final_cash, n);
  std::vector<Trade> replayed, closing;
  for (const Fill& f : run.fills) {
    const Order* o = orders.count(f.order) != 0 ? orders[f.order] : nullptr;
    const bool entry = o != nullptr && o->parent == 0;
    book.ApplyFill(f, entry ? o->request.stop_loss : std::nullopt, replayed);
  }
  for (int s = 0; s < n; ++s) {
    const Decimal held = book.position(s);
    if (held.IsZero()) continue;
    const Bar last = slice.bars[s].back();
    Fill close{.symbol = s,
               .time = last.time,
               .bar_index = static_cast<std::int64_t>(slice.bars[s].size()) - 1,
               .side = held.IsPositive() ? Side::kSell : Side::kBuy,
               .quantity = held.Abs(),
               .price = last.close};
    book.ApplyFill(close, std::nullopt, closing);
  }
  return closing;
}

struct TestRun {
  std::vector<EquityPoint> points;
  std::vector<WindowTrade> trades;
  Metrics metrics;
};

// Trades `params` (nullptr: nothing) over the test slice starting with `cash`.
Result<TestRun> RunTestWindow(int window, const DataSlice& slice, const ParamValues* params,
                              const StrategyFactory& factory, EngineConfig config, Decimal cash) {
  std::unique_ptr<Strategy> strategy = std::make_unique<FlatStrategy>();
  if (params != nullptr) {
    // One run: nothing to share, so no `prepare`.
    auto made = factory.make(*params, nullptr);
    if (!made) return tl::unexpected(made.error());
    strategy = std::move(*made);
  }
  config.initial_cash = cash;
  config.trade_from = slice.trade_from;
  config.record_events = false;  // the stitched results hold trades and equity, not events
  CaptureSink sink(window);
  std::vector<std::unique_ptr<BarSource>> sources = slice.Sources();
  Result<RunResult> run = BacktestEngine(config, slice.symbols, *strategy).Run(sources, &sink);
  if (!run) return tl::unexpected(run.error());
  TestRun out;
  out.points = std::move(sink.points());
  for (const Trade& t : run->trades) out.trades.push_back({window, t, false});
  std::vector<Trade> all = run->trades;
  for (const Trade& t : CloseAtWindowEnd(*run, slice)) {
    out.trades.push_back({window, t, true});
    all.push_back(t);
  }
  if (!out.points.empty()) out.points.back().cash = out.points.back().equity;  // all closed
  // An open position moves equity away from cash (prices are positive): that is exposure.
  MetricsAccumulator acc(cash);
  for (const EquityPoint& p : out.points) acc.OnEquity(p.time, p.equity, p.cash != p.equity);
  Result<Metrics> metrics = acc.Finish(all);
  if (!metrics) return tl::unexpected(metrics.error());
  out.metrics = *metrics;
  return out;
}

// The train and test slices of every window.
struct WindowSlices {
  std::vector<DataSlice> train, test;
};

WindowSlices SliceWindows(const MarketData& data, std::span<const Timestamp> clock,
                          const std::vector<Window>& windows, std::size_t warmup) {
  // The steps [begin, end) traded, after up to `warmup` steps before them.
  auto slice = [&](std::size_t begin, std::size_t end) {
    const Timestamp stop = end < clock.size() ? clock[end] : kEndOfTime;
    DataSlice s = data.Slice(clock[begin - std::min(warmup, begin)], stop);
    s.trade_from = clock[begin];
    return s;
  };
  WindowSlices out;
  for (const Window& w : windows) {
    out.train.push_back(slice(w.train_begin, w.test_begin));
    out.test.push_back(slice(w.test_begin, w.test_end));
  }
  return out;
}

// Every (window, combination) train run (RunAll); then each window's combinations ranked.
// Returns the ranked results per window, or the first failure in (window, grid) order.
Result<std::vector<std::vector<ComboResult>>> TrainAll(const TrainingRuns& runs,
                                                       const SearchOptions& options) {
  const std::size_t combos = runs.plan().combinations.size(), total = runs.size();
  auto slots = RunAll(runs, options);
  if (!slots) return tl::unexpected(slots.error());
  std::vector<std::vector<ComboResult>> ranked(runs.slices());
  for (std::size_t i = 0; i < total; ++i) {
    Result<ComboResult>& slot = (*slots)[i];
    if (!slot) {
      return Fail(slot.error().code,
                  "window " + std::to_string(i / combos + 1) + ", " +
                      runs.grid().Describe(runs.plan().combinations[i % combos]) + ": " +
                      slot.error().message);
    }
    ranked[i / combos].push_back(std::move(*slot));
  }
  for (auto& r : ranked) Rank(r, options.objective);
  return ranked;
}

WindowResult DescribeWindow(const Window& w, std::span<const Timestamp> clock,
                            std::vector<ComboResult>& ranked) {
  WindowResult r;
  r.window = w;
  r.train_first = clock[w.train_begin], r.train_last = clock[w.test_begin - 1];
  r.test_first = clock[w.test_begin], r.test_last = clock[w.test_end - 1];
  r.train_steps = static_cast<std::int64_t>(w.test_begin - w.train_begin);
  r.test_steps = static_cast<std::int64_t>(w.test_end - w.test_begin);
  if (!ranked.empty() && ranked.front().score) r.best = std::move(ranked.front());
  return r;
}

void AddToDigest(Digest& fnv, const WalkForwardResult& wf) {
  for (const WindowResult& w : wf.windows) {
    fnv.Add(w.best ? static_cast<std::int64_t>(w.best->index) : std::int64_t{-1});
  }
  for (const EquityPoint& p : wf.equity) fnv.Add(p.time), fnv.Add(p.cash), fnv.Add(p.equity);
  for (const WindowTrade& wt : wf.trades) {
    const Trade& t = wt.trade;
    fnv.Add(t.entry_time), fnv.Add(t.exit_time), fnv.Add(t.entry_price);
    fnv.Add(t.exit_price), fnv.Add(t.quantity), fnv.Add(t.pnl);
  }
}

// The stitched metrics, score and efficiency of the whole run.
Result<void> Summarise(WalkForwardResult& wf, const SearchOptions& options) {
  MetricsAccumulator acc(options.config.initial_cash);
  for (const EquityPoint& p : wf.equity) acc.OnEquity(p.time, p.equity, p.cash != p.equity);
  std::vector<Trade> trades;
  for (const WindowTrade& t : wf.trades) trades.push_back(t.trade);
  Result<Metrics> metrics = acc.Finish(trades);
  if (!metrics) return tl::unexpected(metrics.error());
  wf.metrics = *metrics;
  const ObjectiveSpec any{options.objective.objective, 0};
  wf.score = Score(wf.metrics, any);
  double is_sum = 0, is_steps = 0, oos_steps = 0;
  int chosen = 0;
  for (const WindowResult& w : wf.windows) {
    oos_steps += static_cast<double>(w.test_steps);
    if (!w.best) continue;
    ++chosen, is_sum += *w.best->score, is_steps += static_cast<double>(w.train_steps);
  }
  if (chosen > 0) {
    wf.efficiency =
        EfficiencyOf(any.objective, wf.score, oos_steps, is_sum / chosen, is_steps / chosen);
  }
  Digest fnv;
  AddToDigest(fnv, wf);
  wf.digest = fnv.Hex();
  return {};
}

}  // namespace

Result<Period> ParsePeriod(std::string_view text) {
  Period p;
  std::string_view digits = text;
  constexpr std::pair<char, PeriodUnit> kSuffixes[] = {{'b', PeriodUnit::kBars},
                                                       {'d', PeriodUnit::kDays},
                                                       {'w', PeriodUnit::kWeeks},
                                                       {'m', PeriodUnit::kMonths},
                                                       {'y', PeriodUnit::kYears}};
  for (const auto& [suffix, unit] : kSuffixes) {
    if (!text.empty() && text.back() == suffix) p.unit = unit, digits.remove_suffix(1);
  }
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p.count);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || p.count < 1 ||
      p.count > 1'000'000) {
    return Fail(ErrorCode::kInvalidArgument,
                Quoted(text) +
                    " is not a period; expected a count from 1 to 1000000 followed by d, w, m "
                    "or y (days, weeks, months, years), or a number of bars (500 or 500b)");
  }
  return p;
}

std::string ToString(Period p) {
  const std::string n = std::to_string(p.count);
  switch (p.unit) {
    case PeriodUnit::kBars:
      return n + (p.count == 1 ? " bar" : " bars");
    case PeriodUnit::kDays:
      return n + "d";
    case PeriodUnit::kWeeks:
      return n + "w";
    case PeriodUnit::kMonths:
      return n + "m";
    case PeriodUnit::kYears:
      return n + "y";
  }
  return n;
}

Timestamp AddPeriod(Timestamp t, Period p, std::int64_t times) {
  WYCKOFF_CHECK(!IsBars(p), "AddPeriod takes a duration");
  // Days and weeks saturate at the last representable time, as months and years do: a period
  // beyond the supported dates leaves no window instead of wrapping round.
  auto plus_days = [t](std::int64_t days) {
    Timestamp span, out;
    if (__builtin_mul_overflow(days, kNanosPerDay, &span) ||
        __builtin_add_overflow(t, span, &out)) {
      return kEndOfTime;
    }
    return out;
  };
  switch (p.unit) {
    case PeriodUnit::kDays:
      return plus_days(p.count * times);
    case PeriodUnit::kWeeks:
      return plus_days(p.count * times * 7);
    case PeriodUnit::kMonths:
      return AddMonths(t, p.count * times);
    default:
      return AddYears(t, p.count * times);
  }
}

Result<std::vector<Window>> PlanWindows(std::span<const Timestamp> clock, const WindowSpec& spec) {
  const Period step = spec.step.value_or(spec.test);
  if (IsBars(spec.train) != IsBars(spec.test) || IsBars(spec.train) != IsBars(step)) {
    return Fail(ErrorCode::kInvalidArgument,
                "the train, test and step periods must all be durations (d, w, m, y) or all bar "
                "counts");
  }
  if (clock.empty()) return Fail(ErrorCode::kInvalidArgument, "the data has no bars");
  std::vector<Window> windows;
  std::size_t last_test_end = 0;
  for (std::int64_t k = 0;; ++k) {
    const Window w = IndicesOf(clock, spec, step, k);
    if (w.test_begin >= clock.size()) break;
    if (k > 0 && w.test_begin < last_test_end) {
      return Fail(ErrorCode::kInvalidArgument,
                  "a step of " + ToString(step) + " is shorter than the test window of " +
                      ToString(spec.test) + ": test windows would overlap");
    }
    last_test_end = w.test_end;
    if (w.train_begin < w.test_begin && w.test_begin < w.test_end) windows.push_back(w);
  }
  if (IndicesOf(clock, spec, step, 0).test_begin >= clock.size()) {
    return Fail(ErrorCode::kInvalidArgument, FirstWindowError(clock, spec));
  }
  if (windows.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no walk-forward window has bars in both its train and test parts");
  }
  return windows;
}

std::optional<double> EfficiencyOf(Objective objective, std::optional<double> out_of_sample,
                                   double oos_steps, std::optional<double> in_sample,
                                   double is_steps) {
  if (!out_of_sample || !in_sample) return std::nullopt;
  double oos = *out_of_sample, is = *in_sample;
  if (objective == Objective::kNetProfit) {
    if (oos_steps <= 0 || is_steps <= 0) return std::nullopt;
    oos /= oos_steps, is /= is_steps;
  }
  if (!(is > 0)) return std::nullopt;
  return oos / is;
}

namespace {

// The data's clock, its windows and their slices: what every walk-forward starts from.
struct PlannedWindows {
  std::vector<Timestamp> clock;
  std::vector<Window> windows;
  WindowSlices slices;
};

Result<PlannedWindows> PlanAndSlice(const MarketData& data, const WindowSpec& spec) {
  PlannedWindows planned;
  planned.clock = data.Clock();
  auto windows = PlanWindows(planned.clock, spec);
  if (!windows) return tl::unexpected(windows.error());
  planned.windows = std::move(*windows);
  planned.slices = SliceWindows(data, planned.clock, planned.windows, spec.warmup);
  return planned;
}

}  // namespace

Result<TrainingRuns> WalkForwardTraining(const MarketData& data, const WindowSpec& spec,
                                         const ParamGrid& grid, const SearchPlan& plan,
                                         const StrategyFactory& factory,
                                         const SearchOptions& options) {
  auto planned = PlanAndSlice(data, spec);
  if (!planned) return tl::unexpected(planned.error());
  return TrainingRuns(std::move(planned->slices.train), grid, plan, factory, options.config);
}

Result<WalkForwardResult> RunWalkForward(const MarketData& data, const WindowSpec& spec,
                                         const ParamGrid& grid, const SearchPlan& plan,
                                         const StrategyFactory& factory,
                                         const SearchOptions& options) {
  auto planned = PlanAndSlice(data, spec);
  if (!planned) return tl::unexpected(planned.error());
  const std::vector<Timestamp>& clock = planned->clock;
  const std::vector<Window>& windows = planned->windows;
  const TrainingRuns runs(std::move(planned->slices.train), grid, plan, factory, options.config);
  auto ranked = TrainAll(runs, options);
  if (!ranked) return tl::unexpected(ranked.error());
  WalkForwardResult wf;
  wf.symbols = data.symbols;
  for (const SymbolInfo& s : data.symbols) wf.intraday = wf.intraday || s.intraday;
  const ObjectiveSpec any{options.objective.objective, 0};
  Decimal cash = options.config.initial_cash;
  for (std::size_t w = 0; w < windows.size(); ++w) {
    WindowResult r = DescribeWindow(windows[w], clock, (*ranked)[w]);
    const std::optional<ParamValues> params =
        r.best ? std::optional(grid.Combination(r.best->index)) : std::nullopt;
    auto test = RunTestWindow(static_cast<int>(w), planned->slices.test[w],
                              params ? &*params : nullptr, factory, options.config, cash);
    if (!test) {
      return Fail(test.error().code,
                  "window " + std::to_string(w + 1) + " test: " + test.error().message);
    }
    r.out_of_sample = test->metrics;
    r.oos_score = Score(r.out_of_sample, any);
    if (r.best) {
      r.efficiency = EfficiencyOf(any.objective, r.oos_score, static_cast<double>(r.test_steps),
                                  r.best->score, static_cast<double>(r.train_steps));
    }
    cash = r.out_of_sample.final_equity;
    wf.equity.insert(wf.equity.end(), test->points.begin(), test->points.end());
    wf.trades.insert(wf.trades.end(), test->trades.begin(), test->trades.end());
    wf.windows.push_back(std::move(r));
  }
  if (auto ok = Summarise(wf, options); !ok) return tl::unexpected(ok.error());
  return wf;
}

}  // namespace wyckoff::engine
