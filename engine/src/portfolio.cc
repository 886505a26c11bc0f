#include "wyckoff/engine/portfolio.h"

#include <cstdint>

namespace wyckoff::engine {

Portfolio::Portfolio(Decimal cash, int symbols) : cash_(cash), positions_(symbols) {}

Decimal Portfolio::CashNeeded(int symbol, Side side, Decimal quantity, Decimal price,
                              Decimal commission) const {
  Decimal held = positions_[symbol].quantity;
  // The part of the fill that reduces the current position frees cash; the rest opens.
  bool reduces = (side == Side::kSell) ? held.IsPositive() : held.IsNegative();
  Decimal opening = reduces ? Max(quantity - held.Abs(), Decimal()) : quantity;
  return opening * price + commission;
}

void Portfolio::SetQuantity(int symbol, Decimal quantity) {
  Position& p = positions_[symbol];
  if (p.quantity.IsZero() != quantity.IsZero()) open_positions_ += quantity.IsZero() ? -1 : 1;
  market_value_ += (quantity - p.quantity) * p.last_price;
  Decimal old_short = Min(p.quantity, Decimal()).Abs();
  Decimal new_short = Min(quantity, Decimal()).Abs();
  short_value_ += (new_short - old_short) * p.last_price;
  p.quantity = quantity;
  const Decimal::Raw raw = quantity.raw();
  const bool whole = raw % Decimal::kOne == 0 && raw / Decimal::kOne <= INT64_MAX &&
                     raw / Decimal::kOne >= INT64_MIN;
  p.whole_quantity =
      whole ? std::optional<std::int64_t>(static_cast<std::int64_t>(raw / Decimal::kOne))
            : std::nullopt;
}

void Portfolio::Mark(int symbol, Decimal price) {
  Position& p = positions_[symbol];
  if (!p.quantity.IsZero()) {
    const Decimal move = price - p.last_price;
    const Decimal change = p.whole_quantity ? move.MulInt(*p.whole_quantity) : p.quantity * move;
    market_value_ += change;
    if (p.quantity.IsNegative()) short_value_ -= change;
  }
  p.last_price = price;
}

void Portfolio::ApplyFill(const Fill& fill, std::optional<Decimal> stop,
                          std::vector<Trade>& closed) {
  Position& p = positions_[fill.symbol];
  // The last price moves to the fill price first, so that the cash and market value changes
  // below are both at the fill price and equity changes only by the commission.
  Mark(fill.symbol, fill.price);
  Decimal signed_qty = fill.side == Side::kBuy ? fill.quantity : -fill.quantity;
  cash_ -= signed_qty * fill.price + fill.commission;

  bool reduces = !p.quantity.IsZero() && (p.quantity.IsPositive() != signed_qty.IsPositive());
  Decimal reducing = reduces ? Min(fill.quantity, p.quantity.Abs()) : Decimal();
  Decimal opening = fill.quantity - reducing;
  // Commission splits across the closing and opening parts in proportion to quantity.
  Decimal close_fee =
      opening.IsZero() ? fill.commission : (fill.commission * reducing) / fill.quantity;
  if (!reducing.IsZero()) Reduce(p, fill, reducing, close_fee, closed);
  if (!opening.IsZero()) Open(p, fill, opening, fill.commission - close_fee, stop);
  SetQuantity(fill.symbol, p.quantity + signed_qty);
}

void Portfolio::Open(Position& p, const Fill& fill, Decimal quantity, Decimal commission,
                     std::optional<Decimal> stop) {
  Decimal held = p.quantity.Abs();
  if (!p.has_trade || held.IsZero()) {
    p.has_trade = true;
    p.open = OpenTrade{};
    Trade& t = p.open.trade;
    t.symbol = fill.symbol;
    t.direction = fill.side;
    t.entry_time = fill.time;
    t.entry_index = fill.bar_index;
    t.tag = fill.tag;
    p.open.stop = stop;
    held = Decimal();
  }
  p.average_cost = (p.average_cost * held + fill.price * quantity) / (held + quantity);
  p.open.entry_notional += fill.price * quantity;
  p.open.trade.quantity += quantity;
  p.open.trade.fees += commission;
}

void Portfolio::Reduce(Position& p, const Fill& fill, Decimal quantity, Decimal commission,
                       std::vector<Trade>& closed) {
  OpenTrade& open = p.open;
  Trade& t = open.trade;
  int dir = Sign(t.direction);
  t.gross_pnl += (fill.price - p.average_cost) * quantity.MulInt(dir);
  t.fees += commission;
  open.exit_notional += fill.price * quantity;
  open.exit_quantity += quantity;
  if (quantity < p.quantity.Abs()) return;
  // Back to flat: the round trip is complete.
  t.exit_time = fill.time;
  t.exit_index = fill.bar_index;
  t.entry_price = open.entry_notional / t.quantity;
  t.exit_price = open.exit_notional / open.exit_quantity;
  t.pnl = t.gross_pnl - t.fees;
  if (open.stop && *open.stop != t.entry_price) {
    t.r_multiple = t.pnl / (t.quantity * (t.entry_price - *open.stop).Abs());
  }
  closed.push_back(t);
  p.has_trade = false;
  p.average_cost = Decimal();
}

}  // namespace wyckoff::engine
