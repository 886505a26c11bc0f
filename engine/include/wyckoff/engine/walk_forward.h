// Walk-forward runs: optimise on a train window, trade the winner on the following test
// window, move on, and stitch the out-of-sample test windows into one equity curve.
//
//   auto train = ParsePeriod("2y");                      // or "500" / "500b" bars
//   auto test = ParsePeriod("6m");
//   WindowSpec spec{.train = *train, .test = *test};     // step: the test period
//   auto windows = PlanWindows(data.Clock(), spec);      // errors when the data is too short
//   auto plan = PlanSearch(*grid, {});
//   auto wf = RunWalkForward(data, spec, *grid, *plan, factory, options);
//   wf->metrics;     // the stitched out-of-sample metrics
//
// Windows are planned on the run's clock (the distinct bar times of all symbols). With
// durations (d, w, m, y; months and years are calendar months, clamped to the month's end)
// window k starts at first + k x step; its train part covers [start, start + train) (anchored:
// [first, start + train)) and its test part the next `test`. With bar counts the same holds
// in clock steps. The last test window may be cut short by the end of the data; windows with
// no bars in their train or test part (a gap in the data) are left out.
//
// No information from a test window reaches its optimisation: the train runs replay only the
// train part. The test run of window k starts with the account's value at the end of window
// k - 1 (the first with the configured cash), and a position still open at the end of a test
// window is closed at its symbol's last close in the window, without commission or slippage.
// Every strategy starts fresh at the first bar of each train and test run (indicators warm up
// inside the window).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/engine/optimizer.h"

namespace wyckoff::engine {

enum class PeriodUnit { kBars, kDays, kWeeks, kMonths, kYears };

struct Period {
  std::int64_t count = 0;  // > 0
  PeriodUnit unit = PeriodUnit::kBars;
};

// Parses `N` or `Nb` (bars), `Nd`, `Nw`, `Nm` or `Ny` with 1 <= N <= 1000000. Errors quote the
// text.
Result<Period> ParsePeriod(std::string_view text);
// "2y", "6m", "500 bars".
std::string ToString(Period period);
// `t` plus `times` x `period`; months and years move the calendar date (Jan 31 + 1m =
// Feb 28/29), keeping the time of day (AddMonths of calendar.h). Requires a duration, not
// bars. NOTE: months and years that reach beyond the range of Timestamp give kEndOfTime (or
// kBeginningOfTime); days and weeks are plain additions.
Timestamp AddPeriod(Timestamp t, Period period, std::int64_t times = 1);

struct WindowSpec {
  Period train;
  Period test;
  std::optional<Period> step;  // default: test
  bool anchored = false;       // every train window starts at the first bar
  // Clock steps before each train and each test part that warm the strategy up without
  // trading (Strategy::OnWarmupBar): a test part's warm-up is the end of its train part, so
  // indicators start warm and nothing of the test part reaches its optimisation. Fewer where
  // the data starts later.
  std::size_t warmup = 0;
};

// One window, as indices into the clock: train [train_begin, test_begin), test
// [test_begin, test_end).
struct Window {
  std::size_t train_begin = 0;
  std::size_t test_begin = 0;
  std::size_t test_end = 0;
};

// Plans the windows over `clock` (sorted, distinct times). Errors: no bars; durations mixed
// with bar counts; a step that makes test windows overlap; data too short for one window
// (the message says where the first test window would start and where the data ends).
Result<std::vector<Window>> PlanWindows(std::span<const Timestamp> clock, const WindowSpec& spec);

struct WindowResult {
  Window window;
  Timestamp train_first = 0, train_last = 0;  // times of the first and last bar of each part
  Timestamp test_first = 0, test_last = 0;
  // The in-sample winner (index, in-sample metrics, score), or none when no combination had a
  // score: then the test window is not traded.
  std::optional<ComboResult> best;
  Metrics out_of_sample;             // the test run, positions closed at its end
  std::optional<double> oos_score;   // the objective on out_of_sample (min_trades ignored)
  std::optional<double> efficiency;  // out-of-sample over in-sample (see EfficiencyOf)
  std::int64_t train_steps = 0, test_steps = 0;  // clock steps of each part
};

struct WindowTrade {
  int window = 0;
  Trade trade;
  bool closed_at_window_end = false;  // the position was open at the end of its test window
};

struct EquityPoint {
  int window = 0;
  Timestamp time = 0;
  Decimal cash;
  Decimal equity;
};

struct WalkForwardResult {
  std::vector<SymbolInfo> symbols;
  bool intraday = false;
  std::vector<WindowResult> windows;
  std::vector<WindowTrade> trades;  // the stitched out-of-sample trades, in closing order
  std::vector<EquityPoint> equity;  // the stitched out-of-sample curve, one point per step
  Metrics metrics;                  // of the stitched curve and trades
  std::optional<double> score;      // the objective on `metrics` (min_trades ignored)
  std::optional<double> efficiency;
  std::string digest;  // 16 hex digits over the chosen combinations, the trades and the curve
};

// The walk-forward efficiency for `objective`: out-of-sample over in-sample. For net_profit
// the values are compared per clock step (net profit / steps), since train and test windows
// differ in length; the other objectives are rates already. None when either is undefined or
// the in-sample value is not positive. The whole run's efficiency compares the stitched
// out-of-sample value with the mean in-sample value of the windows' winners (for net_profit:
// their summed net profit over their summed train steps).
std::optional<double> EfficiencyOf(Objective objective, std::optional<double> out_of_sample,
                                   double oos_steps, std::optional<double> in_sample,
                                   double is_steps);

// The train runs of RunWalkForward (window-major: task t is window t / n, combination t % n of
// the plan), for running them in other processes. Errors: PlanWindows' errors.
Result<TrainingRuns> WalkForwardTraining(const MarketData& data, const WindowSpec& spec,
                                         const ParamGrid& grid, const SearchPlan& plan,
                                         const StrategyFactory& factory,
                                         const SearchOptions& options);

// Plans the windows, runs every (window, combination) train run (RunAll: the thread pool, or
// options.run_all), then the
// test runs in order, and stitches them. Errors: PlanWindows' errors; the first run failure.
Result<WalkForwardResult> RunWalkForward(const MarketData& data, const WindowSpec& spec,
                                         const ParamGrid& grid, const SearchPlan& plan,
                                         const StrategyFactory& factory,
                                         const SearchOptions& options);

}  // namespace wyckoff::engine
