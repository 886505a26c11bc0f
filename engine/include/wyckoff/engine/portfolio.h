// Portfolio: one cash balance, one position per symbol, and the round-trip trades they make.
//
//   Portfolio book(Decimal::FromInt(100000), /*symbols=*/1);
//   book.ApplyFill(fill, /*stop=*/std::nullopt);   // cash and position move; trades close
//   book.Mark(0, bar.close);                        // equity follows the last close
//
// Invariants: equity() == cash() + sum(position(s) * last price(s)), exactly; a trade opens
// when a position leaves zero and closes when it returns to zero (a fill that crosses zero
// closes one trade and opens the next). Shorts hold their sale proceeds as collateral, so
// available_cash() = cash() - market value of the shorts.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "wyckoff/engine/order.h"

namespace wyckoff::engine {

// One round trip: from a flat position back to flat.
struct Trade {
  int symbol = 0;
  Side direction = Side::kBuy;  // kBuy for a long trade, kSell for a short one
  Timestamp entry_time = 0;
  Timestamp exit_time = 0;
  std::int64_t entry_index = 0;  // bar indices within the symbol
  std::int64_t exit_index = 0;
  Decimal entry_price;  // volume-weighted over the entry fills
  Decimal exit_price;   // volume-weighted over the exit fills
  Decimal quantity;     // total entered, positive
  Decimal gross_pnl;    // before fees
  Decimal fees;         // entry and exit commissions
  Decimal pnl;          // gross_pnl - fees
  // pnl over the risk at entry (quantity x |entry - stop|), when the entry carried a stop.
  std::optional<Decimal> r_multiple;
  std::string_view tag;  // the entry order's tag

  std::int64_t bars_held() const { return exit_index - entry_index; }
};

class Portfolio {
 public:
  Portfolio(Decimal cash, int symbols);

  Decimal cash() const { return cash_; }
  Decimal equity() const { return cash_ + market_value_; }
  Decimal available_cash() const { return cash_ - short_value_; }
  Decimal position(int symbol) const { return positions_[symbol].quantity; }
  Decimal last_price(int symbol) const { return positions_[symbol].last_price; }
  // True when any symbol holds a position.
  bool invested() const { return open_positions_ > 0; }
  int open_positions() const { return open_positions_; }

  // The cash a fill of `quantity` at `price` on `side` needs beyond what it frees: the notional
  // plus commission for the part that opens or grows a position, the commission alone for the
  // part that reduces one.
  Decimal CashNeeded(int symbol, Side side, Decimal quantity, Decimal price,
                     Decimal commission) const;

  // Books a fill: cash, position and trade accounting. `stop` is the protective stop known at
  // entry, for the trade's R-multiple. Closed trades are appended to `closed`.
  void ApplyFill(const Fill& fill, std::optional<Decimal> stop, std::vector<Trade>& closed);

  // Marks `symbol` to `price` (the close of its bar).
  void Mark(int symbol, Decimal price);

 private:
  struct OpenTrade {
    Trade trade;
    Decimal entry_notional, exit_notional, exit_quantity;
    std::optional<Decimal> stop;
  };
  struct Position {
    Decimal quantity;      // signed: negative is short
    Decimal average_cost;  // per unit, of the open quantity
    Decimal last_price;
    // The quantity as an integer when it is one (the usual case): marking then multiplies by
    // an integer, exactly, without the 128-bit division of a Decimal product.
    std::optional<std::int64_t> whole_quantity;
    bool has_trade = false;
    OpenTrade open;
  };

  void Open(Position& p, const Fill& fill, Decimal quantity, Decimal commission,
            std::optional<Decimal> stop);
  void Reduce(Position& p, const Fill& fill, Decimal quantity, Decimal commission,
              std::vector<Trade>& closed);
  void SetQuantity(int symbol, Decimal quantity);

  Decimal cash_;
  Decimal market_value_;  // sum of quantity x last price
  Decimal short_value_;   // sum of |quantity| x last price over shorts
  int open_positions_ = 0;
  std::vector<Position> positions_;
};

}  // namespace wyckoff::engine
