// Fingerprints of generated data for characterisation tests: every field of every bar as
// text, and a 64-bit FNV-1a digest of that text. A generator that changes any time, price,
// volume or `decimals` changes the digest.
//
//   EXPECT_EQ(BarText(bars[0]), "946684800000000000 12 100.03 100.2 99.81 99.98 41234");
//   EXPECT_EQ(BarsDigest(bars), 0x1234abcd5678ef90u);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"

namespace wyckoff::testing {

inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;

// FNV-1a over `text`, continuing from `hash`.
inline std::uint64_t Fnv1a(std::string_view text, std::uint64_t hash = kFnvOffset) {
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return hash;
}

// "TIME DECIMALS OPEN HIGH LOW CLOSE VOLUME": the time in nanoseconds, the decimals exactly.
inline std::string BarText(const Bar& b) {
  std::string out = std::to_string(b.time) + " " + std::to_string(int{b.decimals});
  for (const Decimal& d : {b.open, b.high, b.low, b.close, b.volume}) out += " " + d.ToString();
  return out;
}

// The digest of every bar's BarText, one line each.
inline std::uint64_t BarsDigest(const std::vector<Bar>& bars) {
  std::uint64_t hash = kFnvOffset;
  for (const Bar& b : bars) hash = Fnv1a(BarText(b) + "\n", hash);
  return hash;
}

}  // namespace wyckoff::testing
