#include "wyckoff/engine/broker.h"

#include <gtest/gtest.h>

#include "engine_builders.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {
namespace {

using testing::BarBuilder;
using testing::D;

// A broker over one symbol with 100000 cash; bars are days 1, 2, ... and orders are placed at
// the close of the previous day.
class BrokerTest : public ::testing::Test {
 protected:
  void Configure(BrokerConfig config, const char* cash = "100000") {
    book_ = std::make_unique<Portfolio>(D(cash), 1);
    broker_ = std::make_unique<SimulatedBroker>(config, *book_);
  }
  void SetUp() override { Configure({}); }

  // Places `r` at the close of day `day`.
  OrderId Place(OrderRequest r, int day) { return broker_->Submit(r, Day(day)); }
  // Runs day `day`'s bar through the broker and marks the book to its close.
  void Bar(int day, const char* o, const char* h, const char* l, const char* c,
           const char* v = "100000") {
    wyckoff::Bar b = BarBuilder().Day(day).Ohlc(o, h, l, c).Volume(v).Build();
    broker_->ProcessBar(0, b, day, trades_);
    book_->Mark(0, b.close);
  }
  static Timestamp Day(int day) { return BarBuilder().Day(day).Build().time; }
  static OrderRequest Buy(const char* qty) { return OrderRequest::Market(0, Side::kBuy, D(qty)); }
  static OrderRequest Sell(const char* qty) { return OrderRequest::Market(0, Side::kSell, D(qty)); }
  static OrderRequest WithType(OrderRequest r, OrderType type, const char* stop,
                               const char* limit) {
    r.type = type;
    if (stop) r.stop_price = D(stop);
    if (limit) r.limit_price = D(limit);
    return r;
  }
  static OrderRequest Bracket(OrderRequest r, const char* stop, const char* target) {
    r.stop_loss = D(stop);
    r.take_profit = D(target);
    r.tag = "TEST";
    return r;
  }
  const std::vector<Fill>& fills() const { return broker_->fills(); }

  std::unique_ptr<Portfolio> book_;
  std::unique_ptr<SimulatedBroker> broker_;
  std::vector<Trade> trades_;
};

TEST_F(BrokerTest, MarketOrderFillsAtTheNextOpen) {
  Place(Buy("100"), 0);
  Bar(1, "10.20", "10.50", "10.00", "10.40");
  ASSERT_EQ(fills().size(), 1u);
  EXPECT_EQ(fills()[0].price, D("10.2"));
  EXPECT_EQ(fills()[0].time, Day(1));
  EXPECT_EQ(book_->cash(), D("98980"));
  EXPECT_EQ(book_->equity(), D("100020"));
}

TEST_F(BrokerTest, OrderPlacedAtABarNeverFillsInThatBar) {
  Place(Buy("100"), 1);
  Bar(1, "10", "11", "9", "10");
  EXPECT_TRUE(fills().empty());
  Bar(2, "10.5", "11", "9", "10");
  ASSERT_EQ(fills().size(), 1u);
  EXPECT_EQ(fills()[0].price, D("10.5"));
}

TEST_F(BrokerTest, FixedSlippageMovesMarketFillsAgainstTheTrader) {
  Configure({.slippage = *ParseSlippage("fixed:0.02")});
  Place(Buy("100"), 0);
  Bar(1, "10", "11", "9", "10");
  Place(Sell("100"), 1);
  Bar(2, "12", "12", "11", "12");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[0].price, D("10.02"));
  EXPECT_EQ(fills()[1].price, D("11.98"));
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].pnl, D("196"));
}

TEST_F(BrokerTest, BasisPointSlippageIsExact) {
  Configure({.slippage = *ParseSlippage("bps:5")});
  Place(Buy("3"), 0);
  Bar(1, "33.33", "34", "33", "33.5");
  EXPECT_EQ(fills()[0].price, D("33.346665"));  // 33.33 x 1.0005
}

