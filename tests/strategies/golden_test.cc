// End-to-end parity: sma-cross 10/30 on every bundled data file reproduces the peer
// backtester's golden trade list and final value exactly (data/golden/sma-cross-10-30/).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::strategies {
namespace {

using testing::D;

struct GoldenCase {
  const char* file;  // under data/
  const char* quantity;
};

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the golden files use CRLF
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ',')) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

engine::RunResult RunSmaCross(const std::string& path, const char* quantity) {
  engine::EngineConfig config;
  config.sizing.quantity = D(quantity);
  auto strategy =
      MakeStrategy("sma-cross", {{"fast", "10"}, {"slow", "30"}}, config.sizing, nullptr);
  EXPECT_TRUE(strategy.has_value());
  auto source = engine::CsvBarSource::Open(path, {});
  EXPECT_TRUE(source.has_value());
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::move(*source));
  engine::BacktestEngine engine(config, {{"X", sources[0]->intraday()}}, **strategy);
  auto run = engine.Run(sources, nullptr);
  EXPECT_TRUE(run.has_value());
  return std::move(*run);
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, SmaCrossMatchesThePeerExactly) {
  const std::string file = GetParam().file;
  const std::string name = file.substr(file.find('/') + 1, file.size() - file.find('/') - 5);
  const std::string golden = testing::DataPath("golden/sma-cross-10-30/" + name);
  engine::RunResult run = RunSmaCross(testing::DataPath(file), GetParam().quantity);

  auto rows = ReadCsv(golden + ".trades.csv");
  ASSERT_GT(rows.size(), 1u);
  ASSERT_EQ(rows[0], (std::vector<std::string>{"entry_time", "exit_time", "entry_price",
                                               "exit_price", "quantity", "pnl", "bars"}));
  ASSERT_EQ(run.trades.size(), rows.size() - 1);
  for (std::size_t i = 0; i < run.trades.size(); ++i) {
    const auto& want = rows[i + 1];
    const engine::Trade& got = run.trades[i];
    SCOPED_TRACE("trade " + std::to_string(i + 1) + " entered " + want[0]);
    EXPECT_EQ(FormatTimestamp(got.entry_time, !run.intraday), want[0]);
    EXPECT_EQ(FormatTimestamp(got.exit_time, !run.intraday), want[1]);
    EXPECT_EQ(got.entry_price, D(want[2]));
    EXPECT_EQ(got.exit_price, D(want[3]));
    EXPECT_EQ(got.quantity, D(want[4]));
    EXPECT_EQ(got.pnl, D(want[5]));
    EXPECT_EQ(got.bars_held(), std::stoll(want[6]));
  }
  std::ifstream summary_file(golden + ".summary.json");
  auto summary = nlohmann::json::parse(summary_file);
  EXPECT_EQ(run.bars, summary["bars"].get<std::int64_t>());
  EXPECT_EQ(run.metrics.trade_count, summary["closed_trades"].get<std::int64_t>());
  // The golden JSON holds these as numbers; their shortest text is the exact decimal.
  EXPECT_EQ(run.final_value, D(summary["final_value"].dump()));
  EXPECT_EQ(run.final_cash, D(summary["final_cash"].dump()));
}

INSTANTIATE_TEST_SUITE_P(
    BundledData, GoldenTest,
    ::testing::Values(GoldenCase{"daily/orcl-1995-2014.csv", "100"},
                      GoldenCase{"daily/yhoo-1996-2015.csv", "100"},
                      GoldenCase{"daily/ko-1997-1998.csv", "100"},
                      GoldenCase{"daily/pep-1997-1998.csv", "100"},
                      GoldenCase{"intraday/estx50-futures-2006-01-02-1min.csv", "10"},
                      GoldenCase{"intraday/estx50-index-2006-01-5min.csv", "10"}),
    [](const auto& param_info) {
      std::string n = param_info.param.file;
      n = n.substr(n.find('/') + 1);
      n = n.substr(0, n.find('-', n.find('-') + 1));
      for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return n;
    });

}  // namespace
}  // namespace wyckoff::strategies
