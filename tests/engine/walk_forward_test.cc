#include "wyckoff/engine/walk_forward.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>

#include "hold_strategy.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

using testing::HoldFactory;
using testing::OneSymbol;

Period P(std::string_view text) { return *ParsePeriod(text); }

// Clock of `n` consecutive days from `first` (days since 1970-01-01).
std::vector<Timestamp> Days(int n, std::int64_t first = 10'957) {
  std::vector<Timestamp> clock;
  for (int i = 0; i < n; ++i) clock.push_back((first + i) * kNanosPerDay);
  return clock;
}

Timestamp Date(std::string_view text) { return *ParseDate(text); }

std::vector<std::array<std::size_t, 3>> Plan(const std::vector<Timestamp>& clock, WindowSpec spec) {
  auto windows = PlanWindows(clock, spec);
  EXPECT_TRUE(windows.has_value()) << (windows ? "" : windows.error().message);
  std::vector<std::array<std::size_t, 3>> out;
  if (windows) {
    for (const Window& w : *windows) out.push_back({w.train_begin, w.test_begin, w.test_end});
  }
  return out;
}

std::string PlanError(const std::vector<Timestamp>& clock, WindowSpec spec) {
  auto windows = PlanWindows(clock, spec);
  EXPECT_FALSE(windows.has_value());
  return windows ? "" : windows.error().message;
}

using Windows = std::vector<std::array<std::size_t, 3>>;

TEST(PeriodTest, ParsesDurationsAndBarCounts) {
  EXPECT_EQ(P("2y").unit, PeriodUnit::kYears);
  EXPECT_EQ(P("6m").count, 6);
  EXPECT_EQ(P("3w").unit, PeriodUnit::kWeeks);
  EXPECT_EQ(P("10d").unit, PeriodUnit::kDays);
  EXPECT_EQ(P("500").unit, PeriodUnit::kBars);
  EXPECT_EQ(P("500b").count, 500);
  EXPECT_EQ(ToString(P("500")), "500 bars");
  EXPECT_EQ(ToString(P("2y")), "2y");
  for (const char* bad : {"", "m", "0d", "2x", "-3d", "1.5y", "2000000d"}) {
    auto p = ParsePeriod(bad);
    ASSERT_FALSE(p.has_value()) << bad;
    EXPECT_EQ(p.error().message, "\"" + std::string(bad) +
                                     "\" is not a period; expected a count from 1 to 1000000 "
                                     "followed by d, w, m or y (days, weeks, months, years), or "
                                     "a number of bars (500 or 500b)");
  }
}

TEST(PeriodTest, MonthsMoveTheCalendarAndClampToTheMonthsEnd) {
  EXPECT_EQ(AddPeriod(Date("2000-01-31"), P("1m")), Date("2000-02-29"));
  EXPECT_EQ(AddPeriod(Date("2001-01-31"), P("1m")), Date("2001-02-28"));
  EXPECT_EQ(AddPeriod(Date("2000-02-29"), P("1y")), Date("2001-02-28"));
  EXPECT_EQ(AddPeriod(Date("2000-11-15"), P("6m"), 3), Date("2002-05-15"));
  EXPECT_EQ(AddPeriod(Date("1969-12-31"), P("2m")), Date("1970-02-28"));
  EXPECT_EQ(AddPeriod(Date("2000-01-01") + 3600 * kNanosPerSecond, P("2w")),
            Date("2000-01-15") + 3600 * kNanosPerSecond);
}

TEST(PeriodTest, MonthsAndYearsBeyondTheSupportedDatesSaturate) {
  EXPECT_EQ(AddPeriod(Date("2000-01-01"), P("300y")), kEndOfTime);
  EXPECT_EQ(AddPeriod(Date("2000-01-01"), P("3600m")), kEndOfTime);
  EXPECT_EQ(AddPeriod(Date("2000-01-01"), P("1000000y"), 3), kEndOfTime);
}

TEST(WindowPlanTest, RollingBarCountWindows) {
  EXPECT_EQ(Plan(Days(100), {P("40"), P("20")}),
            (Windows{{0, 40, 60}, {20, 60, 80}, {40, 80, 100}}));
}

