#include "wyckoff/engine/order.h"

#include <charconv>
#include <vector>

namespace wyckoff::engine {
namespace {

std::vector<std::string_view> SplitSpec(std::string_view spec) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t pos = spec.find(':', start);
    parts.push_back(spec.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

// Parses a non-negative decimal that is part of a model spec.
Result<Decimal> SpecNumber(std::string_view spec, std::string_view text) {
  Result<Decimal> value = Decimal::Parse(text);
  if (!value || value->IsNegative() || value->Abs() > kMaxInputMagnitude) {
    return Fail(ErrorCode::kInvalidArgument, "\"" + std::string(spec) + "\": \"" +
                                                 std::string(text) +
                                                 "\" is not a non-negative number");
  }
  return value;
}

tl::unexpected<Error> BadSpec(std::string_view spec, const char* expected) {
  return Fail(ErrorCode::kInvalidArgument,
              "\"" + std::string(spec) + "\" is not a valid model; expected " + expected);
}

}  // namespace

std::string_view ToString(Side side) { return side == Side::kBuy ? "BUY" : "SELL"; }

std::string_view ToString(OrderType type) {
  switch (type) {
    case OrderType::kMarket:
      return "MARKET";
    case OrderType::kLimit:
      return "LIMIT";
    case OrderType::kStop:
      return "STOP";
    case OrderType::kStopLimit:
      return "STOP_LIMIT";
  }
  return "?";
}

std::string_view ToString(OrderStatus status) {
  switch (status) {
    case OrderStatus::kWorking:
      return "WORKING";
    case OrderStatus::kFilled:
      return "FILLED";
    case OrderStatus::kCancelled:
      return "CANCELLED";
    case OrderStatus::kRejected:
      return "REJECTED";
  }
  return "?";
}

Decimal SlippageModel::Apply(Side side, Decimal price, Decimal low, Decimal high) const {
  Decimal move;
  switch (kind) {
    case Kind::kNone:
      return price;
    case Kind::kFixed:
      move = amount;
      break;
    case Kind::kBasisPoints:
      // |price| x bps / 10000, one rounding; bounded inputs cannot overflow. Whole basis points
      // (the usual case) take CheckedMulDiv's 64-bit multiply and divide.
      if (const std::optional<std::int64_t> bps = amount.ToWhole()) {
        move = *Decimal::CheckedMulDiv(price.Abs(), *bps, 10'000);
      } else {
        move = *Decimal::CheckedProduct(price.Abs(), amount, Decimal::FromInt(1), 10'000);
      }
      break;
  }
  return side == Side::kBuy ? Min(price + move, Max(high, price))
                            : Max(price - move, Min(low, price));
}

Decimal CommissionModel::Compute(Decimal quantity, Decimal price) const {
  switch (kind) {
    case Kind::kNone:
      return Decimal();
    case Kind::kPerShare:
      return Max(quantity * rate, minimum);
    case Kind::kPercent:
      // quantity x |price| x percent / 100, one rounding; bounded inputs cannot overflow.
      return *Decimal::CheckedProduct(quantity, price.Abs(), rate, 100);
    case Kind::kFixed:
      return rate;
  }
  return Decimal();
}

Result<SlippageModel> ParseSlippage(std::string_view spec) {
  constexpr const char* kExpected = "none, fixed:AMOUNT or bps:BASIS_POINTS";
  auto parts = SplitSpec(spec);
  SlippageModel model;
  if (parts.size() == 1 && parts[0] == "none") return model;
  if (parts.size() != 2) return BadSpec(spec, kExpected);
  if (parts[0] == "fixed") {
    model.kind = SlippageModel::Kind::kFixed;
  } else if (parts[0] == "bps") {
    model.kind = SlippageModel::Kind::kBasisPoints;
  } else {
    return BadSpec(spec, kExpected);
  }
  auto amount = SpecNumber(spec, parts[1]);
  if (!amount) return tl::unexpected(amount.error());
  if (model.kind == SlippageModel::Kind::kBasisPoints && *amount >= Decimal::FromInt(10'000)) {
    return Fail(ErrorCode::kInvalidArgument,
                Quoted(spec) + ": slippage must be below 10000 basis points (100% of the price)");
  }
  model.amount = *amount;
  return model;
}

Result<CommissionModel> ParseCommission(std::string_view spec) {
  constexpr const char* kExpected =
      "none, per-share:RATE[:MINIMUM], percent:PERCENT or fixed:AMOUNT";
  auto parts = SplitSpec(spec);
  CommissionModel model;
  if (parts.size() == 1 && parts[0] == "none") return model;
  if (parts.size() < 2) return BadSpec(spec, kExpected);
  if (parts[0] == "per-share" && parts.size() <= 3) {
    model.kind = CommissionModel::Kind::kPerShare;
  } else if (parts[0] == "percent" && parts.size() == 2) {
    model.kind = CommissionModel::Kind::kPercent;
  } else if (parts[0] == "fixed" && parts.size() == 2) {
    model.kind = CommissionModel::Kind::kFixed;
  } else {
    return BadSpec(spec, kExpected);
  }
  auto rate = SpecNumber(spec, parts[1]);
  if (!rate) return tl::unexpected(rate.error());
  if (model.kind == CommissionModel::Kind::kPercent && *rate > Decimal::FromInt(100)) {
    return Fail(ErrorCode::kInvalidArgument,
                Quoted(spec) + ": a commission must be at most 100 percent of the notional");
  }
  model.rate = *rate;
  if (parts.size() == 3) {
    auto minimum = SpecNumber(spec, parts[2]);
    if (!minimum) return tl::unexpected(minimum.error());
    model.minimum = *minimum;
  }
  return model;
}

Result<IntrabarPolicy> ParseIntrabar(std::string_view text) {
  if (text == "stop-first") return IntrabarPolicy::kStopFirst;
  if (text == "target-first") return IntrabarPolicy::kTargetFirst;
  if (text == "path") return IntrabarPolicy::kPath;
  return Fail(ErrorCode::kInvalidArgument, "\"" + std::string(text) +
                                               "\" is not an intrabar policy; expected stop-first, "
                                               "target-first or path");
}

}  // namespace wyckoff::engine