// Basis-point slippage rounds the move once, half-even, on |price| (ties to even; a negative
// price, allowed by --allow-nonpositive-prices, moves by the same amount).
TEST(OrderModelsTest, BasisPointSlippageRoundsTiesToEvenOnTheMagnitude) {
  const SlippageModel half{SlippageModel::Kind::kBasisPoints, D("5000")};
  const Decimal low = D("-2000000000000"), high = D("2000000000000");  // never capped
  EXPECT_EQ(half.Apply(Side::kBuy, D("0.000000000001"), low, high),
            D("0.000000000001"));  // +0.5 -> 0
  EXPECT_EQ(half.Apply(Side::kBuy, D("0.000000000003"), low, high),
            D("0.000000000005"));  // +1.5 -> 2
  EXPECT_EQ(half.Apply(Side::kSell, D("0.000000000003"), low, high), D("0.000000000001"));
  EXPECT_EQ(half.Apply(Side::kSell, D("-0.000000000003"), low, high), D("-0.000000000005"));
  const SlippageModel five{SlippageModel::Kind::kBasisPoints, D("5")};
  EXPECT_EQ(five.Apply(Side::kBuy, D("-33.33"), low, high), D("-33.313335"));
}

TEST_F(BrokerTest, PerShareCommissionHasAMinimumPerFill) {
  Configure({.commission = *ParseCommission("per-share:0.005:1.00")});
  Place(Buy("100"), 0);
  Bar(1, "10", "11", "9", "10");
  Place(Buy("1000"), 1);
  Bar(2, "10", "11", "9", "10");
  EXPECT_EQ(fills()[0].commission, D("1"));  // 0.50 is below the minimum
  EXPECT_EQ(fills()[1].commission, D("5"));
  EXPECT_EQ(book_->cash(), D("100000") - D("11000") - D("6"));
}

TEST_F(BrokerTest, PercentAndFixedCommissions) {
  Configure({.commission = *ParseCommission("percent:0.1")});
  Place(Buy("100"), 0);
  Bar(1, "10.02", "11", "9", "10");
  EXPECT_EQ(fills()[0].commission, D("1.002"));
  Configure({.commission = *ParseCommission("fixed:4.95")});
  Place(Buy("7"), 0);
  Bar(1, "10", "11", "9", "10");
  EXPECT_EQ(fills()[0].commission, D("4.95"));
  EXPECT_EQ(book_->cash(), D("99925.05"));
}

TEST_F(BrokerTest, CommissionsReduceTradePnl) {
  Configure({.commission = *ParseCommission("fixed:1")});
  Place(Buy("10"), 0);
  Bar(1, "10", "11", "9", "10");
  Place(Sell("10"), 1);
  Bar(2, "11", "11", "10", "11");
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].gross_pnl, D("10"));
  EXPECT_EQ(trades_[0].fees, D("2"));
  EXPECT_EQ(trades_[0].pnl, D("8"));
  EXPECT_EQ(book_->equity(), D("100008"));
}

TEST_F(BrokerTest, StopFillsAtTheStopInsideTheBar) {
  Place(WithType(Buy("10"), OrderType::kStop, "10.5", nullptr), 0);
  Bar(1, "10", "10.4", "9.8", "10");
  EXPECT_TRUE(fills().empty());
  Bar(2, "10", "10.6", "9.8", "10.55");
  ASSERT_EQ(fills().size(), 1u);
  EXPECT_EQ(fills()[0].price, D("10.5"));
}

TEST_F(BrokerTest, GapThroughAStopFillsAtTheOpen) {
  Place(Buy("100"), 0);
  Bar(1, "10", "10.5", "9.8", "10");
  Place(WithType(Sell("100"), OrderType::kStop, "9.5", nullptr), 1);
  Bar(2, "9.00", "9.2", "8.8", "9.1");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].price, D("9"));  // the open, worse than the stop
  EXPECT_EQ(trades_[0].pnl, D("-100"));
}

TEST_F(BrokerTest, LimitFillsAtTheLimitOrABetterOpen) {
  Place(WithType(Buy("10"), OrderType::kLimit, nullptr, "9.8"), 0);
  Bar(1, "10", "10.2", "9.7", "10");
  Place(WithType(Buy("10"), OrderType::kLimit, nullptr, "9.8"), 1);
  Bar(2, "9.6", "9.9", "9.5", "9.7");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[0].price, D("9.8"));
  EXPECT_EQ(fills()[1].price, D("9.6"));
}

