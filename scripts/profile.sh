#!/usr/bin/env bash
# CPU profiles and flame graphs of the main workloads (profiles/README.md) and of single
# benchmarks (the gate's failing ones, in CI).
#
#   scripts/profile.sh backtest-sma-cross    # -> build/profiles/backtest-sma-cross.svg
#   scripts/profile.sh backtest-wyckoff      # -> build/profiles/backtest-wyckoff.svg
#   scripts/profile.sh walk-forward-wyckoff  # -> build/profiles/walk-forward-wyckoff.svg
#   scripts/profile.sh --out DIR WORKLOAD    # the SVG in DIR instead; --out profiles replaces
#                                            # the committed flame graphs (profiles/README.md)
#   scripts/profile.sh benchmarks 'REGEX' DIR
#       # every benchmark whose name matches REGEX (a --benchmark_filter), each in its own
#       # process of its executable under the profiler: DIR/NAME.prof and DIR/NAME.svg
#
# Backtest workloads: 8 symbols x 1,000,000 synthetic 1-minute bars (scripts/synthetic-bars.py,
# one file given 8 times) on one clock, through `wyckoff backtest --profile`; about 1 s of CPU
# for sma-cross, giving several hundred samples. Profiles, collapsed stacks and the data go to
# build/profiles/, and so does the SVG unless --out names another folder: the committed
# profiles/*.svg change only when asked (--out profiles).
#
# Benchmarks are profiled by preloading gperftools' libprofiler (CPUPROFILE=FILE), so the
# benchmark executables need no profiler linked in; each runs for PROFILE_SECONDS (3).
#
# Environment: BUILD_DIR (build/release; built with scripts/build.sh when it is the default),
# CPUPROFILE_FREQUENCY (1000 samples per CPU second requested; the kernel's tick may cap it).
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "profile: $*" >&2
  exit 2
}

BUILD_DIR=${BUILD_DIR:-}
export CPUPROFILE_FREQUENCY=${CPUPROFILE_FREQUENCY:-1000}
PROFILE_SECONDS=${PROFILE_SECONDS:-3}
WORK=build/profiles

usage="usage: scripts/profile.sh [--out DIR] backtest-sma-cross|backtest-wyckoff|walk-forward-wyckoff|benchmarks REGEX DIR"
SVG_DIR=$WORK
if [[ ${1:-} == --out ]]; then
  (($# >= 2)) || die "$usage"
  SVG_DIR=$2
  shift 2
fi
(($# >= 1)) || die "$usage"
workload=$1

# build TARGET...: builds the default tree with scripts/build.sh, or the given BUILD_DIR.
build() {
  if [[ -z $BUILD_DIR ]]; then
    BUILD_DIR=build/release
    scripts/build.sh "$@" >&2 || die "building $* failed"
  else
    cmake --build "$BUILD_DIR" --target "$@" >&2 || die "building $* in $BUILD_DIR failed"
  fi
}

# profile_backtest NAME STRATEGY PARAM...: the 8 x 1M-bar backtest under the profiler.
profile_backtest() {
  local name=$1 strategy=$2
  shift 2
  build wyckoff
  mkdir -p "$WORK" "$SVG_DIR"
  local data=$WORK/bars-1m.csv
  [[ -s $data ]] || python3 scripts/synthetic-bars.py 1000000 "$data"
  local -a args=()
  for s in 1 2 3 4 5 6 7 8; do args+=(--data "$data" --symbol "SYN$s"); done
  for p in "$@"; do args+=(--param "$p"); done
  echo "profile: $name: wyckoff backtest --strategy $strategy on 8 x 1M bars" >&2
  "$BUILD_DIR/cli/wyckoff" backtest "${args[@]}" --strategy "$strategy" --quantity 10 \
    --cash 1000000 --profile "$WORK/$name.prof" >"$WORK/$name.out" ||
    die "the backtest failed; see $WORK/$name.out"
  TITLE="wyckoff backtest --strategy $strategy, 8 symbols x 1M one-minute bars" \
    scripts/flamegraph.sh "$WORK/$name.prof" "$BUILD_DIR/cli/wyckoff" "$SVG_DIR/$name.svg"
}

# profile_walk_forward: a wyckoff walk-forward (2 x 2 grid, 3-month train, 1-month test) over
# one symbol of 1M one-minute bars, on two threads, sampled at 1 kHz.
profile_walk_forward() {
  local name=walk-forward-wyckoff
  build wyckoff
  mkdir -p "$WORK" "$SVG_DIR"
  local data=$WORK/bars-1m.csv
  [[ -s $data ]] || python3 scripts/synthetic-bars.py 1000000 "$data"
  echo "profile: $name: wyckoff walk-forward --strategy wyckoff on 1M bars" >&2
  CPUPROFILE_FREQUENCY=1000 "$BUILD_DIR/cli/wyckoff" walk-forward --data "$data" --symbol SYN \
    --strategy wyckoff --grid spring_volume_max=0.6,0.7 --grid min_reward_risk=2,2.5 \
    --train 3m --test 1m --objective net_profit --quantity 10 --jobs 2 \
    --profile "$WORK/$name.prof" >"$WORK/$name.out" ||
    die "the walk-forward failed; see $WORK/$name.out"
  TITLE="wyckoff walk-forward --strategy wyckoff, 1M one-minute bars, 2x2 grid, 3m/1m windows" \
    scripts/flamegraph.sh "$WORK/$name.prof" "$BUILD_DIR/cli/wyckoff" "$SVG_DIR/$name.svg"
}

# profile_benchmarks REGEX DIR: one profiled process per matching benchmark.
profile_benchmarks() {
  local regex=$1 dir=$2 exe name file
  local libprofiler
  libprofiler=$(ldconfig -p | awk '/libprofiler\.so/ { print $NF; exit }')
  [[ -n $libprofiler ]] || die "libprofiler.so not found (Debian package libgoogle-perftools4)"
  [[ -n $BUILD_DIR ]] || build all
  mkdir -p "$dir"
  for exe in "$BUILD_DIR"/benchmarks/wyckoff_*_benchmark; do
    [[ -x $exe ]] || continue
    while read -r name; do
      [[ -n $name ]] || continue
      file=$dir/$(tr '/:<>' '____' <<<"$name")
      echo "profile: $name ($(basename "$exe"))" >&2
      LD_PRELOAD=$libprofiler CPUPROFILE=$file.prof "$exe" \
        --benchmark_filter="^$(sed 's/[][\.^$*+?(){}|]/\\&/g' <<<"$name")\$" \
        --benchmark_min_time="$PROFILE_SECONDS" >"$file.log" 2>&1 ||
        die "$name failed under the profiler; see $file.log"
      TITLE="$name" scripts/flamegraph.sh "$file.prof" "$exe" "$file.svg" ||
        echo "profile: no flame graph for $name" >&2
    done < <("$exe" --benchmark_list_tests --benchmark_filter="$regex" 2>/dev/null)
  done
}

case $workload in
  backtest-sma-cross) profile_backtest backtest-sma-cross sma-cross fast=10 slow=30 ;;
  backtest-wyckoff) profile_backtest backtest-wyckoff wyckoff ;;
  walk-forward-wyckoff) profile_walk_forward ;;
  benchmarks)
    (($# == 3)) || die "usage: scripts/profile.sh benchmarks REGEX DIR"
    profile_benchmarks "$2" "$3"
    ;;
  *) die "unknown workload '$workload' (backtest-sma-cross, backtest-wyckoff, walk-forward-wyckoff, benchmarks)" ;;
esac
