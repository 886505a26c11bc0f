// Decimal arithmetic against double and Boost's cpp_dec_float_50: the price of exactness.
//
// NOTE: Decimal's product has a shortcut for a whole-number operand (no 128-bit division by
// 10^12), so BM_*_Notional, whose quantity is 137, shows the best case; BM_*_NotionalFractional
// multiplies by 137.25, the general case (fractional shares, FX and crypto sizes, any price
// times a price-derived ratio).
#include <benchmark/benchmark.h>

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <vector>

#include "counted.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

using DecFloat = boost::multiprecision::cpp_dec_float_50;

// 4096 prices and quantities as each representation holds them.
template <typename T>
std::vector<T> Values(T (*convert)(const Bar&)) {
  std::vector<T> out;
  for (const Bar& b : fixtures::RandomWalkBars({.bars = 4096, .seed = 3}))
    out.push_back(convert(b));
  return out;
}

const std::vector<Decimal>& Decimals() {
  static auto v = Values<Decimal>([](const Bar& b) { return b.close; });
  return v;
}
const std::vector<double>& Doubles() {
  static auto v = Values<double>([](const Bar& b) { return b.close.ToDouble(); });
  return v;
}
const std::vector<DecFloat>& DecFloats() {
  static auto v = Values<DecFloat>([](const Bar& b) { return DecFloat(b.close.ToString()); });
  return v;
}

// One iteration: notional = price x quantity, accumulated into a cash balance (a fill's
// arithmetic), over 4096 prices.
template <typename T>
void Notional(benchmark::State& state, const std::vector<T>& prices, T quantity) {
  for (auto _ : state) {
    T cash{};
    for (const T& p : prices) cash = cash + p * quantity;
    benchmark::DoNotOptimize(cash);
  }
  state.counters["ops_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * prices.size()), benchmark::Counter::kIsRate);
}

// A whole-number quantity: Decimal's shortcut case.
void BM_Decimal_Notional(benchmark::State& state) {
  Notional(state, Decimals(), Decimal::FromInt(137));
}
void BM_Double_Notional(benchmark::State& state) { Notional(state, Doubles(), 137.0); }
void BM_DecFloat50_Notional(benchmark::State& state) {
  Notional(state, DecFloats(), DecFloat(137));
}
BENCHMARK(BM_Decimal_Notional)->Apply(benchmarks::Counted);
BENCHMARK(BM_Double_Notional)->Apply(benchmarks::Counted);
BENCHMARK(BM_DecFloat50_Notional)->Apply(benchmarks::Counted);

// A fractional quantity: every product rounds (half-even) to 12 places.
void BM_Decimal_NotionalFractional(benchmark::State& state) {
  Notional(state, Decimals(), Decimal::FromUnits(13725, 2));
}
void BM_Double_NotionalFractional(benchmark::State& state) { Notional(state, Doubles(), 137.25); }
void BM_DecFloat50_NotionalFractional(benchmark::State& state) {
  Notional(state, DecFloats(), DecFloat("137.25"));
}
BENCHMARK(BM_Decimal_NotionalFractional)->Apply(benchmarks::Counted);
BENCHMARK(BM_Double_NotionalFractional)->Apply(benchmarks::Counted);
BENCHMARK(BM_DecFloat50_NotionalFractional)->Apply(benchmarks::Counted);

// Sums (a moving-average window): additions only.
template <typename T>
void Sum(benchmark::State& state, const std::vector<T>& prices) {
  for (auto _ : state) {
    T sum{};
    for (const T& p : prices) sum = sum + p;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ops_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * prices.size()), benchmark::Counter::kIsRate);
}
void BM_Decimal_Sum(benchmark::State& state) { Sum(state, Decimals()); }
void BM_Double_Sum(benchmark::State& state) { Sum(state, Doubles()); }
void BM_DecFloat50_Sum(benchmark::State& state) { Sum(state, DecFloats()); }
BENCHMARK(BM_Decimal_Sum)->Apply(benchmarks::Counted);
BENCHMARK(BM_Double_Sum)->Apply(benchmarks::Counted);
BENCHMARK(BM_DecFloat50_Sum)->Apply(benchmarks::Counted);

// Parsing a price from text.
void BM_Decimal_Parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Decimal::Parse("3599.123456"));
}
BENCHMARK(BM_Decimal_Parse)->Apply(benchmarks::Counted);

}  // namespace
}  // namespace wyckoff::engine