TEST_F(BrokerTest, StopLimitFillsOnlyWithinItsLimit) {
  Place(WithType(Buy("10"), OrderType::kStopLimit, "10.5", "10.6"), 0);
  Bar(1, "10", "10.7", "9.9", "10.6");
  ASSERT_EQ(fills().size(), 1u);
  EXPECT_EQ(fills()[0].price, D("10.5"));
  // Stop above the limit: triggered intrabar, fills later once price comes back to the limit.
  OrderId id = Place(WithType(Buy("10"), OrderType::kStopLimit, "10.5", "10.4"), 1);
  Bar(2, "10", "10.7", "9.9", "10.6");
  EXPECT_EQ(fills().size(), 1u);
  EXPECT_TRUE(broker_->order(id).triggered);
  Bar(3, "10.3", "10.5", "10.2", "10.4");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].price, D("10.3"));
}

TEST_F(BrokerTest, BracketTargetFillsAndCancelsTheStop) {
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Bar(2, "10.2", "12.5", "10.1", "12.2");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].price, D("12"));
  EXPECT_EQ(fills()[1].side, Side::kSell);
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].pnl, D("200"));
  EXPECT_EQ(trades_[0].r_multiple, D("2"));  // risk 100 x (10 - 9)
  EXPECT_EQ(trades_[0].tag, "TEST");
  const Order& stop = broker_->order(broker_->order(1).stop_exit);
  EXPECT_EQ(stop.status, OrderStatus::kCancelled);
  EXPECT_EQ(stop.reason, "one-cancels-other: its sibling exit filled");
  EXPECT_FALSE(broker_->HasWorkingOrders(0));
}

TEST_F(BrokerTest, BothExitsTouchedStopFirstByDefault) {
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Bar(2, "10", "12.5", "8.5", "10");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].price, D("9"));
  EXPECT_EQ(trades_[0].pnl, D("-100"));
  EXPECT_EQ(trades_[0].r_multiple, D("-1"));
}

TEST_F(BrokerTest, BothExitsTouchedTargetFirstWhenAsked) {
  Configure({.intrabar = IntrabarPolicy::kTargetFirst});
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Bar(2, "10", "12.5", "8.5", "10");
  EXPECT_EQ(fills()[1].price, D("12"));
}

TEST_F(BrokerTest, BothExitsTouchedPathTakesTheNearerExtremeFirst) {
  Configure({.intrabar = IntrabarPolicy::kPath});
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Bar(2, "11.5", "12.5", "8.5", "10");  // high is 1.0 away, low 3.0: high first
  EXPECT_EQ(fills()[1].price, D("12"));
  Place(Bracket(Buy("100"), "9", "12"), 2);
  Bar(3, "10", "10.5", "9.8", "10.2");
  Bar(4, "9.5", "12.5", "8.5", "10");  // low is 1.0 away, high 3.0: low first
  EXPECT_EQ(fills()[3].price, D("9"));
}

TEST_F(BrokerTest, GapThroughTheStopBeatsTargetFirst) {
  Configure({.intrabar = IntrabarPolicy::kTargetFirst});
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Bar(2, "8.5", "12.5", "8.0", "10");  // opens below the stop: the stop fills at the open
  EXPECT_EQ(fills()[1].price, D("8.5"));
}

TEST_F(BrokerTest, ExitsMayFillInTheEntryBarWhenTheEntryFilledAtTheOpen) {
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "8.9", "9.2");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].price, D("9"));
  EXPECT_EQ(trades_[0].bars_held(), 0);
}

