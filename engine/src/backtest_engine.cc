#include "wyckoff/engine/backtest_engine.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>

#include "digest.h"

namespace wyckoff::engine {
namespace {

// The engine's side of StrategyContext: routes orders to the broker, answers from the book.
class Context final : public StrategyContext {
 public:
  Context(SimulatedBroker& broker, const Portfolio& book, const Sizing& sizing,
          std::optional<Decimal> tick, std::vector<RunEvent>& events, int symbols)
      : broker_(broker),
        book_(book),
        sizing_(sizing),
        tick_(tick),
        events_(events),
        decimals_(static_cast<std::size_t>(symbols), 0) {}
  OrderId Submit(const OrderRequest& r) override { return broker_.Submit(r, now_); }
  void Cancel(OrderId id) override { broker_.Cancel(id); }
  void CancelAll(int symbol) override { broker_.CancelAll(symbol); }
  bool HasWorkingOrders(int symbol) const override { return broker_.HasWorkingOrders(symbol); }
  const Order& order(OrderId id) const override { return broker_.order(id); }
  Decimal position(int symbol) const override { return book_.position(symbol); }
  Decimal cash() const override { return book_.cash(); }
  Decimal equity() const override { return book_.equity(); }
  Timestamp now() const override { return now_; }
  const Sizing& sizing() const override { return sizing_; }
  Decimal tick(int symbol) const override {
    return tick_ ? *tick_ : Decimal::FromUnits(1, decimals_[static_cast<std::size_t>(symbol)]);
  }
  // Widens `symbol`'s price step to the decimals of `bar`.
  void See(int symbol, const Bar& bar) {
    std::uint8_t& d = decimals_[static_cast<std::size_t>(symbol)];
    d = std::max(d, std::min(bar.decimals, static_cast<std::uint8_t>(Decimal::kScale)));
  }
  bool allow_short() const override { return broker_.config().allow_short; }
  void RecordEvent(RunEvent event) override { events_.push_back(std::move(event)); }
  void set_now(Timestamp t) { now_ = t; }

 private:
  SimulatedBroker& broker_;
  const Portfolio& book_;
  const Sizing& sizing_;
  std::optional<Decimal> tick_;
  std::vector<RunEvent>& events_;
  std::vector<std::uint8_t> decimals_;  // per symbol: the most price decimals seen so far
  Timestamp now_ = 0;
};

struct Head {
  Timestamp time;
  int symbol;
  bool operator>(const Head& o) const { return time != o.time ? time > o.time : symbol > o.symbol; }
};

}  // namespace

BacktestEngine::BacktestEngine(EngineConfig config, std::vector<SymbolInfo> symbols,
                               Strategy& strategy)
    : config_(config), symbols_(std::move(symbols)), strategy_(strategy) {}

Result<RunResult> BacktestEngine::Run(std::vector<std::unique_ptr<BarSource>>& sources,
                                      EquitySink* sink) {
  WYCKOFF_CHECK(sources.size() == symbols_.size(), "one bar source per symbol");
  const int n = static_cast<int>(sources.size());
  Portfolio book(config_.initial_cash, n);
  SimulatedBroker broker(config_.broker, book);
  MetricsAccumulator metrics(config_.initial_cash);
  Digest digest;
  RunResult result;
  Context ctx(broker, book, config_.sizing, config_.tick_size, result.events, n);
  result.symbols = symbols_;

  std::vector<Bar> bars(n);
  std::vector<std::int64_t> index(n, -1);
  std::vector<Head> storage;
  storage.reserve(n);
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads(std::greater<>{},
                                                                     std::move(storage));
  // Called from three loops; forced inline, since GCC stops inlining it once the warm-up loop
  // calls it too, which cost the sma-cross backtest 4-6% (BM_Backtest_SmaCross).
  // clang-format off
  auto advance = [&](int s) __attribute__((always_inline)) -> Result<void> {
    // clang-format on
    Result<bool> got = sources[s]->Next(bars[s]);
    if (!got) return tl::unexpected(got.error());
    if (*got) heads.push(Head{bars[s].time, s});
    return {};
  };
  for (int s = 0; s < n; ++s) {
    if (auto ok = advance(s); !ok) return tl::unexpected(ok.error());
  }
  // Every source has read its first row now, so each knows whether it is intraday.
  for (int s = 0; s < n; ++s) result.intraday = result.intraday || sources[s]->intraday();
  if (sink != nullptr) sink->OnStart(result.intraday);
  strategy_.OnStart(symbols_);
  std::vector<int> batch;
  batch.reserve(n);
  // Warm-up: the bars before trade_from come first (the heap pops in time order) and reach
  // the strategy's OnWarmupBar only; the trading loop below never sees them.
  while (!heads.empty() && heads.top().time < config_.trade_from) {
    const int s = heads.top().symbol;
    heads.pop();
    ctx.See(s, bars[s]);
    strategy_.OnWarmupBar(s, bars[s], ++index[s]);
    ++result.warmup_bars;
    if (auto ok = advance(s); !ok) return tl::unexpected(ok.error());
  }
  while (!heads.empty()) {
    const Timestamp t = heads.top().time;
    batch.clear();
    while (!heads.empty() && heads.top().time == t) {
      batch.push_back(heads.top().symbol);
      heads.pop();
    }
    for (int s : batch) {  // 1-2: fills, then mark to the close
      broker.ProcessBar(s, bars[s], ++index[s], result.trades);
      book.Mark(s, bars[s].close);
      ctx.See(s, bars[s]);
    }
    if (book.failure()) [[unlikely]] {
      return Fail(ErrorCode::kOverflow, "at " + FormatTimestamp(t, !result.intraday) + ": " +
                                            book.failure()->message +
                                            "; the prices, quantities or settings are beyond "
                                            "what an exact backtest holds");
    }
    ctx.set_now(t);
    for (int s : batch) strategy_.OnBar(s, bars[s], index[s], ctx);  // 3-4
    const Decimal cash = book.cash(), equity = book.equity();        // 5
    metrics.OnEquity(t, equity, book.invested());
    digest.Add(t), digest.Add(cash), digest.Add(equity);
    if (sink != nullptr) sink->OnEquity(t, cash, equity);
    ++result.steps;
    result.bars += static_cast<std::int64_t>(batch.size());
    for (int s : batch) {
      if (auto ok = advance(s); !ok) return tl::unexpected(ok.error());
    }
  }
  strategy_.OnEnd(ctx);

  for (const Trade& tr : result.trades) {
    digest.Add(tr.entry_time), digest.Add(tr.exit_time), digest.Add(tr.entry_price);
    digest.Add(tr.exit_price), digest.Add(tr.quantity), digest.Add(tr.pnl);
  }
  result.fills = broker.fills();
  result.orders.assign(broker.orders().begin(), broker.orders().end());
  Result<Metrics> finished = metrics.Finish(result.trades);
  if (!finished) return tl::unexpected(finished.error());
  result.metrics = *finished;
  for (const Order& o : result.orders) {
    if (o.status != OrderStatus::kRejected) continue;
    if (result.rejected_orders++ == 0) result.first_rejection = o.reason;
  }
  result.final_cash = book.cash();
  result.final_value = book.equity();
  for (int s = 0; s < n; ++s) {
    result.skipped_rows += sources[s]->skipped_rows();
  }
  result.digest = digest.Hex();
  return result;
}

}  // namespace wyckoff::engine
