// Digest: a stable 64-bit fingerprint of a run's results (not a security hash), printed as 16
// hex digits. FNV-1a's offset and prime applied a 64-bit word at a time, with murmur3's
// finaliser, so that the per-step cost is a few multiplies rather than one per byte.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "wyckoff/core/decimal.h"

namespace wyckoff::engine {

class Digest {
 public:
  void Add(std::uint64_t word) { hash_ = (hash_ ^ word) * 0x100000001b3ULL; }
  void Add(std::int64_t v) { Add(static_cast<std::uint64_t>(v)); }
  void Add(Decimal d) {
    const Decimal::Raw r = d.raw();
    Add(static_cast<std::uint64_t>(r));
    Add(static_cast<std::uint64_t>(r >> 64));
  }
  // The running state, for folding one digest into another.
  std::uint64_t value() const { return hash_; }
  std::string Hex() const {
    std::uint64_t h = hash_;  // every input bit reaches every output bit
    h ^= h >> 33, h *= 0xff51afd7ed558ccdULL, h ^= h >> 33, h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
  }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace wyckoff::engine