TEST_F(BrokerTest, ClosingTheEntryCancelsItsExits) {
  Place(Bracket(Buy("100"), "9", "12"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2");
  Place(Sell("100"), 1);
  Bar(2, "10.4", "10.5", "10.1", "10.2");
  EXPECT_EQ(fills().size(), 2u);
  EXPECT_FALSE(broker_->HasWorkingOrders(0));
  EXPECT_EQ(broker_->order(broker_->order(1).stop_exit).reason,
            "the position it protected is closed");
}

TEST_F(BrokerTest, VolumeCapSplitsAnOrderIntoPartialFills) {
  Configure({.max_volume_participation = D("0.1")});
  Place(Bracket(Buy("100"), "5", "20"), 0);
  Bar(1, "10", "10.5", "9.8", "10.2", "500");  // 10% of 500: 50 fill, 50 carry over
  ASSERT_EQ(fills().size(), 1u);
  EXPECT_EQ(fills()[0].quantity, D("50"));
  EXPECT_EQ(broker_->order(1).status, OrderStatus::kWorking);
  Bar(2, "11", "11.5", "10.8", "11.2", "2000");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[1].quantity, D("50"));
  EXPECT_EQ(fills()[1].price, D("11"));
  EXPECT_EQ(broker_->order(1).status, OrderStatus::kFilled);
  EXPECT_EQ(book_->position(0), D("100"));
  // The exits cover the whole filled quantity.
  EXPECT_EQ(broker_->order(broker_->order(1).stop_exit).request.quantity, D("100"));
  Place(Sell("100"), 2);
  Bar(3, "12", "12", "11", "11.5", "10000");
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].entry_price, D("10.5"));  // (50 x 10 + 50 x 11) / 100
  EXPECT_EQ(trades_[0].quantity, D("100"));
  EXPECT_EQ(trades_[0].pnl, D("150"));
}

TEST_F(BrokerTest, OrdersTheAccountCannotPayForAreRejectedWithAReason) {
  Configure({}, "1000");
  OrderId id = Place(Buy("100"), 0);
  Bar(1, "10.5", "11", "10", "10.5");
  EXPECT_TRUE(fills().empty());
  EXPECT_EQ(broker_->order(id).status, OrderStatus::kRejected);
  EXPECT_EQ(broker_->order(id).reason, "insufficient cash: needs 1050, available 1000");
  EXPECT_EQ(book_->cash(), D("1000"));
}

TEST_F(BrokerTest, ShortPositionsProfitWhenPriceFalls) {
  Configure({.allow_short = true});
  Place(Sell("100"), 0);
  Bar(1, "10", "10.5", "9.5", "9.8");
  EXPECT_EQ(book_->position(0), D("-100"));
  EXPECT_EQ(book_->cash(), D("101000"));
  EXPECT_EQ(book_->equity(), D("100020"));
  EXPECT_EQ(book_->available_cash(), D("100020"));
  Place(Buy("100"), 1);
  Bar(2, "8", "8.5", "7.5", "8");
  ASSERT_EQ(trades_.size(), 1u);
  EXPECT_EQ(trades_[0].direction, Side::kSell);
  EXPECT_EQ(trades_[0].pnl, D("200"));
  EXPECT_EQ(book_->equity(), D("100200"));
}

TEST_F(BrokerTest, ShortsAreRejectedUnlessAllowed) {
  OrderId id = Place(Sell("100"), 0);
  Bar(1, "10", "10.5", "9.5", "9.8");
  EXPECT_EQ(broker_->order(id).status, OrderStatus::kRejected);
  EXPECT_EQ(broker_->order(id).reason,
            "sell of 100 would open a short position (shorts are not allowed)");
}

TEST_F(BrokerTest, InvalidOrdersAreRejectedAtOnce) {
  OrderId id = Place(Buy("0"), 0);
  EXPECT_EQ(broker_->order(id).status, OrderStatus::kRejected);
  EXPECT_EQ(broker_->order(id).reason, "quantity 0 is not positive");
  id = Place(WithType(Buy("1"), OrderType::kStop, nullptr, nullptr), 0);
  EXPECT_EQ(broker_->order(id).reason, "stop price 0 is not positive");
}

