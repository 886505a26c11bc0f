#include "wyckoff/engine/backtest_engine.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <queue>
#include <span>

#include "digest.h"
#include "wyckoff/engine/broker.h"

namespace wyckoff::engine {
namespace {

// The engine's side of StrategyContext: routes orders to the broker, answers from the book.
class Context final : public StrategyContext {
 public:
  Context(SimulatedBroker& broker, const Portfolio& book, const Sizing& sizing,
          std::optional<Decimal> tick, std::vector<RunEvent>& events, int symbols,
          int max_positions)
      : broker_(broker),
        book_(book),
        sizing_(sizing),
        tick_(tick),
        events_(events),
        decimals_(static_cast<std::size_t>(symbols), 0),
        max_positions_(max_positions) {
    if (max_positions_ > 0) entries_.reserve(static_cast<std::size_t>(symbols));
  }
  OrderId Submit(const OrderRequest& r) override {
    // An entry: an order for a symbol with no position and nothing working (only tracked
    // under a position limit).
    const bool entry = max_positions_ > 0 && book_.position(r.symbol).IsZero() &&
                       !broker_.HasWorkingOrders(r.symbol);
    const OrderId id = broker_.Submit(r, now_);
    if (entry && broker_.order(id).status == OrderStatus::kWorking) {
      entries_.push_back({id, r.symbol, r.rank});
    }
    return id;
  }
  // After the strategy has seen every bar of a step: under a position limit, admits this step's
  // entries by rank while slots are free and rejects the others, marking the events that
  // placed them (from events_[first_event] on).
  void AdmitEntries(int symbols, std::size_t first_event) {
    if (!entries_.empty()) [[unlikely]]
      Admit(symbols, first_event);
  }
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
  void RecordEvent(RunEvent event) override {
    if (record_events_) events_.push_back(std::move(event));
  }
  bool records_events() const override { return record_events_; }
  void set_record_events(bool record) { record_events_ = record; }
  void set_now(Timestamp t) { now_ = t; }

 private:
  // AdmitEntries when this step placed entries.
  void Admit(int symbols, std::size_t first_event) {
    auto is_entry = [this](int s) {
      return std::any_of(entries_.begin(), entries_.end(),
                         [s](const Entry& e) { return e.symbol == s; });
    };
    int occupied = 0;  // positions, and entries of earlier steps still working
    for (int s = 0; s < symbols; ++s) {
      if (!book_.position(s).IsZero() || (broker_.HasWorkingOrders(s) && !is_entry(s))) {
        ++occupied;
      }
    }
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return a.rank != b.rank ? a.rank > b.rank : a.symbol < b.symbol;
    });
    const std::size_t free = static_cast<std::size_t>(std::max(0, max_positions_ - occupied));
    for (std::size_t i = free; i < entries_.size(); ++i) {
      char rank[32];
      std::snprintf(rank, sizeof rank, "%.6g", entries_[i].rank);
      const std::string reason =
          "max positions (" + std::to_string(max_positions_) + "): " + std::to_string(occupied) +
          " held or pending; this entry ranked " + std::to_string(i + 1) + " of " +
          std::to_string(entries_.size()) + " at this bar (rank " + rank + ")";
      broker_.RejectWorking(entries_[i].id, reason);
      for (std::size_t e = first_event; e < events_.size(); ++e) {
        if (events_[e].order != entries_[i].id) continue;
        for (auto& [name, value] : events_[e].details) {
          if (name == "status") value = "SKIPPED: " + reason;
        }
      }
    }
    entries_.clear();
  }

  SimulatedBroker& broker_;
  const Portfolio& book_;
  const Sizing& sizing_;
  std::optional<Decimal> tick_;
  bool record_events_ = true;
  std::vector<RunEvent>& events_;
  std::vector<std::uint8_t> decimals_;  // per symbol: the most price decimals seen so far
  Timestamp now_ = 0;
  struct Entry {
    OrderId id;
    int symbol;
    double rank;
  };
  int max_positions_;
  std::vector<Entry> entries_;  // placed at this step, under a position limit
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

namespace {

// Counts the rejected orders among `orders` and keeps the first reason.
void CountRejected(const Order& o, RunResult& result) {
  if (o.status != OrderStatus::kRejected) return;
  if (result.rejected_orders++ == 0) result.first_rejection = o.reason;
}

// What the run has closed, filled and finished since the last call, to the metrics and the
// trade digest, and to `records` when the run streams.
class Recorder {
 public:
  Recorder(RecordSink* records, MetricsAccumulator& metrics)
      : records_(records), metrics_(metrics) {
    fills_.reserve(16);
    orders_.reserve(16);
  }
  void Step(SimulatedBroker& broker, RunResult& result) {
    // Most steps close no trade, and without a sink there is nothing else to pass on.
    if (records_ == nullptr && seen_ == result.trades.size()) [[likely]]
      return;
    Record(broker, result);
  }
  // The orders and fills at the end of the run: streamed, or kept in `result`.
  void Finish(SimulatedBroker& broker, RunResult& result) {
    Record(broker, result);
    if (records_ == nullptr) {
      result.fills = broker.fills();
      result.orders.assign(broker.orders().begin(), broker.orders().end());
      result.fill_count = static_cast<std::int64_t>(result.fills.size());
      result.order_count = static_cast<std::int64_t>(result.orders.size());
      for (const Order& o : result.orders) CountRejected(o, result);
      return;
    }
    const std::vector<Order> working(broker.orders().begin(), broker.orders().end());
    Emit(working, result);
  }
  std::uint64_t trade_digest() const { return digest_.value(); }

