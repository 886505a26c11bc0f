#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ and runs each for SECONDS; fails on any crash.
#
#   scripts/fuzz.sh 15                 # every target for 15 s
#   FUZZ_TARGETS=decimal_parse scripts/fuzz.sh 300
#
# Steps:
#   1. Configures build/fuzz (FUZZ_BUILD_DIR) with clang++-16 (FUZZ_CXX), RelWithDebInfo and
#      -DWYCKOFF_FUZZ=ON: every library under AddressSanitizer and UBSan with libFuzzer's
#      coverage; no tests, no benchmarks. Builds the target wyckoff_fuzz (JOBS jobs, default 2).
#   2. Runs each target (fuzz/*_fuzzer.cc) for SECONDS on a working corpus in
#      FUZZ_BUILD_DIR/corpus/TARGET, seeded from fuzz/corpus/TARGET (never written to), with
#      fuzz/dict/TARGET.dict when there is one. A crash, a sanitizer report, a leak, a timeout
#      (10 s per input) or an out-of-memory (2 GB) stops that target and leaves its input in
#      FUZZ_BUILD_DIR/artifacts/TARGET/; the log is FUZZ_BUILD_DIR/logs/TARGET.log.
#   3. Prints one line per target: "fuzz target csv_bar_reader: 123456 runs, 0 crashes".
#
# A crash found is fixed and becomes a regression test under tests/ (the input, the exact
# error expected); reproduce one with FUZZ_BUILD_DIR/fuzz/fuzz_TARGET ARTIFACT.
#
# Exit status: 0 every target ran clean, 1 a target crashed, 2 the build failed or usage.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "fuzz: $*" >&2
  exit 2
}

[[ $# -eq 1 && $1 =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/fuzz.sh SECONDS (per target)"
SECONDS_PER_TARGET=$1
BUILD=${FUZZ_BUILD_DIR:-build/fuzz}
JOBS=${JOBS:-2}
CXX_COMPILER=${FUZZ_CXX:-clang++-16}
command -v "$CXX_COMPILER" >/dev/null ||
  die "no $CXX_COMPILER: install clang-16 and libclang-rt-16-dev (scripts/install-deps.sh)"

# ---- 1. Build ---------------------------------------------------------------------------------
mkdir -p "$BUILD"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER="$CXX_COMPILER" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWYCKOFF_FUZZ=ON -DWYCKOFF_BUILD_TESTS=OFF \
  -DWYCKOFF_BUILD_BENCHMARKS=OFF >"$BUILD/configure.log" 2>&1 ||
  die "configuring $BUILD failed; see $BUILD/configure.log"
cmake --build "$BUILD" --target wyckoff_fuzz -j "$JOBS" >"$BUILD/build.log" 2>&1 ||
  die "building the fuzz targets failed; see $BUILD/build.log"

# ---- 2. Run -----------------------------------------------------------------------------------
mapfile -t targets < <(find fuzz -maxdepth 1 -name '*_fuzzer.cc' -printf '%f\n' |
  sed 's/_fuzzer\.cc$//' | sort)
if [[ -n ${FUZZ_TARGETS:-} ]]; then read -r -a targets <<<"$FUZZ_TARGETS"; fi
((${#targets[@]} > 0)) || die "no fuzz targets in fuzz/"

# run_target NAME: fuzzes one target; prints its line; returns 1 when it crashed.
run_target() {
  local name=$1 exe=$BUILD/fuzz/fuzz_$1 corpus=$BUILD/corpus/$1 artifacts=$BUILD/artifacts/$1
  local log=$BUILD/logs/$1.log runs crashes status=0
  local -a options=(-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=10
    -rss_limit_mb=2048 -artifact_prefix="$artifacts/")
  [[ -x $exe ]] || die "no fuzz target $exe"
  [[ -f fuzz/dict/$name.dict ]] && options+=(-dict="fuzz/dict/$name.dict")
  rm -rf "$artifacts"
  mkdir -p "$corpus" "$artifacts" "$BUILD/logs"
  "$exe" "${options[@]}" "$corpus" "fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  crashes=$(find "$artifacts" -type f | wc -l)
  ((status == 0 || crashes > 0)) || crashes=1  # died without leaving an input
  echo "fuzz target $name: ${runs:-0} runs, $crashes $( ((crashes == 1)) && echo crash || echo crashes)"
  if ((crashes > 0)); then
    find "$artifacts" -type f -printf "fuzz:   input %p; log $log\n" >&2
    return 1
  fi
}

failed=0
for target in "${targets[@]}"; do run_target "$target" || failed=1; done
exit "$failed"