TEST(SizingTest, RiskFractionOverTheStopDistanceRoundsDownToTheLot) {
  Sizing s{.mode = Sizing::Mode::kRiskFraction, .risk_fraction = D("0.01")};
  // 100000 x 0.01 / (100.50 - 96.53) = 251.88...
  EXPECT_EQ(s.Quantity(D("100000"), D("100.50"), D("96.53")), D("251"));
  s.lot_size = D("100");
  EXPECT_EQ(s.Quantity(D("100000"), D("100.50"), D("96.53")), D("200"));
  EXPECT_EQ(s.Quantity(D("100000"), D("100.50"), std::nullopt), Decimal());
  Sizing fixed{.quantity = D("10")};
  EXPECT_EQ(fixed.Quantity(D("100000"), D("1"), std::nullopt), D("10"));
}

TEST_F(BrokerTest, PercentCommissionAndBasisPointSlippageRoundOnce) {
  Configure({.commission = *ParseCommission("percent:0.049757")});
  Place(Buy("668"), 0);
  Bar(1, "66.462254487716", "67", "66", "66.5");
  // 668 x 66.462254487716 x 0.049757% = 22.0905088089225038...: one rounding gives ...923.
  EXPECT_EQ(fills()[0].commission, D("22.090508808923"));
  Configure({.slippage = *ParseSlippage("bps:0.5")});
  Place(Buy("1"), 0);
  Bar(1, "10.000000000001", "11", "9", "10");
  // 10.000000000001 x 0.5 / 10000 = 0.00050000000000005: one rounding gives 0.0005.
  EXPECT_EQ(fills()[0].price, D("10.000500000001"));
}

TEST_F(BrokerTest, SlippageNeverFillsOutsideTheBar) {
  Configure({.slippage = *ParseSlippage("bps:9999")});
  Place(Buy("10"), 0);
  Bar(1, "10", "10.5", "9", "10");
  Place(Sell("10"), 1);
  Bar(2, "10", "10.5", "0.01", "10");
  ASSERT_EQ(fills().size(), 2u);
  EXPECT_EQ(fills()[0].price, D("10.5"));  // capped at the high, not 19.999
  EXPECT_EQ(fills()[1].price, D("0.01"));  // capped at the low, never at or below zero
  Configure({.slippage = *ParseSlippage("fixed:50")});
  Place(Sell("1"), 0);
  Bar(1, "10", "10.5", "9", "10");
  EXPECT_TRUE(fills().empty());  // no position and no --allow-short: rejected
  Place(Buy("1"), 1);
  Bar(2, "10", "10.5", "9", "10");
  EXPECT_EQ(fills()[0].price, D("10.5"));
}

TEST(OrderModelsTest, SettingsThatMakeNoSenseAreRefused) {
  EXPECT_EQ(ParseSlippage("bps:10000").error().message,
            "\"bps:10000\": slippage must be below 10000 basis points (100% of the price)");
  EXPECT_EQ(ParseSlippage("bps:1000000000000").error().message,
            "\"bps:1000000000000\": slippage must be below 10000 basis points (100% of the "
            "price)");
  EXPECT_TRUE(ParseSlippage("bps:9999.99").has_value());
  EXPECT_EQ(ParseCommission("percent:200").error().message,
            "\"percent:200\": a commission must be at most 100 percent of the notional");
  EXPECT_TRUE(ParseCommission("percent:100").has_value());
  EXPECT_EQ(ParseCommission("percent:1e3").error().message,
            "\"percent:1e3\": \"1e3\" is not a non-negative number");
}

TEST_F(BrokerTest, OrdersBeyondTheInputLimitsAreRejected) {
  const OrderId big = Place(Buy("1000000000000.000000000001"), 0);
  OrderRequest far = Bracket(Buy("1"), "1", "1000000000001");
  const OrderId target = Place(far, 0);
  EXPECT_EQ(broker_->order(big).status, OrderStatus::kRejected);
  EXPECT_EQ(broker_->order(big).reason,
            "quantity 1000000000000.000000000001 is above the limit of 1e12");
  EXPECT_EQ(broker_->order(target).reason,
            "a price of the order is beyond the input limit of 1e12");
}

}  // namespace
}  // namespace wyckoff::engine