 private:
  void Record(SimulatedBroker& broker, RunResult& result) {
    for (; seen_ < result.trades.size(); ++seen_) {
      const Trade& t = result.trades[seen_];
      metrics_.OnTrade(t);
      SymbolResult& r = result.per_symbol[static_cast<std::size_t>(t.symbol)];
      ++r.trades;
      r.won += t.pnl.IsPositive() ? 1 : 0;
      r.lost += t.pnl.IsNegative() ? 1 : 0;
      // Beyond Decimal's range, the run fails in the metrics (trade_overflow_).
      if (auto sum = Decimal::CheckedAdd(r.net_pnl, t.pnl)) r.net_pnl = *sum;
      if (t.r_multiple) r.r_sum += t.r_multiple->ToDouble(), ++r.r_count;
      digest_.Add(t.entry_time), digest_.Add(t.exit_time), digest_.Add(t.entry_price);
      digest_.Add(t.exit_price), digest_.Add(t.quantity), digest_.Add(t.pnl);
      if (records_ != nullptr) records_->OnTrade(t);
    }
    if (records_ == nullptr) return;
    result.trades.clear();
    seen_ = 0;
    broker.TakeFills(fills_);
    for (const Fill& f : fills_) records_->OnFill(f);
    result.fill_count += static_cast<std::int64_t>(fills_.size());
    fills_.clear();
    broker.TakeFinishedOrders(orders_);
    Emit(orders_, result);
    orders_.clear();
  }
  void Emit(const std::vector<Order>& orders, RunResult& result) {
    for (const Order& o : orders) {
      CountRejected(o, result);
      records_->OnOrder(o);
    }
    result.order_count += static_cast<std::int64_t>(orders.size());
  }

  RecordSink* records_;
  MetricsAccumulator& metrics_;
  Digest digest_;
  std::size_t seen_ = 0;
  std::vector<Fill> fills_;
  std::vector<Order> orders_;
};

}  // namespace

Result<RunResult> BacktestEngine::Run(std::vector<std::unique_ptr<BarSource>>& sources,
                                      EquitySink* sink, RecordSink* records) {
  WYCKOFF_CHECK(sources.size() == symbols_.size(), "one bar source per symbol");
  const int n = static_cast<int>(sources.size());
  Portfolio book(config_.initial_cash, n);
  SimulatedBroker broker(config_.broker, book);
  MetricsAccumulator metrics(config_.initial_cash);
  Digest digest;
  Recorder recorder(records, metrics);
  RunResult result;
  Context ctx(broker, book, config_.sizing, config_.tick_size, result.events, n,
              config_.max_positions);
  ctx.set_record_events(config_.record_events);
  result.symbols = symbols_;
  result.per_symbol.resize(symbols_.size());

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
  if (records != nullptr) records->OnStart(symbols_, result.intraday);
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
  // One step of the clock at `t`: the bars of `symbols` (those with a bar at t). Forced
  // inline into both loops below, like `advance`.
  // clang-format off
  auto step = [&](Timestamp t, std::span<const int> symbols) __attribute__((always_inline))
      -> Result<void> {
    // clang-format on
    for (int s : symbols) {  // 1-2: fills, then mark to the close
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
    const std::size_t first_event = result.events.size();
    for (int s : symbols) strategy_.OnBar(s, bars[s], index[s], ctx);  // 3-4
    ctx.AdmitEntries(n, first_event);
    const Decimal cash = book.cash(), equity = book.equity();  // 5
    metrics.OnEquity(t, equity, book.invested());
    digest.Add(t), digest.Add(cash), digest.Add(equity);
    if (sink != nullptr) sink->OnEquity(t, cash, equity);
    ++result.steps;
    result.bars += static_cast<std::int64_t>(symbols.size());
    recorder.Step(broker, result);
    return {};
  };
  if (n == 1) {
    // One symbol (most backtests): each of its bars is a step of its own, in the order it
    // reads them, which is all the merge below would do with one head.
    constexpr int kOnly[] = {0};
    for (bool more = !heads.empty(); more;) {
      if (auto ok = step(bars[0].time, kOnly); !ok) return tl::unexpected(ok.error());
      Result<bool> got = sources[0]->Next(bars[0]);
      if (!got) return tl::unexpected(got.error());
      more = *got;
    }
  } else {
    while (!heads.empty()) {
      const Timestamp t = heads.top().time;
      batch.clear();
      while (!heads.empty() && heads.top().time == t) {
        batch.push_back(heads.top().symbol);
        heads.pop();
      }
      if (auto ok = step(t, batch); !ok) return tl::unexpected(ok.error());
      for (int s : batch) {
        if (auto ok = advance(s); !ok) return tl::unexpected(ok.error());
      }
    }
  }
  strategy_.OnEnd(ctx);
  recorder.Finish(broker, result);
  digest.Add(recorder.trade_digest());  // the trades, in closing order, after the equity curve
  Result<Metrics> finished = metrics.Finish();
  if (!finished) return tl::unexpected(finished.error());
  result.metrics = *finished;
  result.final_cash = book.cash();
  result.final_value = book.equity();
  for (int s = 0; s < n; ++s) {
    result.skipped_rows += sources[s]->skipped_rows();
  }
  result.digest = digest.Hex();
  return result;
}

}  // namespace wyckoff::engine
