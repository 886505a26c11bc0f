// Portfolio: one cash balance, one position per symbol, and the round-trip trades they make.
//
//   Portfolio book(Decimal::FromInt(100000), /*symbols=*/1);
//   book.ApplyFill(fill, /*stop=*/std::nullopt, closed);  // cash and position move; trades close
//   book.Mark(0, bar.close);                               // equity follows the last close
//   if (book.failure()) return *book.failure();            // an account total overflowed
//
// Invariants: equity() == cash() + sum(position(s) * last price(s)), exactly; a trade opens
// when a position leaves zero and closes when it returns to zero (a fill that crosses zero
// closes one trade and opens the next). Shorts hold their sale proceeds as collateral, so
// available_cash() = cash() - market value of the shorts.
//
// Money is exact: a trade keeps the sums of quantity x price of its entry and exit fills (no
// average cost), and its P&L is exit proceeds minus entry cost (reversed for shorts) minus
// fees, so that the trades' P&L adds up to the change in cash exactly. Every account total is
// checked arithmetic: a total that would leave +-kMaxAccountTotal sets failure() instead of
// aborting, and the caller stops the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "wyckoff/engine/order.h"

namespace wyckoff::engine {

// The bound on every account total (cash, market values, a trade's sums): half of Decimal's
// range, so that the sum or difference of two totals (equity, a drawdown) is always exact.
inline constexpr Decimal kMaxAccountTotal = Decimal::FromRaw(Decimal::Max().raw() / 2);

// One round trip: from a flat position back to flat.
struct Trade {
  int symbol = 0;
  Side direction = Side::kBuy;  // kBuy for a long trade, kSell for a short one
  Timestamp entry_time = 0;
  Timestamp exit_time = 0;
  std::int64_t entry_index = 0;  // bar indices within the symbol
  std::int64_t exit_index = 0;
  Decimal entry_price;  // volume-weighted over the entry fills (rounded for display)
  Decimal exit_price;   // volume-weighted over the exit fills (rounded for display)
  Decimal quantity;     // total entered, positive
  Decimal gross_pnl;    // exit proceeds - entry cost (long), entry proceeds - exit cost (short)
  Decimal fees;         // entry and exit commissions
  Decimal pnl;          // gross_pnl - fees, exact
  // pnl over the risk at entry (quantity x |entry - stop|), when the entry carried a stop.
  std::optional<Decimal> r_multiple;
  std::string_view tag;  // the entry order's tag

  std::int64_t bars_held() const { return exit_index - entry_index; }
};

class Portfolio {
 public:
  Portfolio(Decimal cash, int symbols);

  Decimal cash() const { return cash_; }
  // Both totals lie within kMaxAccountTotal, so these sums cannot overflow.
  Decimal equity() const { return cash_ + market_value_; }
  Decimal available_cash() const { return cash_ - short_value_; }
  Decimal position(int symbol) const { return positions_[symbol].quantity; }
  Decimal last_price(int symbol) const { return positions_[symbol].last_price; }
  // True when any symbol holds a position.
  bool invested() const { return open_positions_ > 0; }
  int open_positions() const { return open_positions_; }
  // The first account total that left +-kMaxAccountTotal (`the account's cash left the exact
  // decimal range (about 8.5e25)`), or null. Once set, the figures above mean nothing.
  const std::optional<Error>& failure() const { return failure_; }

  // The cash a fill of `quantity` at `price` on `side` needs beyond what it frees: the notional
  // plus commission for the part that opens or grows a position, the commission alone for the
  // part that reduces one. Error when it leaves Decimal's range.
  Result<Decimal> CashNeeded(int symbol, Side side, Decimal quantity, Decimal price,
                             Decimal commission) const;

  // Books a fill: cash, position and trade accounting. `stop` is the protective stop known at
  // entry, for the trade's R-multiple. Closed trades are appended to `closed`.
  void ApplyFill(const Fill& fill, std::optional<Decimal> stop, std::vector<Trade>& closed);

  // Marks `symbol` to `price` (the close of its bar). Inline for a symbol not held (every bar
  // of a flat book): only its last price moves.
  void Mark(int symbol, Decimal price) {
    Position& p = positions_[symbol];
    if (p.quantity.IsZero()) {
      p.last_price = price;
      return;
    }
    MarkHeld(p, price);
  }

 private:
  struct OpenTrade {
    Trade trade;
    Decimal entry_notional, exit_notional;  // sums of quantity x price, exact
    Decimal exit_quantity;
    std::optional<Decimal> stop;
  };
  struct Position {
    Decimal quantity;  // signed: negative is short
    Decimal last_price;
    // The quantity as an integer when it is one (the usual case): marking then multiplies by
    // an integer, exactly, without the 128-bit division of a Decimal product.
    std::optional<std::int64_t> whole_quantity;
    bool has_trade = false;
    OpenTrade open;
  };

  void Open(Position& p, const Fill& fill, Decimal quantity, Decimal notional, Decimal commission,
            std::optional<Decimal> stop);
  void Reduce(Position& p, const Fill& fill, Decimal quantity, Decimal notional, Decimal commission,
              std::vector<Trade>& closed);
  void SetQuantity(Position& p, Decimal quantity);
  // Mark for a position that is not zero: its market value moves with the price.
  void MarkHeld(Position& p, Decimal price);
  // Records the first failure: `what` left Decimal's range.
  [[gnu::cold, gnu::noinline]] void Fail(const char* what);
  // total += x, checked: false (and failure() set, naming `what`) when it overflows.
  bool Add(Decimal& total, Decimal x, const char* what) {
    __extension__ using URaw = unsigned __int128;
    constexpr auto kBound = static_cast<URaw>(kMaxAccountTotal.raw());
    Decimal::Raw out;
    // -bound <= out <= bound as one unsigned comparison (the hot path marks every bar).
    if (__builtin_add_overflow(total.raw(), x.raw(), &out) ||
        static_cast<URaw>(out) + kBound > 2 * kBound) [[unlikely]] {
      Fail(what);
      return false;
    }
    total = Decimal::FromRaw(out);
    return true;
  }
  // a x b, checked like Add.
  std::optional<Decimal> Product(Decimal a, Decimal b, const char* what) {
    Result<Decimal> product = Decimal::CheckedMul(a, b);
    if (product) [[likely]]
      return *product;
    Fail(what);
    return std::nullopt;
  }

  Decimal cash_;
  Decimal market_value_;  // sum of quantity x last price
  Decimal short_value_;   // sum of |quantity| x last price over shorts
  int open_positions_ = 0;
  std::vector<Position> positions_;
  std::optional<Error> failure_;
};

}  // namespace wyckoff::engine
