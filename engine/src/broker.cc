#include "wyckoff/engine/broker.h"

#include <algorithm>

namespace wyckoff::engine {
namespace {

// True for orders that fill when price rises to them (buy stops, sell limits).
bool FillsOnHigh(const OrderRequest& r) {
  bool stop = r.type == OrderType::kStop || r.type == OrderType::kStopLimit;
  return (r.side == Side::kBuy) == stop;
}

}  // namespace

SimulatedBroker::SimulatedBroker(BrokerConfig config, Portfolio& portfolio)
    : config_(config), portfolio_(portfolio) {
  working_.reserve(64);
}

OrderId SimulatedBroker::Submit(const OrderRequest& request, Timestamp now) {
  Order& o = orders_.emplace_back();
  o.id = next_id_++;
  o.request = request;
  o.submitted_at = now;
  active_after_.push_back(now);
  const bool has_limit = request.type == OrderType::kLimit || request.type == OrderType::kStopLimit;
  const bool has_stop = request.type == OrderType::kStop || request.type == OrderType::kStopLimit;
  auto beyond = [](std::optional<Decimal> price) {
    return price && price->Abs() > kMaxInputMagnitude;
  };
  if (!request.quantity.IsPositive()) {
    Reject(o, "quantity " + request.quantity.ToString() + " is not positive");
  } else if (request.quantity > kMaxInputMagnitude) {
    Reject(o, "quantity " + request.quantity.ToString() + " is above the limit of 1e12");
  } else if (has_limit && !request.limit_price.IsPositive() && !config_.allow_nonpositive_prices) {
    Reject(o, "limit price " + request.limit_price.ToString() + " is not positive");
  } else if (has_stop && !request.stop_price.IsPositive() && !config_.allow_nonpositive_prices) {
    Reject(o, "stop price " + request.stop_price.ToString() + " is not positive");
  } else if ((has_limit && beyond(request.limit_price)) ||
             (has_stop && beyond(request.stop_price)) || beyond(request.stop_loss) ||
             beyond(request.take_profit)) {
    Reject(o, "a price of the order is beyond the input limit of 1e12");
  } else {
    working_.push_back(&o);
  }
  return o.id;
}

void SimulatedBroker::Cancel(OrderId id, const char* reason) {
  Order* o = Find(id);
  if (o != nullptr && o->status == OrderStatus::kWorking) {
    Finish(*o, OrderStatus::kCancelled, reason);
  }
}

void SimulatedBroker::RejectWorking(OrderId id, std::string reason) {
  Order* o = Find(id);
  if (o != nullptr && o->status == OrderStatus::kWorking && o->filled.IsZero()) {
    Reject(*o, std::move(reason));
  }
}

Order* SimulatedBroker::Find(OrderId id) {
  return id >= first_id_ && id < next_id_ ? &At(id) : nullptr;
}

const Order* SimulatedBroker::Find(OrderId id) const {
  return id >= first_id_ && id < next_id_ ? &At(id) : nullptr;
}

const Order& SimulatedBroker::order(OrderId id) const {
  const Order* o = Find(id);
  WYCKOFF_CHECK(o != nullptr, "an order that was released or never placed");
  return *o;
}

void SimulatedBroker::TakeFills(std::vector<Fill>& out) {
  out.insert(out.end(), fills_.begin(), fills_.end());
  fills_.clear();
}

void SimulatedBroker::TakeFinishedOrders(std::vector<Order>& out) {
  // working_ holds only orders still in the book: drop the finished ones before any is released.
  std::erase_if(working_, [](const Order* o) { return o->status != OrderStatus::kWorking; });
  while (!orders_.empty() && orders_.front().status != OrderStatus::kWorking) {
    out.push_back(std::move(orders_.front()));
    orders_.pop_front();
    active_after_.pop_front();
    ++first_id_;
  }
}

void SimulatedBroker::CancelAll(int symbol) {
  for (Order* o : working_) {
    if (o->request.symbol == symbol) Cancel(o->id);
  }
}

bool SimulatedBroker::AnyWorking(int symbol) const {
  return std::any_of(working_.begin(), working_.end(), [&](const Order* o) {
    return o->status == OrderStatus::kWorking && o->request.symbol == symbol;
  });
}

bool SimulatedBroker::Eligible(const Order& order, const Bar& bar) const {
  return order.status == OrderStatus::kWorking &&
         bar.time > active_after_[static_cast<std::size_t>(order.id - first_id_)];
}

std::optional<SimulatedBroker::Touch> SimulatedBroker::Reach(const Order& order,
                                                             const Bar& bar) const {
  const OrderRequest& r = order.request;
  const bool buy = r.side == Side::kBuy;
  auto limit_touch = [&]() -> std::optional<Touch> {
    const Decimal l = r.limit_price;
    if (buy ? bar.open <= l : bar.open >= l) return Touch{bar.open, true};
    if (buy ? bar.low <= l : bar.high >= l) return Touch{l, false};
    return std::nullopt;
  };
  switch (r.type) {
    case OrderType::kMarket:
      return Touch{bar.open, true};
    case OrderType::kLimit:
      return limit_touch();
    case OrderType::kStop: {
      const Decimal s = r.stop_price;
      if (buy ? bar.open >= s : bar.open <= s) return Touch{bar.open, true};
      if (buy ? bar.high >= s : bar.low <= s) return Touch{s, false};
      return std::nullopt;
    }
    case OrderType::kStopLimit: {
      const Decimal s = r.stop_price;
      if (order.triggered || (buy ? bar.open >= s : bar.open <= s)) return limit_touch();
      bool reached = buy ? bar.high >= s : bar.low <= s;
      bool satisfies = buy ? s <= r.limit_price : s >= r.limit_price;
      if (reached && satisfies) return Touch{s, false};
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void SimulatedBroker::ProcessWorking(int symbol, const Bar& bar, std::int64_t index,
                                     std::vector<Trade>& closed) {
  std::erase_if(working_, [](const Order* o) { return o->status != OrderStatus::kWorking; });
  volume_left_ =
      config_.max_volume_participation
          ? (*config_.max_volume_participation * bar.volume).FloorToMultiple(config_.lot_size)
          : Decimal::Max();
  // Exits placed while filling join working_ and are seen by this same loop.
  for (std::size_t i = 0; i < working_.size(); ++i) {
    // The book never moves an order, so `o` stays valid while exits are placed.
    Order& o = *working_[i];
    if (o.request.symbol != symbol || !Eligible(o, bar)) continue;
    const Order* sibling = o.oco != 0 ? Find(o.oco) : nullptr;
    if (sibling != nullptr && Eligible(*sibling, bar)) {
      ProcessExitPair(o.id, o.oco, bar, index, closed);
      continue;
    }
    if (auto touch = Reach(o, bar)) Execute(o, *touch, bar, index, closed);
    if (o.request.type == OrderType::kStopLimit && o.status == OrderStatus::kWorking) {
      const Decimal s = o.request.stop_price;
      if (o.request.side == Side::kBuy ? bar.high >= s : bar.low <= s) o.triggered = true;
    }
  }
}

void SimulatedBroker::ProcessExitPair(OrderId a, OrderId b, const Bar& bar, std::int64_t index,
                                      std::vector<Trade>& closed) {
  auto ta = Reach(At(a), bar);
  auto tb = Reach(At(b), bar);
  if (!ta && !tb) return;
  bool a_first = ta.has_value();
  if (ta && tb) {
    const bool a_is_stop = At(a).request.type == OrderType::kStop;
    if (ta->at_open != tb->at_open) {
      a_first = ta->at_open;
    } else if (config_.intrabar == IntrabarPolicy::kStopFirst) {
      a_first = a_is_stop;
    } else if (config_.intrabar == IntrabarPolicy::kTargetFirst) {
      a_first = !a_is_stop;
    } else {
      // The nearer extreme comes first; a tie goes to the stop.
      Decimal up = bar.high - bar.open, down = bar.open - bar.low;
      bool high_first = up < down;
      a_first = up == down ? a_is_stop : FillsOnHigh(At(a).request) == high_first;
    }
  }
  Execute(At(a_first ? a : b), a_first ? *ta : *tb, bar, index, closed);
}

bool SimulatedBroker::Execute(Order& o, Touch touch, const Bar& bar, std::int64_t index,
                              std::vector<Trade>& closed) {
  const OrderId id = o.id;
  const OrderRequest& r = o.request;
  const Decimal held = portfolio_.position(r.symbol);
  Decimal quantity = o.remaining();
  if (o.parent != 0) {
    quantity = Min(quantity, held.Abs());
    if (quantity.IsZero()) {
      Finish(o, OrderStatus::kCancelled, "the position it protected is closed");
      return false;
    }
  }
  quantity = Min(quantity, volume_left_);
  if (!quantity.IsPositive()) return false;
  Decimal price = touch.price;
  if (r.type == OrderType::kMarket || r.type == OrderType::kStop) {
    price = config_.slippage.Apply(r.side, price, bar.low, bar.high);
  }
  const Decimal commission = config_.commission.Compute(quantity, price);
  if (!config_.allow_short && r.side == Side::kSell && quantity > held) {
    Reject(o, "sell of " + quantity.ToString() +
                  " would open a short position (shorts are not allowed)");
    return false;
  }
  const Result<Decimal> needed =
      portfolio_.CashNeeded(r.symbol, r.side, quantity, price, commission);
  const bool opens =
      r.side == Side::kBuy ? quantity > Max(-held, Decimal()) : quantity > Max(held, Decimal());
  if (!needed) {
    Reject(o, "the fill's value is beyond the exact decimal range");
    return false;
  }
  if (opens && *needed > portfolio_.available_cash()) {
    Reject(o, "insufficient cash: needs " + needed->ToString() + ", available " +
                  portfolio_.available_cash().ToString());
    return false;
  }
  Fill fill{id, r.symbol, bar.time, index, r.side, quantity, price, commission, r.tag};
  fills_.push_back(fill);
  o.filled += quantity;
  if (config_.max_volume_participation) volume_left_ -= quantity;
  portfolio_.ApplyFill(fill, o.parent == 0 ? r.stop_loss : std::nullopt, closed);

  const bool done = o.remaining().IsZero();
  const OrderId parent = o.parent, oco = o.oco;
  const bool bracket = parent == 0 && (r.stop_loss || r.take_profit);
  if (done) Finish(o, OrderStatus::kFilled, "");
  if (bracket) PlaceExits(id, quantity, touch.at_open ? bar.time - 1 : bar.time);
  if (Order* sibling = Find(oco)) {
    if (done) {
      Finish(*sibling, OrderStatus::kCancelled, "one-cancels-other: its sibling exit filled");
    } else {
      sibling->request.quantity = sibling->filled + o.remaining();
    }
  }
  if (parent == 0 && portfolio_.position(r.symbol).IsZero()) CancelOrphanExits(r.symbol);
  return true;
}

void SimulatedBroker::PlaceExits(OrderId entry_id, Decimal quantity, Timestamp active_after) {
  Order& entry = At(entry_id);
  if (entry.stop_exit != 0 || entry.target_exit != 0) {
    for (OrderId exit : {entry.stop_exit, entry.target_exit}) {
      if (Order* placed = Find(exit)) placed->request.quantity += quantity;
    }
    return;
  }
  const OrderRequest& r = entry.request;
  const Timestamp submitted = entry.submitted_at;
  auto place = [&](OrderType type, Decimal price) {
    OrderRequest exit;
    exit.symbol = r.symbol;
    exit.side = Opposite(r.side);
    exit.type = type;
    exit.quantity = quantity;
    (type == OrderType::kStop ? exit.stop_price : exit.limit_price) = price;
    exit.tag = r.tag;
    OrderId id = Submit(exit, submitted);
    At(id).parent = entry_id;
    active_after_[static_cast<std::size_t>(id - first_id_)] = active_after;
    return id;
  };
  OrderId stop = r.stop_loss ? place(OrderType::kStop, *r.stop_loss) : 0;
  OrderId target = r.take_profit ? place(OrderType::kLimit, *r.take_profit) : 0;
  At(entry_id).stop_exit = stop;
  At(entry_id).target_exit = target;
  if (stop != 0 && target != 0) {
    At(stop).oco = target;
    At(target).oco = stop;
  }
}

void SimulatedBroker::CancelOrphanExits(int symbol) {
  for (Order* o : working_) {
    if (o->parent != 0 && o->request.symbol == symbol && o->status == OrderStatus::kWorking) {
      Finish(*o, OrderStatus::kCancelled, "the position it protected is closed");
    }
  }
}

void SimulatedBroker::Reject(Order& order, std::string reason) {
  Finish(order, OrderStatus::kRejected, std::move(reason));
}

void SimulatedBroker::Finish(Order& order, OrderStatus status, std::string reason) {
  order.status = status;
  order.reason = std::move(reason);
}

}  // namespace wyckoff::engine
