// The Strategy interface: what a strategy sees at the close of a bar and what it may do.
//
//   class BuyAndHold final : public Strategy {
//    public:
//     void OnBar(int symbol, const Bar& bar, std::int64_t index, StrategyContext& ctx) override {
//       if (ctx.position(symbol).IsZero() && !ctx.HasWorkingOrders(symbol))
//         ctx.Submit(OrderRequest::Market(symbol, Side::kBuy, ctx.sizing().quantity));
//     }
//   };
//
// The engine calls OnBar after fills and marking (steps 1-2 of the loop); orders submitted
// there can fill at the symbol's next bar at the earliest. OnBar runs in the hot loop: no
// allocation, map lookup or string work.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/engine/order.h"

namespace wyckoff::engine {

// Position sizing: a fixed quantity, or a fraction of equity at risk over (entry - stop).
struct Sizing {
  enum class Mode : std::uint8_t { kFixedQuantity, kRiskFraction } mode = Mode::kFixedQuantity;
  Decimal quantity = Decimal::FromInt(1);  // kFixedQuantity
  Decimal risk_fraction;                   // kRiskFraction, in (0, 1]
  Decimal lot_size = Decimal::FromInt(1);

  // The order quantity for an entry at `entry` protected by `stop`: the fixed quantity, or
  // equity x risk_fraction / |entry - stop| rounded down to the lot size, at most the largest
  // order (kMaxInputMagnitude). Zero when risk sizing has no stop or a stop equal to the entry.
  Decimal Quantity(Decimal equity, Decimal entry, std::optional<Decimal> stop) const;
};

// Parameters as name/value text pairs: what a user wrote, or a run records (reports, database).
// Strategies themselves take typed ParamValues (core/params.h).
using ParamList = std::vector<std::pair<std::string, std::string>>;

// What a parameter search computes once per data slice and lends to every combination's
// strategy (features over the bars, say). A strategy that takes such inputs derives its own
// type from this one and checks the type of what it is given.
struct SharedInputs {
  virtual ~SharedInputs() = default;
};

// The value of one detail of a RunEvent: text, a whole number or a number. It is kept as
// given while the run goes and becomes text only where a record is written (report files, the
// page, the database, JSON), straight into the writer's buffer: building text details for
// every pattern event was a tenth of a wyckoff backtest's instructions (BM_Backtest_Wyckoff),
// whether or not anyone wrote them.
//
//   DetailValue::Number(1.25).Text() == "1.25";  DetailValue::Integer(7).Text() == "7"
//   DetailValue::Buffer buffer;  csv.Text(value.View(buffer));   // no allocation
class DetailValue {
 public:
  // Room for the text of any number.
  using Buffer = std::array<char, 64>;

  DetailValue() = default;  // empty text
  // Text, as given. Implicit, so that details read like {"status", "TRADED"}.
  DetailValue(std::string text) : value_(std::move(text)) {}
  DetailValue(const char* text) : value_(std::string(text)) {}
  DetailValue(std::string_view text) : value_(std::string(text)) {}
  // Not from a number: {"bars", 0} would be a null text pointer. Use Integer or Number.
  DetailValue(std::integral auto) = delete;
  DetailValue(std::floating_point auto) = delete;
  // A whole number, written in full.
  static DetailValue Integer(std::int64_t value);
  // A number, written with at most 6 decimals and no trailing zeros ("1.5", "2", "-0.25").
  // NaN, infinities and numbers whose text would pass 64 characters (a magnitude of about
  // 1e56 or more) are undefined and written as empty text.
  static DetailValue Number(double value);

  // The text, without allocating: the text held, or the number written into `buffer` (valid
  // while both live).
  std::string_view View(Buffer& buffer) const;
  // The text as a string of its own.
  std::string Text() const;
  // Equal when written as the same text (Number(2) equals "2"): records compare by what they
  // write.
  friend bool operator==(const DetailValue& a, const DetailValue& b) {
    return a.Text() == b.Text();
  }

 private:
  std::variant<std::string, std::int64_t, double> value_;
};

// One named value of a RunEvent's record.
struct EventDetail {
  std::string name;
  DetailValue value;
  friend bool operator==(const EventDetail&, const EventDetail&) = default;
};

// Something a strategy saw and wants in the run's results (a detected pattern, a signal and
// why it was or was not traded). The engine keeps these without interpreting them; reports
// and the database write them out.
struct RunEvent {
  int symbol = 0;
  std::string type;            // e.g. "SPRING"
  Timestamp pattern_time = 0;  // the bar that formed the pattern
  Timestamp confirm_time = 0;  // the bar at which it was confirmed (the decision bar)
  double level = 0;            // the price level it refers to (support, resistance)
  double confidence = 0;       // 0-100
  // The rest of the record as ordered named values (written as extra CSV columns and as a
  // JSON object in the database).
  std::vector<EventDetail> details;
  // The order this event placed, 0 when none. When the engine refuses it at the step it was
  // placed (EngineConfig::max_positions), it sets the event's "status" detail, if there is
  // one, to "SKIPPED: " and the reason.
  OrderId order = 0;

  // The first detail named `name`, or nullptr when the event has none.
  const DetailValue* Find(std::string_view name) const;
  // The text of Find(name) (see DetailValue::View), or "" when the event has none.
  std::string_view DetailView(std::string_view name, DetailValue::Buffer& buffer) const;
  std::string DetailText(std::string_view name) const;
};

struct SymbolInfo {
  std::string name;
  bool intraday = false;
};

class StrategyContext {
 public:
  virtual ~StrategyContext() = default;
  virtual OrderId Submit(const OrderRequest& request) = 0;
  virtual void Cancel(OrderId id) = 0;
  virtual void CancelAll(int symbol) = 0;
  virtual bool HasWorkingOrders(int symbol) const = 0;
  virtual const Order& order(OrderId id) const = 0;
  virtual Decimal position(int symbol) const = 0;
  virtual Decimal cash() const = 0;
  virtual Decimal equity() const = 0;
  virtual Timestamp now() const = 0;
  virtual const Sizing& sizing() const = 0;
  // The price step of `symbol`'s orders: EngineConfig::tick_size when set, else 10^-d, d the
  // most fractional digits any price of the symbol's bars so far was written with (Bar::decimals;
  // causal, like everything a strategy sees). Strategies round computed prices to it.
  virtual Decimal tick(int symbol) const = 0;
  // Whether sells may open short positions (the broker rejects them otherwise).
  virtual bool allow_short() const = 0;
  // Adds an event to the run's results. Events are rare: this may allocate.
  virtual void RecordEvent(RunEvent event) = 0;
  // False when the run keeps no events (EngineConfig::record_events): a strategy may skip
  // building them. Orders, fills and trades are the same either way.
  virtual bool records_events() const { return true; }
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Called once before the first bar.
  virtual void OnStart(const std::vector<SymbolInfo>& symbols) { (void)symbols; }
  // Called at the close of every bar of `symbol`; `index` counts that symbol's bars from 0
  // (warm-up bars included).
  virtual void OnBar(int symbol, const Bar& bar, std::int64_t index, StrategyContext& ctx) = 0;
  // Called instead of OnBar for the warm-up bars (before EngineConfig::trade_from): the
  // strategy updates its indicators but has no context, so it cannot trade or record events.
  // Default: nothing.
  virtual void OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) {
    (void)symbol, (void)bar, (void)index;
  }
  // Called after the last bar. Open positions stay open and are valued at the last close.
  virtual void OnEnd(StrategyContext& ctx) { (void)ctx; }
};

}  // namespace wyckoff::engine
