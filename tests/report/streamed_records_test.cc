// A run that streams its records (RecordCsvWriter) writes the same files, digest and figures as
// one that keeps them: streaming only changes where the records live.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"

namespace wyckoff::report {
namespace {

namespace fs = std::filesystem;
using testing::BarBuilder;
using testing::D;

// Buys 10 with a bracket when flat, sells at market every 7th bar, and asks for more than the
// cash can pay every 11th bar: trades, fills, filled, cancelled, rejected and working orders.
class Busy final : public engine::Strategy {
 public:
  void OnBar(int symbol, const Bar& bar, std::int64_t index,
             engine::StrategyContext& ctx) override {
    if (index % 11 == 0)
      ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kBuy, D("1000000")));
    if (ctx.position(symbol).IsZero() && !ctx.HasWorkingOrders(symbol)) {
      engine::OrderRequest buy = engine::OrderRequest::Market(symbol, engine::Side::kBuy, D("10"));
      buy.stop_loss = bar.close - D("3");
      buy.take_profit = bar.close + D("4");
      buy.tag = "BUSY";
      ctx.Submit(buy);
    } else if (index % 7 == 0 && ctx.position(symbol).IsPositive()) {
      ctx.CancelAll(symbol);
      ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kSell, ctx.position(symbol)));
    }
  }
};

std::vector<Bar> Wave(int n) {
  std::vector<Bar> bars;
  for (int i = 0; i < n; ++i) {
    const int c = 100 + (i * 37 % 23) - 11;
    bars.push_back(BarBuilder()
                       .Day(i + 1)
                       .Ohlc(std::to_string(c), std::to_string(c + 3), std::to_string(c - 3),
                             std::to_string(c + (i % 3) - 1))
                       .Build());
  }
  return bars;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

engine::RunResult Backtest(const std::vector<Bar>& bars, const fs::path& dir, bool stream) {
  fs::remove_all(dir);
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::make_unique<engine::SpanBarSource>(bars, false));
  Busy strategy;
  EquityCsvWriter equity;
  RecordCsvWriter records;
  EXPECT_TRUE(equity.Open(dir.string()));
  if (stream) {
    EXPECT_TRUE(records.Open(dir.string()));
  }
  auto run = engine::BacktestEngine(engine::EngineConfig{}, {{"WAVE", false}}, strategy)
                 .Run(sources, &equity, stream ? &records : nullptr);
  EXPECT_TRUE(run.has_value()) << run.error().message;
  EXPECT_TRUE(WriteReport(dir.string(), *run, RunInfo{.strategy = "busy"}, equity,
                          stream ? &records : nullptr));
  return std::move(*run);
}

TEST(StreamedRecordsTest, StreamingWritesWhatKeepingWrites) {
  const std::vector<Bar> bars = Wave(300);
  const fs::path base = fs::temp_directory_path() / "wyckoff-streamed-records";
  const engine::RunResult kept = Backtest(bars, base / "kept", false);
  const engine::RunResult streamed = Backtest(bars, base / "streamed", true);
  ASSERT_GE(kept.trades.size(), 20u);
  EXPECT_GE(kept.rejected_orders, 10);
  EXPECT_TRUE(streamed.trades.empty() && streamed.fills.empty() && streamed.orders.empty());
  EXPECT_EQ(streamed.order_count, static_cast<std::int64_t>(kept.orders.size()));
  EXPECT_EQ(streamed.fill_count, static_cast<std::int64_t>(kept.fills.size()));
  EXPECT_EQ(streamed.digest, kept.digest);
  EXPECT_EQ(streamed.metrics.trade_count, kept.metrics.trade_count);
  EXPECT_EQ(streamed.rejected_orders, kept.rejected_orders);
  EXPECT_EQ(streamed.first_rejection, kept.first_rejection);
  for (const char* f :
       {"trades.csv", "fills.csv", "orders.csv", "equity.csv", "events.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(base / "streamed" / f), Slurp(base / "kept" / f)) << f;
  }
  EXPECT_NE(Slurp(base / "kept" / "orders.csv").find(",WORKING,"), std::string::npos);
}

}  // namespace
}  // namespace wyckoff::report
