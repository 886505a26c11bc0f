// Synthetic bars for benchmarks and scaling tests: a seeded random walk with valid OHLCV.
//
//   std::vector<Bar> bars = RandomWalkBars({.bars = 100'000, .seed = 7,
//                                           .interval = 60 * kNanosPerSecond});
//
// The same options always give the same bars (std::mt19937_64, no platform-dependent
// distributions on the money path: prices are whole cents derived from integer draws).
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/core/bar.h"

namespace wyckoff::engine {

struct RandomWalkOptions {
  std::size_t bars = 1000;
  std::uint64_t seed = 1;
  Timestamp start = 946'684'800LL * kNanosPerSecond;  // 2000-01-01
  Timestamp interval = kNanosPerDay;
  std::int64_t start_cents = 10'000;  // first open, in cents
  std::int64_t max_step_cents = 50;   // largest close-to-close move, in cents
};

std::vector<Bar> RandomWalkBars(const RandomWalkOptions& options);

}  // namespace wyckoff::engine
