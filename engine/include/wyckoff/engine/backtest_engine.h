// BacktestEngine: the event loop. One clock over one or many symbols, one portfolio.
//
//   std::vector<std::unique_ptr<BarSource>> sources = ...;   // one per symbol
//   BacktestEngine engine(config, symbols, strategy);
//   Result<RunResult> run = engine.Run(sources, /*equity_sink=*/nullptr);
//
// Per clock step t (the smallest next timestamp over all symbols; symbols with a bar at t in
// the order they were given), always in this order:
//   1. the broker fills orders queued before t, for every symbol with a bar at t;
//   2. the portfolio marks those symbols to their close;
//   3-4. the strategy sees each bar (a strategy that uses detectors runs them first);
//   5. the recorder takes the equity at t.
// A decision at the close of t can only fill at a later bar: no look-ahead by construction.
// Memory is constant in the number of bars: equity goes to the sink as it is made, metrics are
// accumulated, and trades, fills and orders are kept, or streamed to a RecordSink.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wyckoff/engine/bar_source.h"
#include "wyckoff/engine/metrics.h"
#include "wyckoff/engine/order.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {

struct EngineConfig {
  Decimal initial_cash = Decimal::FromInt(100000);
  BrokerConfig broker;
  Sizing sizing;
  // The price step of every symbol's orders (StrategyContext::tick); unset: each symbol's own,
  // from the decimals its prices are written with.
  std::optional<Decimal> tick_size;
  // Bars before this time only warm the strategy up (Strategy::OnWarmupBar): no orders, no
  // equity points, metrics or digest; the run starts at the first bar at or after it.
  Timestamp trade_from = kBeginningOfTime;
  // At most this many symbols hold a position or a pending entry at once (0: no limit). The
  // entries placed at one clock step (orders for a symbol with no position and no working
  // order) are admitted by OrderRequest::rank, highest first, while slots are free; the others
  // are rejected ("max positions ...") before any of them can fill.
  int max_positions = 0;
  // False: the strategy is told (StrategyContext::records_events) that nobody reads its events,
  // and RunResult::events stays empty. Searches set it: their runs are ranked by metrics, and
  // nobody reads the events of thousands of runs.
  bool record_events = true;
};

// Receives the equity curve, one point per clock step.
class EquitySink {
 public:
  virtual ~EquitySink() = default;
  // Called once before the first point: whether times carry a time of day.
  virtual void OnStart(bool intraday) { (void)intraday; }
  virtual void OnEquity(Timestamp time, Decimal cash, Decimal equity) = 0;
};

// Receives a run's records as they are made. A run given one keeps none of them in its
// RunResult (trades, fills and orders stay empty; their counts are set), so that its memory is
// flat in the number of bars however often the strategy trades.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Called once before the first record: the run's symbols and whether times carry a time of
  // day.
  virtual void OnStart(const std::vector<SymbolInfo>& symbols, bool intraday) {
    (void)symbols, (void)intraday;
  }
  virtual void OnFill(const Fill& fill) = 0;
  virtual void OnTrade(const Trade& trade) = 0;
  // Every order once, in id order, when it and every order before it are final; the orders
  // still working at the end of the run come last.
  virtual void OnOrder(const Order& order) = 0;
};

// One symbol's closed trades in a run (RunResult::per_symbol).
struct SymbolResult {
  std::int64_t trades = 0, won = 0, lost = 0;
  Decimal net_pnl;   // the sum of the trades' pnl, exact
  double r_sum = 0;  // over the trades with an R-multiple
  std::int64_t r_count = 0;
};

struct RunResult {
  std::vector<SymbolInfo> symbols;
  std::vector<SymbolResult> per_symbol;  // per_symbol[i] is symbols[i]'s
  std::vector<Trade> trades;     // closed round trips, in closing order (empty when streamed)
  std::vector<Fill> fills;       // (empty when streamed)
  std::vector<Order> orders;     // (empty when streamed)
  std::int64_t fill_count = 0;   // fills made, streamed or kept
  std::int64_t order_count = 0;  // orders placed, streamed or kept
  std::vector<RunEvent> events;  // what the strategy recorded, in recording order
  Metrics metrics;
  Decimal final_cash;
  Decimal final_value;           // cash plus open positions at their last close
  std::int64_t bars = 0;         // bars processed over all symbols (warm-up bars not included)
  std::int64_t steps = 0;        // clock steps (distinct timestamps), warm-up not included
  std::int64_t warmup_bars = 0;  // bars before EngineConfig::trade_from
  std::int64_t skipped_rows = 0;
  std::int64_t rejected_orders = 0;  // orders the broker refused (cash, shorts, bad prices)
  std::string first_rejection;       // the reason of the first of them, or ""
  bool intraday = false;             // any symbol has a time of day
  std::string digest;  // 16 hex digits over trades and equity curve: same inputs, same digest
};

class BacktestEngine {
 public:
  BacktestEngine(EngineConfig config, std::vector<SymbolInfo> symbols, Strategy& strategy);
  // Runs sources[i] as symbols[i] to the end; with `records`, streams trades, fills and orders
  // to it instead of keeping them. The digest, the metrics and the counts are the same either
  // way. Errors: the first bad row of any source (under BadRowPolicy::kStop) or a read failure;
  // an account total or a sum of the trades' money that leaves Decimal's range (kOverflow,
  // naming the time).
  Result<RunResult> Run(std::vector<std::unique_ptr<BarSource>>& sources, EquitySink* sink,
                        RecordSink* records = nullptr);

 private:
  EngineConfig config_;
  std::vector<SymbolInfo> symbols_;
  Strategy& strategy_;
};

}  // namespace wyckoff::engine
