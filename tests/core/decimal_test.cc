#include "wyckoff/core/decimal.h"

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <limits>
#include <random>

#include "engine_builders.h"

namespace wyckoff {
namespace {

using testing::D;

TEST(DecimalTest, PointOnePlusPointTwoIsPointThree) { EXPECT_EQ(D("0.1") + D("0.2"), D("0.3")); }

TEST(DecimalTest, ParsesSignsAndBareFractions) {
  EXPECT_EQ(D("-12.5").ToString(), "-12.5");
  EXPECT_EQ(D("+.5").ToString(), "0.5");
  EXPECT_EQ(D("3.").ToString(), "3");
  EXPECT_EQ(D("0003.1400").ToString(), "3.14");
}

TEST(DecimalTest, NegativeZeroIsZero) {
  Decimal z = D("-0.000");
  EXPECT_EQ(z, Decimal());
  EXPECT_FALSE(z.IsNegative());
  EXPECT_EQ(z.ToString(), "0");
  EXPECT_EQ((D("1") - D("1")).ToString(), "0");
  EXPECT_EQ((-Decimal()).ToString(), "0");
  EXPECT_EQ(D("-0.004").Round(2).ToString(2), "0.00");
}

TEST(DecimalTest, ParseRejectsThirteenDecimals) {
  auto r = Decimal::Parse("1.0000000000001");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kParse);
  EXPECT_EQ(r.error().message, "\"1.0000000000001\" has more than 12 fractional digits");
}

TEST(DecimalTest, ParseAcceptsTrailingZerosBeyondTwelveDecimals) {
  EXPECT_EQ(D("1.000000000001000").ToString(), "1.000000000001");
}

TEST(DecimalTest, ParseRejectsNonNumbersWithTheText) {
  for (const char* bad : {"", "abc", "1.2.3", "1e5", " 1", "1 ", "-", ".", "--1", "1,5", "nan"}) {
    auto r = Decimal::Parse(bad);
    EXPECT_FALSE(r.has_value()) << bad;
  }
  EXPECT_EQ(Decimal::Parse("12a").error().message, "\"12a\" is not a decimal number");
  EXPECT_EQ(Decimal::Parse("").error().message, "empty text is not a decimal number");
}

TEST(DecimalTest, MaxMagnitudeRoundTripsAndOneMoreOverflows) {
  const std::string max = "170141183460469231731687303.715884105727";
  EXPECT_EQ(Decimal::Max().ToString(), max);
  EXPECT_EQ(D(max), Decimal::Max());
  EXPECT_EQ(D("-" + max), Decimal::Min());
  auto over = Decimal::Parse("170141183460469231731687303.715884105728");
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(Decimal::Parse("999999999999999999999999999999").error().code, ErrorCode::kOverflow);
}

TEST(DecimalTest, CheckedArithmeticReportsOverflow) {
  auto sum = Decimal::CheckedAdd(Decimal::Max(), D("0.000000000001"));
  ASSERT_FALSE(sum.has_value());
  EXPECT_EQ(sum.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(sum.error().message, "decimal sum out of range");
  auto product = Decimal::CheckedMul(D("10000000000000"), D("100000000000000"));
  ASSERT_FALSE(product.has_value());
  EXPECT_EQ(product.error().message, "decimal product out of range");
  auto quotient = Decimal::CheckedDiv(D("1"), Decimal());
  ASSERT_FALSE(quotient.has_value());
  EXPECT_EQ(quotient.error().message, "decimal division by zero");
  EXPECT_EQ(*Decimal::CheckedSub(D("5"), D("7.5")), D("-2.5"));
}

TEST(DecimalDeathTest, OperatorOverflowAborts) {
  EXPECT_DEATH((void)(Decimal::Max() + D("1")), "Decimal addition overflow");
  EXPECT_DEATH((void)(Decimal::Min() - D("0.000000000001")), "Decimal subtraction overflow");
  EXPECT_DEATH((void)(D("10000000000000") * D("100000000000000")), "multiplication overflow");
  EXPECT_DEATH((void)(D("1") / Decimal()), "division");
}

TEST(DecimalTest, WideProductsAreExact) {
  // Operands beyond the 64-bit fast path go through the 256-bit intermediate.
  EXPECT_EQ(D("123456789.123456789") * D("1000000"), D("123456789123456.789"));
  EXPECT_EQ(D("99999999999.5") * D("2"), D("199999999999"));
  EXPECT_EQ(D("12345678901234.5") / D("0.5"), D("24691357802469"));
}

TEST(DecimalTest, MultiplicationRoundsHalfEvenAtTwelveDigits) {
  // 0.000001 x 0.0000005 = 5e-13: a tie between 0 and 1e-12; even is 0.
  EXPECT_EQ(D("0.000001") * D("0.0000005"), Decimal());
  // 0.000003 x 0.0000005 = 1.5e-12: tie between 1e-12 and 2e-12; even is 2e-12.
  EXPECT_EQ(D("0.000003") * D("0.0000005"), D("0.000000000002"));
  EXPECT_EQ(D("2.5") * D("4"), D("10"));
}

TEST(DecimalTest, DivisionRoundsHalfEven) {
  EXPECT_EQ(D("1") / D("3"), D("0.333333333333"));
  EXPECT_EQ(D("2") / D("3"), D("0.666666666667"));
  EXPECT_EQ(D("-2") / D("3"), D("-0.666666666667"));
  EXPECT_EQ(D("10").DivInt(4), D("2.5"));
}

TEST(DecimalTest, RoundingTiesFollowTheMode) {
  EXPECT_EQ(D("2.5").Round(0), D("2"));
  EXPECT_EQ(D("3.5").Round(0), D("4"));
  EXPECT_EQ(D("-2.5").Round(0), D("-2"));
  EXPECT_EQ(D("-3.5").Round(0), D("-4"));
  EXPECT_EQ(D("0.125").Round(2), D("0.12"));
  EXPECT_EQ(D("0.135").Round(2), D("0.14"));
  EXPECT_EQ(D("2.5").Round(0, Rounding::kHalfUp), D("3"));
  EXPECT_EQ(D("-2.5").Round(0, Rounding::kHalfUp), D("-3"));
  EXPECT_EQ(D("2.9").Round(0, Rounding::kDown), D("2"));
  EXPECT_EQ(D("-2.9").Round(0, Rounding::kDown), D("-2"));
  EXPECT_EQ(D("-2.1").Round(0, Rounding::kFloor), D("-3"));
  EXPECT_EQ(D("2.1").Round(0, Rounding::kCeiling), D("3"));
  EXPECT_EQ(D("2.126").Round(2), D("2.13"));
}

TEST(DecimalTest, FixedPlacesFormatting) {
  EXPECT_EQ(D("12.5").ToString(2), "12.50");
  EXPECT_EQ(D("0.005").ToString(2), "0.00");
  EXPECT_EQ(D("0.015").ToString(2), "0.02");
  EXPECT_EQ(D("-1.5").ToString(0), "-2");
  EXPECT_EQ(D("0.000000000001").ToString(), "0.000000000001");
  EXPECT_EQ(D("-0.5").ToString(3), "-0.500");
}

TEST(DecimalTest, FloorToMultipleRoundsDownToTheLot) {
  EXPECT_EQ(D("1234.56").FloorToMultiple(D("100")), D("1200"));
  EXPECT_EQ(D("7.99").FloorToMultiple(D("1")), D("7"));
  EXPECT_EQ(D("-0.5").FloorToMultiple(D("1")), D("-1"));
  EXPECT_EQ(D("0.37").FloorToMultiple(D("0.25")), D("0.25"));
}

TEST(DecimalTest, FactoriesAndComparisons) {
  EXPECT_EQ(Decimal::FromUnits(1005, 3), D("1.005"));
  EXPECT_EQ(Decimal::FromInt(-7), D("-7"));
  EXPECT_LT(D("-1"), D("0.5"));
  EXPECT_GT(D("100.000000000001"), D("100"));
  EXPECT_EQ(Min(D("1"), D("2")), D("1"));
  EXPECT_EQ(Max(D("1"), D("2")), D("2"));
  EXPECT_EQ(D("3").MulInt(-4), D("-12"));
  EXPECT_EQ(D("-3").Abs(), D("3"));
}

TEST(DecimalTest, ToDoubleIsNearest) {
  EXPECT_DOUBLE_EQ(D("0.1").ToDouble(), 0.1);
  EXPECT_DOUBLE_EQ(D("-2.370370").ToDouble(), -2.37037);
  EXPECT_DOUBLE_EQ(D("102646.0652").ToDouble(), 102646.0652);
}

// ToDouble and MulInt take a 64-bit path for raw values within int64 and a 128-bit path
// beyond: both sides of the boundary give exactly what 128-bit arithmetic gives.
TEST(DecimalTest, SixtyFourBitFastPathsMatchTheWidePathsAtTheBoundary) {
  constexpr Decimal::Raw kMax64 = std::numeric_limits<std::int64_t>::max();
  constexpr Decimal::Raw kMin64 = std::numeric_limits<std::int64_t>::min();
  for (const Decimal::Raw raw :
       {kMax64 - 1, kMax64, kMax64 + 1, kMin64 - 1, kMin64, kMin64 + 1, Decimal::Raw{0},
        Decimal::Raw{-1}, Decimal::Raw{999'999'999'999'999}, Decimal::Max().raw(),
        Decimal::Min().raw()}) {
    const Decimal d = Decimal::FromRaw(raw);
    EXPECT_EQ(d.ToDouble(), static_cast<double>(raw) / 1e12);  // exactly, not within an ulp
    for (const std::int64_t n :
         {std::int64_t{1}, std::int64_t{-1}, std::int64_t{3},
          std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
      Decimal::Raw expected;
      if (__builtin_mul_overflow(raw, static_cast<Decimal::Raw>(n), &expected) ||
          expected < Decimal::Min().raw()) {
        continue;  // MulInt aborts here; CheckedMulInt's test covers the refusal
      }
      EXPECT_EQ(d.MulInt(n).raw(), expected);
    }
  }
  // The extremes of the 64-bit path: the largest products it makes are exact.
  EXPECT_EQ(Decimal::FromRaw(kMin64).MulInt(std::numeric_limits<std::int64_t>::min()).raw(),
            kMin64 * kMin64);
  EXPECT_EQ(Decimal::FromRaw(kMax64).MulInt(std::numeric_limits<std::int64_t>::min()).raw(),
            kMax64 * kMin64);
}

}  // namespace
}  // namespace wyckoff

namespace wyckoff {
namespace {

using testing::D;

TEST(DecimalTest, CheckedProductRoundsOnce) {
  // 668 x 66.462254487716 x 0.049757 / 100 = 22.09050880892250388016: one half-even rounding
  // gives ...923, where rounding the product, the product and the quotient gives ...922.
  EXPECT_EQ(*Decimal::CheckedProduct(D("668"), D("66.462254487716"), D("0.049757"), 100),
            D("22.090508808923"));
  EXPECT_EQ(*Decimal::CheckedProduct(D("33.33"), D("5"), D("1"), 10'000), D("0.016665"));
  // Ties go to the even neighbour: 0.5e-12 to 0, -1.5e-12 to -2e-12.
  EXPECT_EQ(*Decimal::CheckedProduct(D("1"), D("0.000000000001"), D("0.5"), 1), D("0"));
  EXPECT_EQ(*Decimal::CheckedProduct(D("-1"), D("0.000000000003"), D("0.5"), 1),
            D("-0.000000000002"));
  auto overflow = Decimal::CheckedProduct(Decimal::Max(), D("2"), D("1"), 1);
  ASSERT_FALSE(overflow.has_value());
  EXPECT_EQ(overflow.error().code, ErrorCode::kOverflow);
  // -2^23 x 2^81 raw x 2^23 is -2^127 raw, one below Min(): refused, not wrapped into a value.
  overflow = Decimal::CheckedProduct(Decimal::FromInt(-8'388'608),
                                     Decimal::FromRaw(static_cast<Decimal::Raw>(1) << 81),
                                     Decimal::FromInt(8'388'608), 1);
  ASSERT_FALSE(overflow.has_value());
  EXPECT_EQ(overflow.error().message, "decimal product out of range");
  // CheckedMulDiv: the same single rounding with a whole factor, in 64 bits, in 128, and beyond
  // (Max() x 2 overflows 128 bits; divided by 4 it is Max() / 2, ties to even).
  EXPECT_EQ(*Decimal::CheckedMulDiv(D("33.33"), 5, 10'000), D("0.016665"));
  EXPECT_EQ(*Decimal::CheckedMulDiv(D("-0.000000000003"), 1, 2), D("-0.000000000002"));
  EXPECT_EQ(*Decimal::CheckedMulDiv(D("1000000000"), 9'999, 10'000), D("999900000"));
  EXPECT_EQ(Decimal::CheckedMulDiv(Decimal::Max(), 2, 4)->raw(), Decimal::Max().raw() / 2 + 1);
  EXPECT_EQ(Decimal::CheckedMulDiv(Decimal::Max(), 2, 1).error().message,
            "decimal product out of range");
  EXPECT_EQ(*Decimal::CheckedMulInt(D("1.5"), -3), D("-4.5"));
  EXPECT_FALSE(Decimal::CheckedMulInt(Decimal::Max(), 2).has_value());
}

TEST(DecimalTest, ParseNamesExponentNotationAndEscapesControlBytes) {
  EXPECT_EQ(Decimal::Parse("1e9").error().message,
            "\"1e9\" uses exponent notation; write the number in plain decimal digits");
  EXPECT_EQ(Decimal::Parse("2.5E-3").error().message,
            "\"2.5E-3\" uses exponent notation; write the number in plain decimal digits");
  EXPECT_EQ(Decimal::Parse("e9").error().message, "\"e9\" is not a decimal number");
  EXPECT_EQ(Decimal::Parse(std::string("4\r\n", 3)).error().message,
            "\"4\\r\\n\" is not a decimal number");
  int digits = -1;
  ASSERT_TRUE(Decimal::Parse("8.50", digits).has_value());
  EXPECT_EQ(digits, 2);
  ASSERT_TRUE(Decimal::Parse("12", digits).has_value());
  EXPECT_EQ(digits, 0);
}

}  // namespace
}  // namespace wyckoff

namespace wyckoff {
namespace {

TEST(DecimalTest, ToCharsWritesToStringsTextWithoutAllocating) {
  EXPECT_EQ(D("12.5").ToString(), "12.5");
  EXPECT_EQ(D("-0.000001").ToString(), "-0.000001");
  EXPECT_EQ(D("100").ToString(), "100");
  EXPECT_EQ(Decimal().ToString(), "0");
  EXPECT_EQ(Decimal::Max().ToString(), "170141183460469231731687303.715884105727");
  EXPECT_EQ(Decimal::Min().ToString(), "-170141183460469231731687303.715884105727");
  EXPECT_EQ(D("18446744.073709551615").ToString(), "18446744.073709551615");  // 2^64 raw - 1
  EXPECT_EQ(D("18446744.073709551616").ToString(), "18446744.073709551616");  // 2^64 raw
  std::string appended = "x=";
  D("-3.140").AppendTo(appended);
  EXPECT_EQ(appended, "x=-3.14");
}

// Products of two raws below 2^63 divide by 10^12 in 64-bit steps (DivRoundByOne); the
// three-factor product with a factor of 1 takes the general 128-bit division: both agree in
// every rounding mode, for random raws, tiny ones and exact ties (remainder 5 x 10^11).
TEST(DecimalTest, ProductsRoundTheSameThroughBothDivisions) {
  std::mt19937_64 rng(41);
  const Rounding modes[] = {Rounding::kDown, Rounding::kFloor, Rounding::kCeiling,
                            Rounding::kHalfUp, Rounding::kHalfEven};
  for (int i = 0; i < 100000; ++i) {
    const auto any = [&] { return static_cast<Decimal::Raw>(static_cast<std::int64_t>(rng())); };
    Decimal::Raw a = any(), b = any();
    if (i % 4 == 1) b = static_cast<Decimal::Raw>(rng() % 21) - 10;  // a few raw units
    if (i % 4 == 2) {  // an exact tie: a x b ends in 5 followed by eleven zeros
      a = (static_cast<Decimal::Raw>(rng() % 1'000'000) * 2 + 1) * 500'000'000'000;
      b = rng() % 2 == 0 ? 1 : -1;
    }
    const Decimal x = Decimal::FromRaw(a), y = Decimal::FromRaw(b);
    for (const Rounding mode : modes) {
      const auto product = Decimal::CheckedMul(x, y, mode);
      const auto reference = Decimal::CheckedProduct(x, y, Decimal::FromInt(1), 1, mode);
      ASSERT_EQ(product.has_value(), reference.has_value());
      if (product) {
        ASSERT_EQ(product->raw(), reference->raw())
            << x.ToString() << " x " << y.ToString() << " mode " << static_cast<int>(mode);
      }
    }
  }
}

// The shortest text (ToChars, behind ToString()) is the full twelve places of ToString(12)
// without trailing zeros, for fractions of every length and both sides of the 64-bit path.
TEST(DecimalTest, ShortestTextIsTheFullTextWithoutTrailingZeros) {
  std::mt19937_64 rng(29);
  for (int i = 0; i < 50000; ++i) {
    const auto wide = static_cast<Decimal::Raw>(static_cast<std::int64_t>(rng()));
    // Cut to a random number of significant fraction digits, so that every count of
    // trailing zeros (0 to 12) occurs.
    Decimal::Raw cut = 1;
    for (int k = static_cast<int>(rng() % 13); k > 0; --k) cut *= 10;
    const Decimal::Raw raw = (i % 2 == 0 ? wide : wide * 1'000'000'000) / cut * cut;
    const Decimal d = Decimal::FromRaw(raw);
    std::string full = d.ToString(Decimal::kScale);
    while (full.back() == '0') full.pop_back();
    if (full.back() == '.') full.pop_back();
    if (full == "-0") full = "0";
    ASSERT_EQ(d.ToString(), full) << "raw " << static_cast<long long>(raw % 1'000'000'000'000);
  }
}

// ToString(places) pads with zeros and rounds half-even; AppendFixed writes the same text.
TEST(DecimalTest, AppendFixedMatchesToStringWithPlaces) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    // Whole 64-bit raws (AppendFixed's fast path), wider ones, and values within 1 of zero
    // (which round to "0.00" or "-0.01").
    const auto wide = static_cast<Decimal::Raw>(static_cast<std::int64_t>(rng()));
    const Decimal::Raw raw = i % 3 == 0   ? wide
                             : i % 3 == 1 ? wide * 1000
                                          : wide % (2 * Decimal::kOne);
    const Decimal d = Decimal::FromRaw(raw);
    const int places = static_cast<int>(rng() % 13);
    std::string fixed;
    d.AppendFixed(fixed, places);
    ASSERT_EQ(fixed, d.ToString(places)) << d.ToString() << " places " << places;
  }
  std::string r;
  D("1.25").AppendFixed(r, 4);
  EXPECT_EQ(r, "1.2500");
}

// An independent oracle for every rounded operation: arbitrary-precision integers, so no fast
// path, width limit or overflow of the production code is shared with it.
using Big = boost::multiprecision::cpp_int;

Big ToBig(Decimal::Raw r) {
  __extension__ using URaw = unsigned __int128;
  const URaw u = r < 0 ? -static_cast<URaw>(r) : static_cast<URaw>(r);
  const Big b = (Big(static_cast<std::uint64_t>(u >> 64)) << 64) + static_cast<std::uint64_t>(u);
  return r < 0 ? Big(-b) : b;
}

// n / d (d != 0) rounded by `mode`, from the definitions: the exact quotient lies between the
// integers below and above it, and each mode picks one of the two (a formulation unlike the
// production code's, which rounds a truncated quotient away from zero or not).
Big Rounded(Big n, Big d, Rounding mode) {
  if (d < 0) n = -n, d = -d;
  Big below = n / d;  // toward zero, then down to the floor
  if (below * d > n) below -= 1;
  const Big above = below + 1;
  const Big from_below = n - below * d;  // 0 <= from_below < d
  if (from_below == 0) return below;
  const Big from_above = d - from_below;
  const Big& toward_zero = n < 0 ? above : below;
  const Big& away_from_zero = n < 0 ? below : above;
  switch (mode) {
    case Rounding::kDown:
      return toward_zero;
    case Rounding::kFloor:
      return below;
    case Rounding::kCeiling:
      return above;
    case Rounding::kHalfUp:
      if (from_below == from_above) return away_from_zero;
      return from_below < from_above ? below : above;
    case Rounding::kHalfEven:
      if (from_below == from_above) return below % 2 == 0 ? below : above;
      return from_below < from_above ? below : above;
  }
  return below;
}

// A Result against the oracle: the value when the oracle's is within Decimal's range, an
// overflow error otherwise.
::testing::AssertionResult Matches(const Result<Decimal>& got, const Big& expected) {
  const bool in_range =
      expected <= ToBig(Decimal::Max().raw()) && expected >= ToBig(Decimal::Min().raw());
  if (got.has_value() != in_range) {
    return ::testing::AssertionFailure()
           << "in range " << in_range << ", got a value " << got.has_value();
  }
  if (got && ToBig(got->raw()) != expected) {
    return ::testing::AssertionFailure()
           << "got raw " << ToBig(got->raw()) << ", expected " << expected;
  }
  return ::testing::AssertionSuccess();
}

// Every product, quotient and rounding path (64-bit, whole-number, 128-bit and 256-bit ones)
// against the oracle, in every mode: narrow fractions, whole numbers, raws near 2^63, wide
// values, the extremes and exact ties.
TEST(DecimalTest, EveryArithmeticPathMatchesAnExactOracle) {
  std::mt19937_64 rng(20261203);
  constexpr Decimal::Raw kMax64 = std::numeric_limits<std::int64_t>::max();
  constexpr Decimal::Raw kMin64 = std::numeric_limits<std::int64_t>::min();
  const auto any = [&]() -> Decimal::Raw {
    const auto r64 = static_cast<Decimal::Raw>(static_cast<std::int64_t>(rng()));
    switch (rng() % 8) {
      case 0:  // a price-like fraction
        return r64 % 1'000'000'000'000'000;
      case 1:  // a whole number within 64 raw bits, often a small one
        return (rng() % 2 == 0 ? r64 % 9'000'000 : r64 % 21) * Decimal::kOne;
      case 2:  // a whole number beyond them
        return (r64 % 1'000'000'000'000) * Decimal::kOne;
      case 3: {  // near the 64-bit boundary
        const Decimal::Raw edges[] = {kMax64, kMax64 - 1, kMax64 + 1,
                                      kMin64, kMin64 + 1, kMin64 - 1};
        return edges[rng() % 6];
      }
      case 4:  // wide
        return r64 * static_cast<Decimal::Raw>(static_cast<std::int64_t>(rng() >> 20));
      case 5:  // an odd number of half units: ties for halving divisors
        return (r64 % 1'000'000) * 2 * 500'000'000'000 + 500'000'000'000;
      case 6:
        return rng() % 2 == 0 ? Decimal::Max().raw() : Decimal::Min().raw();
      default:  // a few raw units
        return static_cast<Decimal::Raw>(rng() % 21) - 10;
    }
  };
  const Rounding modes[] = {Rounding::kDown, Rounding::kFloor, Rounding::kCeiling,
                            Rounding::kHalfUp, Rounding::kHalfEven};
  const Big one = Decimal::kOne;
  for (int i = 0; i < 40000; ++i) {
    const Decimal x = Decimal::FromRaw(any()), y = Decimal::FromRaw(any()),
                  z = Decimal::FromRaw(any());
    const std::int64_t divisors[] = {1,
                                     2,
                                     100,
                                     10'000,
                                     static_cast<std::int64_t>(rng() >> 1) | 1,
                                     std::numeric_limits<std::int64_t>::max()};
    const std::int64_t divisor = divisors[rng() % 6];
    const std::int64_t n = static_cast<std::int64_t>(rng() % 2 == 0 ? rng() : rng() % 20001) -
                           (rng() % 2 == 0 ? 0 : 10'000);
    const Big bx = ToBig(x.raw()), by = ToBig(y.raw()), bz = ToBig(z.raw());
    const std::string what = x.ToString() + ", " + y.ToString() + ", " + z.ToString() + ", " +
                             std::to_string(divisor) + ", " + std::to_string(n);
    for (const Rounding mode : modes) {
      SCOPED_TRACE(what + " mode " + std::to_string(static_cast<int>(mode)));
      ASSERT_TRUE(Matches(Decimal::CheckedMul(x, y, mode), Rounded(bx * by, one, mode)));
      if (!y.IsZero()) {
        ASSERT_TRUE(Matches(Decimal::CheckedDiv(x, y, mode), Rounded(bx * one, by, mode)));
      }
      ASSERT_TRUE(Matches(Decimal::CheckedProduct(x, y, z, divisor, mode),
                          Rounded(bx * by * bz, one * one * divisor, mode)));
      if (n != 0) {
        ASSERT_TRUE(Matches(x.DivInt(n, mode), Rounded(bx, n, mode)));
      }
      ASSERT_TRUE(Matches(Decimal::CheckedMulDiv(x, n, divisor, mode),
                          Rounded(bx * n, Big(divisor), mode)));
    }
    // The operators are the half-even Checked* where those succeed.
    if (const auto p = Decimal::CheckedMul(x, y)) {
      ASSERT_EQ(x * y, *p) << what;
    }
    if (y.IsZero()) continue;
    if (const auto q = Decimal::CheckedDiv(x, y)) {
      ASSERT_EQ(x / y, *q) << what;
    }
  }
}

TEST(DecimalTest, ToWholeIsTheIntegerOfWholeValuesInInt64Range) {
  EXPECT_EQ(D("100").ToWhole(), 100);
  EXPECT_EQ(D("-7").ToWhole(), -7);
  EXPECT_EQ(Decimal().ToWhole(), 0);
  EXPECT_EQ(D("100.5").ToWhole(), std::nullopt);
  EXPECT_EQ(D("-0.000000000001").ToWhole(), std::nullopt);
  // Beyond 64 raw bits (9.2 million) and up to int64's own limits.
  EXPECT_EQ(D("1000000000000").ToWhole(), 1'000'000'000'000);
  EXPECT_EQ(D("9223372036854775807").ToWhole(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(D("-9223372036854775808").ToWhole(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(D("9223372036854775808").ToWhole(), std::nullopt);
  EXPECT_EQ(D("-9223372036854775809").ToWhole(), std::nullopt);
}

}  // namespace
}  // namespace wyckoff
