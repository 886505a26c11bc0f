// Property: whatever the fills, fees and slippage, money adds up to the last digit. Over the
// bundled real files with seeded random volume caps (on volumes cut down so that orders fill in
// parts), commissions, slippage and fractional quantities, every run that ends flat has
//   sum of its trades' net P&L == final value - initial cash,  exactly,
// and the fees of the trades equal the commissions of the fills.
#include <gtest/gtest.h>

#include <random>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::strategies {
namespace {

struct RunSetup {
  std::string text;  // for failure messages
  engine::EngineConfig config;
  std::string strategy;
  engine::ParamList params;
};

// A decimal with `places` fractional digits drawn uniformly from [0, max_units] units.
Decimal RandomDecimal(std::mt19937_64& rng, std::int64_t max_units, int places) {
  return Decimal::FromUnits(std::uniform_int_distribution<std::int64_t>(0, max_units)(rng), places);
}

RunSetup RandomSetup(std::mt19937_64& rng) {
  RunSetup s;
  engine::EngineConfig& c = s.config;
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::string commission = "none", slippage = "none";
  switch (pick(4)) {
    case 1:
      commission = "percent:" + RandomDecimal(rng, 1'000'000, 6).ToString();  // up to 1%
      break;
    case 2:
      commission = "per-share:" + RandomDecimal(rng, 10'000, 4).ToString() + ":" +
                   RandomDecimal(rng, 500, 2).ToString();
      break;
    case 3:
      commission = "fixed:" + RandomDecimal(rng, 1'000, 2).ToString();
      break;
  }
  switch (pick(3)) {
    case 1:
      slippage = "bps:" + RandomDecimal(rng, 5'000, 2).ToString();
      break;
    case 2:
      slippage = "fixed:" + RandomDecimal(rng, 5, 2).ToString();
      break;
  }
  c.broker.commission = *engine::ParseCommission(commission);
  c.broker.slippage = *engine::ParseSlippage(slippage);
  if (pick(2) == 0) c.broker.max_volume_participation = Decimal::FromUnits(1 + pick(10), 1);
  c.sizing.quantity = pick(2) == 0 ? Decimal::FromInt(1 + pick(300))
                                   : Decimal::FromUnits(1 + pick(30'000), 3);  // fractional
  c.sizing.lot_size = Decimal::FromUnits(1, 3);
  c.broker.lot_size = c.sizing.lot_size;
  if (pick(2) == 0) {
    s.strategy = "sma-cross";
    s.params = {{"fast", std::to_string(3 + pick(10))}, {"slow", std::to_string(15 + pick(30))}};
  } else {
    s.strategy = "wyckoff";
    c.broker.allow_short = pick(2) == 0;
  }
  s.text =
      s.strategy + " quantity " + c.sizing.quantity.ToString() + " commission " + commission +
      " slippage " + slippage + " max volume " +
      (c.broker.max_volume_participation ? c.broker.max_volume_participation->ToString() : "none") +
      (c.broker.allow_short ? " shorts" : "");
  return s;
}

TEST(ExactMoneyTest, TradesAddUpToTheChangeInEquityForEveryFlatRun) {
  const char* files[] = {"daily/orcl-1995-2014.csv", "daily/yhoo-1996-2015.csv",
                         "daily/ko-1997-1998.csv", "daily/pep-1997-1998.csv",
                         "intraday/estx50-futures-2006-01-02-1min.csv"};
  std::mt19937_64 rng(20261202);
  int runs = 0, flat = 0, partial = 0, trades = 0;
  for (const char* file : files) {
    auto source = engine::CsvBarSource::Open(testing::DataPath(file), {});
    ASSERT_TRUE(source.has_value()) << file;
    auto loaded = engine::ReadAll(**source);
    ASSERT_TRUE(loaded.has_value()) << file;
    for (int round = 0; round < 12; ++round) {
      RunSetup setup = RandomSetup(rng);
      std::vector<Bar> bars = *loaded;
      if (setup.config.broker.max_volume_participation) {
        // Volumes of a few units: orders fill over several bars.
        for (Bar& b : bars) b.volume = Decimal::FromInt(1 + static_cast<int>(rng() % 5));
      }
      auto strategy = MakeStrategy(setup.strategy, setup.params, setup.config.sizing, nullptr);
      ASSERT_TRUE(strategy.has_value()) << strategy.error().message;
      std::vector<std::unique_ptr<engine::BarSource>> sources;
      sources.push_back(std::make_unique<engine::SpanBarSource>(bars, (*source)->intraday()));
      engine::BacktestEngine engine(setup.config, {{"X", (*source)->intraday()}}, **strategy);
      auto run = engine.Run(sources, nullptr);
      ASSERT_TRUE(run.has_value()) << file << " " << setup.text << ": " << run.error().message;
      ++runs;
      Decimal fees;
      for (const engine::Fill& f : run->fills) fees += f.commission;
      const bool ends_flat = run->final_cash == run->final_value;
      if (!ends_flat) continue;
      ++flat;
      Decimal pnl, trade_fees;
      for (const engine::Trade& t : run->trades) pnl += t.pnl, trade_fees += t.fees;
      EXPECT_EQ(pnl, run->final_value - setup.config.initial_cash) << file << " " << setup.text;
      EXPECT_EQ(trade_fees, fees) << file << " " << setup.text;
      trades += static_cast<int>(run->trades.size());
      if (run->fills.size() > 2 * run->trades.size()) ++partial;
    }
  }
  EXPECT_EQ(runs, 60);
  // The property must have been exercised: flat runs, with trades, some built of partial fills.
  // (seed 20261202: 42 flat runs, 3527 trades, 9 runs with partial fills)
  EXPECT_GE(flat, 20);
  EXPECT_GE(trades, 200);
  EXPECT_GE(partial, 5);
}

}  // namespace
}  // namespace wyckoff::strategies