TEST(WindowPlanTest, TheLastTestWindowEndsWithTheData) {
  EXPECT_EQ(Plan(Days(90), {P("40"), P("20")}), (Windows{{0, 40, 60}, {20, 60, 80}, {40, 80, 90}}));
  EXPECT_EQ(Plan(Days(41), {P("40"), P("20")}), (Windows{{0, 40, 41}}));
}

TEST(WindowPlanTest, AnchoredWindowsAllStartAtTheFirstBar) {
  EXPECT_EQ(Plan(Days(100), {P("40"), P("20"), std::nullopt, true}),
            (Windows{{0, 40, 60}, {0, 60, 80}, {0, 80, 100}}));
}

TEST(WindowPlanTest, AStepLongerThanTheTestLeavesGaps) {
  EXPECT_EQ(Plan(Days(100), {P("40"), P("20"), P("30")}), (Windows{{0, 40, 60}, {30, 70, 90}}));
}

TEST(WindowPlanTest, CalendarWindowsFollowTheDates) {
  // 800 days from 2000-01-01 (a leap year): the data ends 2002-03-10.
  const auto clock = Days(800);
  const std::size_t y2001 = 366, jul2001 = 366 + 181, y2002 = 731;
  EXPECT_EQ(Plan(clock, {P("1y"), P("6m")}),
            (Windows{{0, y2001, jul2001}, {182, jul2001, y2002}, {y2001, y2002, 800}}));
}

