// SimulatedBroker: fills working orders against each new bar, by the design's broker rules.
//
//   SimulatedBroker broker(config, portfolio);
//   OrderId id = broker.Submit(OrderRequest::Market(0, Side::kBuy, qty), bar.time);
//   ...                                   // next bar of symbol 0:
//   broker.ProcessBar(0, next_bar, next_index, trades);   // fills at next_bar.open
//
// Rules:
// - An order placed at time t is eligible only for bars after t: decisions at the close of a
//   bar fill at the next bar at the earliest.
// - Market orders fill at the open, moved by the slippage model.
// - Stops fill when the bar's range reaches the stop; a bar that opens beyond it fills at the
//   open (the worse price). Limits fill when the range reaches the limit, at the limit or at a
//   better open. A stop-limit becomes a limit once its stop is reached; in the bar that
//   triggers it intrabar it fills only when the stop price itself satisfies the limit.
// - Bracket exits (stop_loss, take_profit) are placed when the entry fills, for the filled
//   quantity, and cancel each other. If the entry filled at the open they may fill in the same
//   bar. When one bar touches both and neither at the open, IntrabarPolicy decides.
// - With a volume cap, a bar fills at most cap x volume (rounded down to the lot) across the
//   symbol's orders; the rest carries to later bars.
// - A fill the account cannot pay for (Portfolio::CashNeeded above available cash) rejects the
//   order's remainder with the reason; a sell that would open a short without allow_short too.
// - Exits of a bracket are cancelled when the position they protect is closed by other orders.
#pragma once

#include <boost/container/deque.hpp>
#include <deque>
#include <optional>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/engine/order.h"
#include "wyckoff/engine/portfolio.h"

namespace wyckoff::engine {

// The order book: orders not yet released, in blocks of 32, so that placing an order
// allocates once per 32 (std::deque's 512-byte blocks hold one order each) and never moves
// the others.
using OrderBook =
    boost::container::deque<Order, void,
                            boost::container::deque_options_t<boost::container::block_size<32u>>>;

class SimulatedBroker {
 public:
  SimulatedBroker(BrokerConfig config, Portfolio& portfolio);
  // Not copyable: the working list points into the book, so a copy would share its orders
  // with the original. Moving keeps them (the book's blocks move with it).
  SimulatedBroker(const SimulatedBroker&) = delete;
  SimulatedBroker& operator=(const SimulatedBroker&) = delete;
  SimulatedBroker(SimulatedBroker&&) = default;

  // Queues an order placed at time `now`. Returns its id; an order whose quantity or prices
  // make no sense (quantity <= 0 or above 1e12, a stop without a positive stop price, a price
  // beyond the input limit of 1e12) is recorded as rejected.
  OrderId Submit(const OrderRequest& request, Timestamp now);
  // Cancels a working order (and, for a bracket entry, its future exits). No-op otherwise.
  void Cancel(OrderId id, const char* reason = "cancelled by the strategy");
  // Cancels every working order of `symbol`.
  void CancelAll(int symbol);
  // Rejects a working order that has not filled (the engine's position limit), with `reason`.
  // No-op otherwise.
  void RejectWorking(OrderId id, std::string reason);

  // Step 1 of the engine loop: fills the working orders of `symbol` against `bar`, the bar with
  // index `bar_index` in that symbol. Fills go to the portfolio and to fills(); closed trades
  // are appended to `closed`.
  // Inline, like HasWorkingOrders: most bars have nothing working, and a call of the whole
  // function (its register saves) cost more than the check.
  void ProcessBar(int symbol, const Bar& bar, std::int64_t bar_index, std::vector<Trade>& closed) {
    if (!working_.empty()) ProcessWorking(symbol, bar, bar_index, closed);
  }

  bool HasWorkingOrders(int symbol) const { return !working_.empty() && AnyWorking(symbol); }
  // An order not yet released (TakeFinishedOrders). Requires such an id.
  const Order& order(OrderId id) const;
  // The orders not yet released, in id order; the fills not yet taken, in order.
  const OrderBook& orders() const { return orders_; }
  const std::vector<Fill>& fills() const { return fills_; }
  const BrokerConfig& config() const { return config_; }

  // For runs that stream their records: moves the fills made so far to `out` (appended), and
  // the finished orders at the front of the book (every order before the first working one,
  // in id order), which the broker then forgets: its memory stays bounded by the orders that
  // are still working, not by every order of the run.
  void TakeFills(std::vector<Fill>& out);
  void TakeFinishedOrders(std::vector<Order>& out);

 private:
  struct Touch {
    Decimal price;
    bool at_open = false;
  };
  void ProcessWorking(int symbol, const Bar& bar, std::int64_t bar_index,
                      std::vector<Trade>& closed);
  bool AnyWorking(int symbol) const;
  std::optional<Touch> Reach(const Order& order, const Bar& bar) const;
  bool Eligible(const Order& order, const Bar& bar) const;
  // Fills whichever of two one-cancels-other exits the bar reaches first.
  void ProcessExitPair(OrderId a, OrderId b, const Bar& bar, std::int64_t index,
                       std::vector<Trade>& closed);
  // Fills as much of the order as the volume cap and cash allow at `touch`. Returns true when
  // anything filled. May place the exits of a bracket entry.
  bool Execute(Order& order, Touch touch, const Bar& bar, std::int64_t index,
               std::vector<Trade>& closed);
  void PlaceExits(OrderId entry, Decimal quantity, Timestamp active_after);
  void CancelOrphanExits(int symbol);
  void Reject(Order& order, std::string reason);
  // The order `id`, or null once released.
  Order* Find(OrderId id);
  const Order* Find(OrderId id) const;
  Order& At(OrderId id) { return orders_[static_cast<std::size_t>(id - first_id_)]; }
  const Order& At(OrderId id) const { return orders_[static_cast<std::size_t>(id - first_id_)]; }
  void Finish(Order& order, OrderStatus status, std::string reason);

  BrokerConfig config_;
  Portfolio& portfolio_;
  // Every order not yet released, id = first_id_ + index. A deque: placing an order never moves
  // the others, so references to orders stay valid and the book's growth copies nothing.
  OrderBook orders_;
  OrderId first_id_ = 1;
  OrderId next_id_ = 1;
  std::vector<Order*> working_;         // the working orders (in orders_), in submission order
  std::deque<Timestamp> active_after_;  // per order in orders_: eligible for bars after this
  std::vector<Fill> fills_;
  Decimal volume_left_;  // under a volume cap: what the current bar can fill
};

}  // namespace wyckoff::engine
