// Orders, fills and the small value-type models that price them.
//
//   OrderRequest buy = OrderRequest::Market(/*symbol=*/0, Side::kBuy, Decimal::FromInt(100));
//   buy.stop_loss = *Decimal::Parse("96.53");     // bracket: both exits one-cancels-other
//   buy.take_profit = *Decimal::Parse("110");
//   buy.tag = "SPRING";                            // names the trade in trades.csv
//
// The broker rules (broker.h) decide when and at what price an order fills.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::engine {

enum class Side : std::uint8_t { kBuy, kSell };
enum class OrderType : std::uint8_t { kMarket, kLimit, kStop, kStopLimit };
enum class OrderStatus : std::uint8_t { kWorking, kFilled, kCancelled, kRejected };

using OrderId = std::int64_t;

// +1 for buys, -1 for sells.
inline int Sign(Side side) { return side == Side::kBuy ? 1 : -1; }
inline Side Opposite(Side side) { return side == Side::kBuy ? Side::kSell : Side::kBuy; }
std::string_view ToString(Side side);
std::string_view ToString(OrderType type);
std::string_view ToString(OrderStatus status);

struct OrderRequest {
  int symbol = 0;  // index of the symbol in the run
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Decimal quantity;     // > 0
  Decimal limit_price;  // kLimit and kStopLimit
  Decimal stop_price;   // kStop and kStopLimit
  // Bracket exits, placed when the entry fills; they cancel each other.
  std::optional<Decimal> stop_loss;
  std::optional<Decimal> take_profit;
  // Static text naming why the order was placed (e.g. "SPRING"); kept in trades and fills.
  std::string_view tag;
  // How strongly the strategy wants this order when it opens a position (the wyckoff strategy:
  // the signal's confidence). Under EngineConfig::max_positions, entries placed at the same
  // clock step are admitted highest rank first (ties: the lower symbol index).
  double rank = 0;

  static OrderRequest Market(int symbol, Side side, Decimal quantity) {
    OrderRequest r;
    r.symbol = symbol, r.side = side, r.quantity = quantity;
    return r;
  }
};

// An order as the broker keeps it.
struct Order {
  OrderId id = 0;
  OrderRequest request;
  OrderStatus status = OrderStatus::kWorking;
  Decimal filled;  // quantity filled so far
  Timestamp submitted_at = 0;
  OrderId parent = 0;     // the bracket entry this exit belongs to, or 0
  OrderId oco = 0;        // the sibling exit cancelled when this one fills, or 0
  OrderId stop_exit = 0;  // for a bracket entry: its exits once placed, or 0
  OrderId target_exit = 0;
  bool triggered = false;  // a stop-limit whose stop has been reached
  std::string reason;      // why it was rejected or cancelled

  Decimal remaining() const { return request.quantity - filled; }
};

struct Fill {
  OrderId order = 0;
  int symbol = 0;
  Timestamp time = 0;
  std::int64_t bar_index = 0;  // index of the fill bar within its symbol
  Side side = Side::kBuy;
  Decimal quantity;
  Decimal price;  // after slippage
  Decimal commission;
  std::string_view tag;
};

// Slippage: moves market and stop fills against the trader. Limit fills get their price.
struct SlippageModel {
  enum class Kind : std::uint8_t { kNone, kFixed, kBasisPoints } kind = Kind::kNone;
  // Price units for kFixed (ticks x tick size); basis points of |price| for kBasisPoints, below
  // 10000, the move rounded once, half-even, to 12 places.
  Decimal amount;

  // The fill price for a reference `price` on `side` in a bar from `low` to `high`: moved
  // against the trader, but never beyond the bar's range (as backtrader's slip_match): a fill
  // is a price the bar traded at, so positive prices give positive fills.
  Decimal Apply(Side side, Decimal price, Decimal low, Decimal high) const;
};

// Commission per fill, rounded once, half-even, to 12 places (Decimal's scale).
struct CommissionModel {
  enum class Kind : std::uint8_t { kNone, kPerShare, kPercent, kFixed } kind = Kind::kNone;
  Decimal rate;     // per unit (kPerShare), percent of notional up to 100 (kPercent), amount
  Decimal minimum;  // kPerShare: the least charged per fill

  Decimal Compute(Decimal quantity, Decimal price) const;
};

// Parses model specs from the command line: "none", "fixed:0.02", "bps:5";
// "none", "per-share:0.005:1.00", "percent:0.1", "fixed:1". Errors name the bad spec: a
// negative number or one above 1e12, basis points of 10000 or more, a percent above 100.
Result<SlippageModel> ParseSlippage(std::string_view spec);
Result<CommissionModel> ParseCommission(std::string_view spec);

// How to order a stop and a target that one bar both touches.
enum class IntrabarPolicy : std::uint8_t {
  kStopFirst,    // the pessimistic default
  kTargetFirst,  // the optimistic choice
  kPath,         // open -> nearer extreme -> farther extreme -> close
};
Result<IntrabarPolicy> ParseIntrabar(std::string_view text);

// How the simulated broker (broker.h) prices and fills orders.
struct BrokerConfig {
  SlippageModel slippage;
  CommissionModel commission;
  IntrabarPolicy intrabar = IntrabarPolicy::kStopFirst;
  std::optional<Decimal> max_volume_participation;  // fraction of a bar's volume, in (0, 1]
  Decimal lot_size = Decimal::FromInt(1);
  bool allow_short = false;
  // Limit and stop prices at or below zero are accepted (for data that allows such prices).
  bool allow_nonpositive_prices = false;
};

}  // namespace wyckoff::engine
