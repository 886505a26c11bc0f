// A synthetic trading range for detector tests: a triangle wave whose bar highs touch 110 at
// t = 6, 18, 30, ... and whose lows touch 100 at t = 0, 12, 24, ...; every bar spans 2 points.
#pragma once

#include <cmath>
#include <cstdint>

#include "wyckoff/detectors/features.h"

namespace wyckoff::detectors::testing {

inline BarValues WaveBar(std::int64_t t, double volume = 1000) {
  const double phase = static_cast<double>(t % 12);
  const double center = 101 + 8 * (phase <= 6 ? phase / 6 : (12 - phase) / 6);
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  return {t * day, center, center + 1, center - 1, center, volume};
}

// 30 bars falling from 125 to 101.8 (so the range that follows is an accumulation), then the
// wave shifted by 30 bars: lows touch 100 at t = 30, 42, ...; highs touch 110 at 36, 48, ...
inline BarValues DeclineThenWaveBar(std::int64_t t, double volume = 1000) {
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  if (t < 30) {
    const double center = 125 - 0.8 * static_cast<double>(t);
    return {t * day, center, center + 1, center - 1, center, volume};
  }
  BarValues bar = WaveBar(t - 30, volume);
  bar.time = t * day;
  return bar;
}

// The mirror for distribution: 30 bars rising from 77 to 100.2 (price came up into the range),
// then the wave shifted by 30 bars, as DeclineThenWaveBar.
inline BarValues RiseThenWaveBar(std::int64_t t, double volume = 1000) {
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  if (t < 30) {
    const double center = 77 + 0.8 * static_cast<double>(t);
    return {t * day, center, center + 1, center - 1, center, volume};
  }
  BarValues bar = WaveBar(t - 30, volume);
  bar.time = t * day;
  return bar;
}

}  // namespace wyckoff::detectors::testing
