#include "wyckoff/engine/portfolio.h"

#include <cstdint>

namespace wyckoff::engine {

Portfolio::Portfolio(Decimal cash, int symbols) : cash_(cash), positions_(symbols) {}

void Portfolio::Fail(const char* what) {
  if (failure_) return;
  failure_ = Error{ErrorCode::kOverflow, std::string("the account's ") + what +
                                             " left the exact decimal range (about 8.5e25)"};
}

Result<Decimal> Portfolio::CashNeeded(int symbol, Side side, Decimal quantity, Decimal price,
                                      Decimal commission) const {
  Decimal held = positions_[symbol].quantity;
  // The part of the fill that reduces the current position frees cash; the rest opens.
  bool reduces = (side == Side::kSell) ? held.IsPositive() : held.IsNegative();
  Decimal opening = reduces ? Max(quantity - held.Abs(), Decimal()) : quantity;
  Result<Decimal> notional = Decimal::CheckedMul(opening, price.Abs());
  if (!notional) return notional;
  return Decimal::CheckedAdd(*notional, commission);
}

void Portfolio::SetQuantity(Position& p, Decimal quantity) {
  if (p.quantity.IsZero() != quantity.IsZero()) open_positions_ += quantity.IsZero() ? -1 : 1;
  p.quantity = quantity;
  p.whole_quantity = quantity.ToWhole();
}

void Portfolio::MarkHeld(Position& p, Decimal price) {
  // Prices are bounded at the input (|price| <= 1e12): their difference cannot overflow.
  const Decimal::Raw move = price.raw() - p.last_price.raw();
  Decimal::Raw change;
  if (p.whole_quantity) {
    if (__builtin_mul_overflow(move, static_cast<Decimal::Raw>(*p.whole_quantity), &change))
        [[unlikely]] {
      Fail("market value");
      return;
    }
  } else if (auto product = Product(p.quantity, Decimal::FromRaw(move), "market value")) {
    change = product->raw();
  } else {
    return;
  }
  // A change beyond the bound fails here, before -change could overflow below.
  if (!Add(market_value_, Decimal::FromRaw(change), "market value")) return;
  if (p.quantity.IsNegative()) Add(short_value_, Decimal::FromRaw(-change), "short market value");
  p.last_price = price;
}

void Portfolio::ApplyFill(const Fill& fill, std::optional<Decimal> stop,
                          std::vector<Trade>& closed) {
  Position& p = positions_[fill.symbol];
  // The last price moves to the fill price first, so that the cash and market value changes
  // below are both at the fill price and equity changes only by the commission.
  Mark(fill.symbol, fill.price);
  const bool buy = fill.side == Side::kBuy;
  const bool reduces = !p.quantity.IsZero() && (p.quantity.IsPositive() != buy);
  const Decimal reducing = reduces ? Min(fill.quantity, p.quantity.Abs()) : Decimal();
  const Decimal opening = fill.quantity - reducing;
  // The notional of each part, exact; the cash moves by their sum, the trades by each part.
  const std::optional<Decimal> reduce_notional = Product(reducing, fill.price, "cash");
  const std::optional<Decimal> open_notional = Product(opening, fill.price, "cash");
  if (!reduce_notional || !open_notional) return;
  Decimal flow = *reduce_notional;  // cash in (sells) or out (buys), before commission
  if (!Add(flow, *open_notional, "cash")) return;
  if (buy) flow = -flow;
  // A sell that opens adds to the shorts' value; a buy that reduces covers part of it.
  const Decimal short_change = buy ? -*reduce_notional : *open_notional;
  if (!Add(cash_, flow, "cash") || !Add(cash_, -fill.commission, "cash") ||
      !Add(market_value_, -flow, "market value") ||
      !Add(short_value_, short_change, "short market value")) {
    return;
  }
  // Commission splits across the closing and opening parts in proportion to quantity; the
  // parts add up to the whole exactly.
  const Decimal close_fee = opening.IsZero()    ? fill.commission
                            : reducing.IsZero() ? Decimal()
                                                : (fill.commission * reducing) / fill.quantity;
  if (!reducing.IsZero()) Reduce(p, fill, reducing, *reduce_notional, close_fee, closed);
  if (!opening.IsZero()) {
    Open(p, fill, opening, *open_notional, fill.commission - close_fee, stop);
  }
  SetQuantity(p, buy ? p.quantity + fill.quantity : p.quantity - fill.quantity);
}

void Portfolio::Open(Position& p, const Fill& fill, Decimal quantity, Decimal notional,
                     Decimal commission, std::optional<Decimal> stop) {
  if (!p.has_trade || p.quantity.IsZero()) {
    p.has_trade = true;
    p.open = OpenTrade{};
    Trade& t = p.open.trade;
    t.symbol = fill.symbol;
    t.direction = fill.side;
    t.entry_time = fill.time;
    t.entry_index = fill.bar_index;
    t.tag = fill.tag;
    p.open.stop = stop;
  }
  Add(p.open.entry_notional, notional, "trade's entry cost");
  p.open.trade.quantity += quantity;
  Add(p.open.trade.fees, commission, "trade's fees");
}

void Portfolio::Reduce(Position& p, const Fill& fill, Decimal quantity, Decimal notional,
                       Decimal commission, std::vector<Trade>& closed) {
  OpenTrade& open = p.open;
  Trade& t = open.trade;
  Add(t.fees, commission, "trade's fees");
  Add(open.exit_notional, notional, "trade's exit proceeds");
  open.exit_quantity += quantity;
  if (quantity < p.quantity.Abs()) return;
  // Back to flat: the round trip is complete.
  t.exit_time = fill.time;
  t.exit_index = fill.bar_index;
  t.entry_price = open.entry_notional / t.quantity;
  t.exit_price = open.exit_notional / open.exit_quantity;
  const bool is_long = t.direction == Side::kBuy;
  t.gross_pnl = is_long ? open.exit_notional : open.entry_notional;
  if (!Add(t.gross_pnl, is_long ? -open.entry_notional : -open.exit_notional, "trade's P&L")) {
    return;
  }
  t.pnl = t.gross_pnl;
  if (!Add(t.pnl, -t.fees, "trade's P&L")) return;
  if (open.stop && *open.stop != t.entry_price) {
    auto risk = Decimal::CheckedMul(t.quantity, (t.entry_price - *open.stop).Abs());
    if (risk && risk->IsPositive()) {
      if (auto r = Decimal::CheckedDiv(t.pnl, *risk)) t.r_multiple = *r;
    }
  }
  closed.push_back(t);
  p.has_trade = false;
}

}  // namespace wyckoff::engine
