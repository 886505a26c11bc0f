// Validators shared by the subcommands' flags.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

namespace wyckoff::cli {

// A whole number from 0 to `max`, checked on the text before an unsigned option converts it:
// CLI11 would wrap "-1" round to 2^64 - 1, and saturates text beyond the signed range, so
// `max` must stay below 2^63 - 1. The error reads "--flag: Value -1 not in range 0 to max".
inline CLI::Validator WholeNumber(std::int64_t max) { return CLI::Range(std::int64_t{0}, max); }

// The largest random seed a flag accepts.
inline constexpr std::int64_t kMaxSeed = 1'000'000'000'000'000'000;

}  // namespace wyckoff::cli
