#include "wyckoff/engine/synthetic.h"

#include <algorithm>
#include <random>

namespace wyckoff::engine {

std::vector<Bar> RandomWalkBars(const RandomWalkOptions& o) {
  std::mt19937_64 rng(o.seed);
  // Uniform integers by rejection-free modulo: fine for benchmark data, and identical on every
  // platform, unlike std::uniform_int_distribution.
  auto draw = [&](std::int64_t range) { return static_cast<std::int64_t>(rng() % range); };
  std::vector<Bar> bars;
  bars.reserve(o.bars);
  std::int64_t close = o.start_cents;
  for (std::size_t i = 0; i < o.bars; ++i) {
    const std::int64_t open = std::max<std::int64_t>(100, close + draw(11) - 5);
    close = std::max<std::int64_t>(100, open + draw(2 * o.max_step_cents + 1) - o.max_step_cents);
    const std::int64_t high = std::max(open, close) + draw(o.max_step_cents / 2 + 1);
    const std::int64_t low =
        std::max<std::int64_t>(1, std::min(open, close) - draw(o.max_step_cents / 2 + 1));
    Bar b;
    b.time = o.start + static_cast<Timestamp>(i) * o.interval;
    b.open = Decimal::FromUnits(open, 2);
    b.high = Decimal::FromUnits(high, 2);
    b.low = Decimal::FromUnits(low, 2);
    b.close = Decimal::FromUnits(close, 2);
    b.volume = Decimal::FromInt(1000 + draw(100'000));
    bars.push_back(b);
  }
  return bars;
}

}  // namespace wyckoff::engine