TEST(WindowPlanTest, WindowsWithoutBarsInAPartAreLeftOut) {
  // 100 days, a 200-day gap, 100 days: the window whose test part falls in the gap is dropped.
  std::vector<Timestamp> clock = Days(100);
  for (Timestamp t : Days(100, 10'957 + 300)) clock.push_back(t);
  auto windows = PlanWindows(clock, {P("60d"), P("40d")});
  ASSERT_TRUE(windows.has_value());
  for (const Window& w : *windows) {
    EXPECT_LT(w.train_begin, w.test_begin);
    EXPECT_LT(w.test_begin, w.test_end);
  }
  EXPECT_EQ(windows->size(), 3u);
}

// The train period reaches beyond 2262-04-11 (the end of Timestamp): no window, never a
// window from wrapped-round times.
TEST(WindowPlanTest, ATrainPeriodBeyondTheSupportedDatesLeavesNoWindow) {
  EXPECT_EQ(PlanError(Days(800), {P("300y"), P("1y")}),
            "data too short for one walk-forward window: the first test window starts "
            "2262-04-11 (the train window of 300y after the first bar, 2000-01-01), but the last "
            "bar is 2002-03-10");
  // Days and weeks saturate too, rather than wrap round to a time before the data.
  EXPECT_EQ(PlanError(Days(800), {P("1000000d"), P("1y")}),
            "data too short for one walk-forward window: the first test window starts "
            "2262-04-11 (the train window of 1000000d after the first bar, 2000-01-01), but the "
            "last bar is 2002-03-10");
  EXPECT_EQ(PlanError(Days(800), {P("1000000w"), P("1y")}),
            "data too short for one walk-forward window: the first test window starts "
            "2262-04-11 (the train window of 1000000w after the first bar, 2000-01-01), but the "
            "last bar is 2002-03-10");
}

TEST(WindowPlanTest, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(PlanError(Days(40), {P("40"), P("20")}),
            "data too short for one walk-forward window: a train window of 40 bars leaves no bars "
            "to test "
            "(the data has 40 bars)");
  EXPECT_EQ(
      PlanError(Days(300), {P("1y"), P("6m")}),
      "data too short for one walk-forward window: the first test window starts "
      "2001-01-01 (the train window of 1y after the first bar, 2000-01-01), but the last bar is "
      "2000-10-26");
  EXPECT_EQ(PlanError(Days(300), {P("1y"), P("100")}),
            "the train, test and step periods must all be durations (d, w, m, y) or all bar "
            "counts");
  EXPECT_EQ(PlanError(Days(300), {P("100"), P("50"), P("10")}),
            "a step of 10 bars is shorter than the test window of 50 bars: test windows would "
            "overlap");
  EXPECT_EQ(PlanError({}, {P("100"), P("50")}), "the data has no bars");
}

TEST(EfficiencyTest, OutOfSampleOverInSample) {
  EXPECT_DOUBLE_EQ(*EfficiencyOf(Objective::kSharpe, 0.5, 10, 2.0, 100), 0.25);
  // Net profit is compared per step: 10 in 10 steps against 100 in 100 steps.
  EXPECT_DOUBLE_EQ(*EfficiencyOf(Objective::kNetProfit, 10, 10, 100, 100), 1.0);
  EXPECT_FALSE(EfficiencyOf(Objective::kSharpe, 0.5, 10, -1.0, 100).has_value());
  EXPECT_FALSE(EfficiencyOf(Objective::kSharpe, std::nullopt, 10, 1.0, 100).has_value());
}

ParamGrid Grid(std::vector<std::string> specs) {
  std::vector<ParamDimension> dims;
  for (const auto& s : specs) dims.push_back(*ParseGridSpec(s));
  return *ParamGrid::Create(testing::HoldSchema(), {}, std::move(dims));
}

Result<WalkForwardResult> WalkForward(const MarketData& data, const ParamGrid& grid,
                                      WindowSpec spec, unsigned jobs = 1,
                                      const StrategyFactory& factory = HoldFactory()) {
  auto plan = PlanSearch(grid, {});
  EXPECT_TRUE(plan.has_value());
  SearchOptions options;
  options.objective = {Objective::kNetProfit, 0};
  options.jobs = jobs;
  return RunWalkForward(data, spec, grid, *plan, factory, options);
}

TEST(WalkForwardTest, ChangingOnlyTestBarsNeverChangesTheChosenParameters) {
  const std::vector<Bar> original = fixtures::RandomWalkBars({.bars = 600, .seed = 5});
  std::vector<Bar> changed = original;
  // Replace the first window's test part (bars 200-299) with another walk at the same times.
  const std::vector<Bar> other =
      fixtures::RandomWalkBars({.bars = 100, .seed = 99, .start_cents = 30'000});
  for (std::size_t i = 0; i < 100; ++i) {
    changed[200 + i] = other[i];
    changed[200 + i].time = original[200 + i].time;
  }
  const ParamGrid grid = Grid({"entry=0:90:10", "exit=20:199:15"});
  auto a = WalkForward(OneSymbol(original), grid, {P("200"), P("100")});
  auto b = WalkForward(OneSymbol(changed), grid, {P("200"), P("100")});
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_EQ(a->windows.size(), 4u);
  ASSERT_TRUE(a->windows[0].best && b->windows[0].best);
  EXPECT_EQ(a->windows[0].best->index, b->windows[0].best->index);
  EXPECT_EQ(a->windows[0].best->digest, b->windows[0].best->digest);  // same in-sample run
  EXPECT_NE(a->windows[0].out_of_sample.net_profit, b->windows[0].out_of_sample.net_profit);
}

TEST(WalkForwardTest, OpenPositionsCloseAtTheLastCloseOfTheirTestWindow) {
  // Rising prices: every window's best buys at once and holds past the window's end.
  const MarketData data = OneSymbol(testing::TentBars(90, 1000));
  auto wf = WalkForward(data, Grid({"entry=0,5", "exit=500"}), {P("30"), P("30")});
  ASSERT_TRUE(wf.has_value()) << wf.error().message;
  ASSERT_EQ(wf->windows.size(), 2u);
  ASSERT_EQ(wf->trades.size(), 2u);
  const WindowTrade& first = wf->trades[0];
  EXPECT_TRUE(first.closed_at_window_end);
  EXPECT_EQ(first.window, 0);
  // Test window 0 covers bars 30-59: bought at bar 31's open (131), closed at bar 59's close.
  EXPECT_EQ(first.trade.entry_price, Decimal::FromInt(131));
  EXPECT_EQ(first.trade.exit_price, Decimal::FromInt(159));
  EXPECT_EQ(first.trade.pnl, Decimal::FromInt(28));
  EXPECT_EQ(first.trade.exit_index, 29);
  // The account carries over: window 1 starts with window 0's closing value, in cash.
  EXPECT_EQ(wf->windows[1].out_of_sample.initial_equity, wf->windows[0].out_of_sample.final_equity);
  const EquityPoint& end0 = wf->equity[29];
  EXPECT_EQ(end0.window, 0);
  EXPECT_EQ(end0.cash, end0.equity);
  EXPECT_EQ(wf->metrics.trade_count, 2);
  EXPECT_EQ(wf->metrics.net_profit, Decimal::FromInt(28 + 28));
  EXPECT_EQ(wf->equity.size(), 60u);
}

TEST(WalkForwardTest, TheThreadCountChangesNothing) {
  const MarketData data = OneSymbol(fixtures::RandomWalkBars({.bars = 800, .seed = 8}));
  const ParamGrid grid = Grid({"entry=0:90:10", "exit=100:190:30"});
  auto one = WalkForward(data, grid, {P("200"), P("100")}, 1);
  auto three = WalkForward(data, grid, {P("200"), P("100")}, 3);
  ASSERT_TRUE(one.has_value() && three.has_value());
  EXPECT_EQ(one->digest, three->digest);
  EXPECT_EQ(one->windows.size(), 6u);
}

TEST(WalkForwardTest, PrepareRunsOncePerTrainWindowOnItsBarsOnly) {
  // 90 bars, train 30, test 30: two windows, trained on bars 0-29 and 30-59.
  const MarketData data = OneSymbol(testing::TentBars(90, 1000));
  const ParamGrid grid = Grid({"entry=0,5", "exit=500"});
  StrategyFactory factory = HoldFactory();
  std::mutex mutex;
  std::vector<std::pair<Timestamp, std::size_t>> prepared;  // first bar time, bar count
  factory.prepare = [&](const DataSlice& slice, const ParamGrid&) {
    const std::lock_guard lock(mutex);
    prepared.emplace_back(slice.bars[0].front().time, slice.bars[0].size());
    return std::make_shared<const SharedInputs>();
  };
  std::atomic<int> with_shared{0}, without{0};
  factory.make = [&](const ParamValues& p,
                     const SharedInputs* shared) -> Result<std::unique_ptr<Strategy>> {
    ++(shared != nullptr ? with_shared : without);
    return testing::MakeHold(p);
  };
  auto wf = WalkForward(data, grid, {P("30"), P("30")}, 2, factory);
  ASSERT_TRUE(wf.has_value()) << wf.error().message;
  std::sort(prepared.begin(), prepared.end());
  EXPECT_EQ(prepared, (std::vector<std::pair<Timestamp, std::size_t>>{
                          {data.bars[0][0].time, 30u}, {data.bars[0][30].time, 30u}}));
  EXPECT_EQ(with_shared.load(), 4);  // 2 windows x 2 combinations, trained
  EXPECT_EQ(without.load(), 2);      // each test window's one run
}

// A walk-forward holds the prepared inputs of the windows it is running only: with one thread,
// each window's inputs are gone before the next window's are made.
TEST(WalkForwardTest, PreparedInputsLiveOnlyWhileTheirWindowRuns) {
  // 150 bars, train 30, test 30: four windows.
  const MarketData data = OneSymbol(testing::TentBars(150, 1000));
  const ParamGrid grid = Grid({"entry=0,5,10", "exit=500"});
  StrategyFactory factory = HoldFactory();
  struct Counted final : SharedInputs {
    explicit Counted(std::atomic<int>& live) : live_(live) { ++live_; }
    ~Counted() override { --live_; }
    std::atomic<int>& live_;
  };
  std::atomic<int> live{0}, prepared{0}, most_live{0};
  factory.prepare = [&](const DataSlice&, const ParamGrid&) {
    ++prepared;
    auto made = std::make_shared<const Counted>(live);
    most_live = std::max(most_live.load(), live.load());
    return made;
  };
  auto wf = WalkForward(data, grid, {P("30"), P("30")}, 1, factory);
  ASSERT_TRUE(wf.has_value()) << wf.error().message;
  EXPECT_EQ(wf->windows.size(), 4u);
  EXPECT_EQ(prepared.load(), 4);   // once per window
  EXPECT_EQ(most_live.load(), 1);  // never two windows' inputs at once
  EXPECT_EQ(live.load(), 0);       // and none left at the end
}

// Records, for each run, the bars it saw in warm-up and the first bar it traded.
class WarmupProbe final : public Strategy {
 public:
  struct Seen {
    std::vector<std::int64_t> warmup;  // day numbers of the warm-up bars
    std::int64_t first_traded = -1;    // and of the first bar given to OnBar
    std::int64_t first_index = -1;     // its index
    bool operator<(const Seen& o) const { return first_traded < o.first_traded; }
    bool operator==(const Seen&) const = default;
  };
  WarmupProbe(std::mutex& mutex, std::vector<Seen>& log) : mutex_(mutex), log_(log) {}
  void OnWarmupBar(int, const Bar& bar, std::int64_t) override {
    seen_.warmup.push_back(bar.time / kNanosPerDay - 10'957);
  }
  void OnBar(int, const Bar& bar, std::int64_t index, StrategyContext&) override {
    if (seen_.first_traded >= 0) return;
    seen_.first_traded = bar.time / kNanosPerDay - 10'957;
    seen_.first_index = index;
  }
  void OnEnd(StrategyContext&) override {
    const std::lock_guard lock(mutex_);
    log_.push_back(seen_);
  }

 private:
  std::mutex& mutex_;
  std::vector<Seen>& log_;
  Seen seen_;
};

std::vector<std::int64_t> DayNumbers(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = first; d <= last; ++d) out.push_back(d);
  return out;
}

TEST(WalkForwardTest, AWarmUpComesFromTheBarsBeforeEachPart) {
  // Days 0-89; train 30, test 30, warm-up 10: windows train 0-29 / test 30-59 and train
  // 30-59 / test 60-89; one combination, so one train run per window.
  const MarketData data = OneSymbol(testing::TentBars(90, 1000));
  const ParamGrid grid = Grid({"entry=0", "exit=500"});
  StrategyFactory factory = HoldFactory();
  auto plan = PlanSearch(grid, {});
  ASSERT_TRUE(plan.has_value());
  std::mutex mutex;
  std::vector<WarmupProbe::Seen> log;
  factory.make = [&](const ParamValues&, const SharedInputs*) -> Result<std::unique_ptr<Strategy>> {
    return std::make_unique<WarmupProbe>(mutex, log);
  };
  SearchOptions options;
  options.objective = {Objective::kNetProfit, 0};  // flat runs score 0: every window trades
  WindowSpec spec{P("30"), P("30")};
  spec.warmup = 10;
  auto wf = RunWalkForward(data, spec, grid, *plan, factory, options);
  ASSERT_TRUE(wf.has_value()) << wf.error().message;
  std::sort(log.begin(), log.end());
  using Seen = WarmupProbe::Seen;
  EXPECT_EQ(log, (std::vector<Seen>{
                     {{}, 0, 0},                    // train 1: nothing before day 0
                     {DayNumbers(20, 29), 30, 10},  // train 2, and test 1 (the same bars)
                     {DayNumbers(20, 29), 30, 10},  //
                     {DayNumbers(50, 59), 60, 10},  // test 2: the end of train 2
                 }));
  EXPECT_EQ(wf->equity.size(), 60u);  // the curve covers the test parts only
  EXPECT_EQ(wf->equity.front().time, data.bars[0][30].time);
}

TEST(WalkForwardTest, AWindowWithoutAScoreIsNotTraded) {
  // min_trades 5 (each run makes one trade): no combination qualifies.
  const MarketData data = OneSymbol(testing::TentBars(120, 60));
  const ParamGrid grid = Grid({"entry=0,5", "exit=20"});
  const StrategyFactory factory = HoldFactory();
  auto plan = PlanSearch(grid, {});
  SearchOptions options;
  options.objective = {Objective::kNetProfit, 5};
  auto wf = RunWalkForward(data, {P("60"), P("60")}, grid, *plan, factory, options);
  ASSERT_TRUE(wf.has_value());
  ASSERT_EQ(wf->windows.size(), 1u);
  EXPECT_FALSE(wf->windows[0].best.has_value());
  EXPECT_EQ(wf->trades.size(), 0u);
  EXPECT_EQ(wf->equity.size(), 60u);
  EXPECT_EQ(wf->metrics.net_profit, Decimal());
}

}  // namespace
}  // namespace wyckoff::engine
