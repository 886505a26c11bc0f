// Fixture checks shared by the benchmark executables: a fixture that cannot be built fails
// loudly, never by quietly timing less work (a CSV load that stops at a bad row, a grid that
// did not parse).
//
//   const ParamDimension fast = ValueOrAbort(ParseGridSpec("fast=5:20:5"), "grid fast=5:20:5");
//
// Inside a benchmark function, report with state.SkipWithError(message) instead: the run then
// prints ERROR OCCURRED, which fails the ctest smoke runs (benchmarks/cmake/smoke_test.cmake)
// and turns the benchmark's budget rows into NOT RUN failures. Abort only where there is no
// State (helpers called inside the timed loop, fixtures built once per process).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>

#include "wyckoff/core/error.h"

namespace wyckoff::benchmarks {

// Prints "benchmark fixture failed: WHAT" on stderr and aborts the process.
[[noreturn]] inline void FixtureFailed(const std::string& what) {
  std::fprintf(stderr, "benchmark fixture failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// The value of `result`; aborts through FixtureFailed ("WHAT: the error") when it is an error.
template <typename T>
T ValueOrAbort(Result<T> result, const std::string& what) {
  if (!result) FixtureFailed(what + ": " + result.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace wyckoff::benchmarks
