// Validators shared by the subcommands' flags.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace wyckoff::cli {

// A whole number from 0 to `max`, checked on the text before an unsigned option converts it:
// CLI11 would wrap "-1" round to 2^64 - 1, and saturates text beyond the signed range, so
// `max` must stay below 2^63 - 1. The error reads "--flag: Value -1 not in range 0 to max".
inline CLI::Validator WholeNumber(std::int64_t max) { return CLI::Range(std::int64_t{0}, max); }

// --on-bad-row and --allow-nonpositive-prices: how every command reads bar files.
inline void AddBarInputFlags(CLI::App* cmd, std::string& on_bad_row,
                             bool& allow_nonpositive_prices) {
  cmd->add_option("--on-bad-row", on_bad_row,
                  "stop (exit 2) or skip (count and report): what a bad row does")
      ->check(CLI::IsMember({"stop", "skip"}))
      ->capture_default_str();
  cmd->add_flag("--allow-nonpositive-prices", allow_nonpositive_prices,
                "Accept prices at or below zero (some futures and spreads trade there)");
}

// --cache DIR, defaulting to $WYCKOFF_CACHE: the stage cache of parsed CSV files
// (engine/bar_cache.h).
inline void AddCacheFlag(CLI::App* cmd, std::string& cache) {
  cmd->add_option("--cache", cache,
                  "Keep parsed CSV files in this folder and map them on later runs "
                  "(keyed by the file's bytes; default: $WYCKOFF_CACHE)")
      ->envname("WYCKOFF_CACHE");
}

// The largest random seed a flag accepts.
inline constexpr std::int64_t kMaxSeed = 1'000'000'000'000'000'000;

}  // namespace wyckoff::cli
