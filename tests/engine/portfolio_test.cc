#include "wyckoff/engine/portfolio.h"

#include <gtest/gtest.h>

#include "engine_builders.h"

namespace wyckoff::engine {
namespace {

using testing::D;

Fill MakeFill(Side side, const char* qty, const char* price, std::int64_t index,
              const char* commission = "0") {
  Fill f;
  f.side = side;
  f.quantity = D(qty);
  f.price = D(price);
  f.bar_index = index;
  f.time = index * kNanosPerDay;
  f.commission = D(commission);
  return f;
}

TEST(PortfolioTest, EquityIsCashPlusMarkedPositions) {
  Portfolio book(D("1000"), 2);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "10", "20", 0), std::nullopt, closed);
  EXPECT_EQ(book.cash(), D("800"));
  EXPECT_EQ(book.equity(), D("1000"));
  book.Mark(0, D("25.5"));
  EXPECT_EQ(book.equity(), D("1055"));
  EXPECT_EQ(book.open_positions(), 1);
  EXPECT_TRUE(closed.empty());
}

TEST(PortfolioTest, ScalingInAveragesTheEntryPrice) {
  Portfolio book(D("10000"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "10", "10", 0), std::nullopt, closed);
  book.ApplyFill(MakeFill(Side::kBuy, "30", "12", 1), std::nullopt, closed);
  book.ApplyFill(MakeFill(Side::kSell, "40", "13", 4), std::nullopt, closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].entry_price, D("11.5"));  // (100 + 360) / 40
  EXPECT_EQ(closed[0].quantity, D("40"));
  EXPECT_EQ(closed[0].pnl, D("60"));
  EXPECT_EQ(closed[0].bars_held(), 4);
}

TEST(PortfolioTest, AFillThatCrossesZeroClosesOneTradeAndOpensTheNext) {
  Portfolio book(D("10000"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "100", "10", 0), std::nullopt, closed);
  book.ApplyFill(MakeFill(Side::kSell, "150", "12", 3, "3"), std::nullopt, closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].direction, Side::kBuy);
  EXPECT_EQ(closed[0].gross_pnl, D("200"));
  EXPECT_EQ(closed[0].fees, D("2"));  // 100 of the 150 units carry 2 of the 3 commission
  EXPECT_EQ(book.position(0), D("-50"));
  book.ApplyFill(MakeFill(Side::kBuy, "50", "11", 5), std::nullopt, closed);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[1].direction, Side::kSell);
  EXPECT_EQ(closed[1].entry_time, 3 * kNanosPerDay);
  EXPECT_EQ(closed[1].gross_pnl, D("50"));
  EXPECT_EQ(closed[1].pnl, D("49"));
  EXPECT_EQ(book.cash(), D("10247"));
}

TEST(PortfolioTest, RMultipleIsPnlOverRiskAtEntry) {
  Portfolio book(D("100000"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "251", "100.5", 0), D("96.53"), closed);
  book.ApplyFill(MakeFill(Side::kSell, "251", "110", 7), std::nullopt, closed);
  ASSERT_EQ(closed.size(), 1u);
  // pnl 251 x 9.5 = 2384.5; risk 251 x 3.97 = 996.47; R = 2.392947...
  EXPECT_EQ(closed[0].pnl, D("2384.5"));
  EXPECT_EQ(closed[0].r_multiple->ToString(4), "2.3929");
}

TEST(PortfolioTest, CashNeededCountsOnlyTheOpeningPart) {
  Portfolio book(D("10000"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "100", "10", 0), std::nullopt, closed);
  EXPECT_EQ(book.CashNeeded(0, Side::kSell, D("100"), D("10"), D("1")), D("1"));
  EXPECT_EQ(book.CashNeeded(0, Side::kSell, D("150"), D("10"), D("1")), D("501"));
  EXPECT_EQ(book.CashNeeded(0, Side::kBuy, D("10"), D("10"), D("0")), D("100"));
}

TEST(PortfolioTest, APositionBuiltFromSeveralFillsHasExactPnl) {
  Portfolio book(D("100"), 1);
  std::vector<Trade> closed;
  for (const char* price : {"8.5", "8.2", "8"}) {
    book.ApplyFill(MakeFill(Side::kBuy, "1", price, 0), std::nullopt, closed);
  }
  for (const char* price : {"8", "7.5", "7.2"}) {
    book.ApplyFill(MakeFill(Side::kSell, "1", price, 1), std::nullopt, closed);
  }
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].pnl, D("-2"));  // an average cost of 8.2333... would give -1.999999999999
  EXPECT_EQ(closed[0].entry_price, D("8.233333333333"));  // for display only
  EXPECT_EQ(book.cash(), D("98"));
  EXPECT_EQ(book.equity(), D("98"));
}

TEST(PortfolioTest, ShortsAddUpExactlyToo) {
  Portfolio book(D("100"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kSell, "2", "10.1", 0, "0.3"), std::nullopt, closed);
  book.ApplyFill(MakeFill(Side::kSell, "1", "9.9", 1), std::nullopt, closed);
  EXPECT_EQ(book.cash(), D("129.8"));
  EXPECT_EQ(book.available_cash(), D("100.1"));  // the shorts' value, 3 x 9.9, is collateral
  book.ApplyFill(MakeFill(Side::kBuy, "3", "9", 2, "0.03"), std::nullopt, closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].direction, Side::kSell);
  EXPECT_EQ(closed[0].gross_pnl, D("3.1"));  // 30.1 received, 27 paid
  EXPECT_EQ(closed[0].pnl, D("2.77"));
  EXPECT_EQ(book.cash(), D("102.77"));
}

TEST(PortfolioTest, AnAccountTotalBeyondTheDecimalRangeIsAFailureNotACrash) {
  Portfolio book(D("1000000000000"), 1);
  std::vector<Trade> closed;
  book.ApplyFill(MakeFill(Side::kBuy, "1000000000000", "0.000000000001", 0), std::nullopt, closed);
  // Each round trip, bought at 1e-12 and sold at 1e12, adds about 1e24 to cash: the 86th
  // passes the bound of account totals (about 8.5e25).
  int trips = 0;
  while (!book.failure() && trips < 200) {
    book.ApplyFill(MakeFill(Side::kSell, "1000000000000", "1000000000000", 1), std::nullopt,
                   closed);
    book.ApplyFill(MakeFill(Side::kBuy, "1000000000000", "0.000000000001", 2), std::nullopt,
                   closed);
    ++trips;
  }
  EXPECT_EQ(trips, 86);
  ASSERT_TRUE(book.failure());
  EXPECT_EQ(book.failure()->code, ErrorCode::kOverflow);
  EXPECT_EQ(book.failure()->message,
            "the account's cash left the exact decimal range (about 8.5e25)");
}

}  // namespace
}  // namespace wyckoff::engine
