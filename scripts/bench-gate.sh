#!/usr/bin/env bash
# The benchmark regression gate (docs/benchmarks.md): fails when the head is more than 10%
# slower than BASE_REF on any benchmark: in instructions or estimated cycles for the counted
# benchmarks, in time with statistical evidence, confirmed by a re-run, for the rest.
#
#   scripts/bench-gate.sh origin/main          # from the project's root, on a clean tree
#   ROUNDS=4 REPETITIONS=2 MIN_TIME=0.01 scripts/bench-gate.sh HEAD~1   # a quick look
#
# Steps:
#   1. Builds the base (a git worktree of BASE_REF in build-gate/base-src, built in
#      build-gate/base) and the head (this tree as it is, uncommitted changes included, built
#      in build-gate/head), both Release with the same flags and no -march=native.
#   1b. The counted stage: scripts/bench-count.sh counts every counted benchmark (single-
#      threaded, CPU-bound: benchmarks/counted.h) of both builds under Cachegrind, with one
#      iteration plan for both sides, into build-gate/counts/{base,head}.json. Those figures
#      do not move with the host, so they decide for those benchmarks: their times can WARN
#      but not FAIL.
#   2. Runs every benchmark executable (benchmarks/*_benchmark in each build) of both builds
#      for ROUNDS rounds, in random order within each round, each process with
#      --benchmark_repetitions=REPETITIONS and per-repetition rows kept; pinned to one core
#      with taskset when it works.
#   3. `wyckoff bench compare` (the head's CLI) on all the JSON files and the counts: each file is one
#      process, reduced to the median of its repetitions, so n = ROUNDS per side; an exact
#      Mann-Whitney U per benchmark (ties included), FAIL when > 10% worse with p < 0.01.
#      ROUNDS below 5 can never fail (4 + 4 reach p = 0.0143 at best), and the report says so.
#   4. Re-runs only the failing benchmarks (--benchmark_filter) for another ROUNDS rounds and
#      compares again: the gate fails only if they fail again.
#   5. Writes the pull-request comment to build-gate/comment.md, and the --benchmark_filter of
#      the confirmed failures (empty when none) to build-gate/failing.regex.
#
# Environment: ROUNDS (12), REPETITIONS (3), MIN_TIME (0.05 seconds per repetition; Google
# Benchmark 1.7 takes a plain number), JOBS (build jobs, 2), PIN_CPU (1; empty to not pin),
# GATE_SEED (seeds the shuffles, for a reproducible order), BENCH_GATE_AA=1 (runs the head
# build against itself instead of building BASE_REF: the gate's own A/A test, which must
# come out clean), BENCH_FILTER (a --benchmark_filter for the first phase; default every
# benchmark), HEAD_CMAKE_ARGS / BASE_CMAKE_ARGS (extra CMake arguments for one side's build,
# split on spaces: HEAD_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=ON is the gate's self-test),
# BASE_SOURCE_DIR (build the base from this folder instead of a worktree of BASE_REF, which
# then only names it; nothing in git changes), GATE_DIR (build-gate under the repository),
# BENCH_GATE_NO_DATABASE=1 (no throwaway PostgreSQL server: the database benchmarks skip),
# BENCH_GATE_COUNT=0 (no counted stage: times decide alone; otherwise valgrind is required),
# BENCH_GATE_TIMING=0 (no timed rounds: the counts decide alone, and benchmarks that are not
# counted are not compared; the gate study uses it, its selection being all counted).
#
# Exit status: 0 no confirmed regression (WARN passes), 1 a regression failed twice, 2 the
# gate could not run (bad ref, build failure, a benchmark crashed, unreadable results).
set -euo pipefail

ROUNDS=${ROUNDS:-12}
REPETITIONS=${REPETITIONS:-3}
MIN_TIME=${MIN_TIME:-0.05}
JOBS=${JOBS:-2}
PIN_CPU=${PIN_CPU-1}
GATE_SEED=${GATE_SEED:-}
BENCH_GATE_AA=${BENCH_GATE_AA:-0}
BENCH_FILTER=${BENCH_FILTER:-}
BENCH_GATE_COUNT=${BENCH_GATE_COUNT:-1}
BENCH_GATE_TIMING=${BENCH_GATE_TIMING:-1}
read -r -a HEAD_CMAKE_ARGS <<<"${HEAD_CMAKE_ARGS:-}"
read -r -a BASE_CMAKE_ARGS <<<"${BASE_CMAKE_ARGS:-}"
BASE_SOURCE_DIR=${BASE_SOURCE_DIR:-}

die() {
  echo "bench-gate: $*" >&2
  exit 2
}

[[ $# -eq 1 ]] || die "usage: scripts/bench-gate.sh BASE_REF (see the header for the environment)"
BASE_REF=$1
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, not '$ROUNDS'"
[[ $REPETITIONS =~ ^[1-9][0-9]*$ ]] || die "REPETITIONS must be a positive integer, not '$REPETITIONS'"
[[ $MIN_TIME =~ ^[0-9]*\.?[0-9]+$ ]] || die "MIN_TIME must be a number of seconds without a unit, not '$MIN_TIME'"
[[ $BENCH_GATE_COUNT == 1 || $BENCH_GATE_TIMING == 1 ]] ||
  die "BENCH_GATE_COUNT=0 and BENCH_GATE_TIMING=0 leave nothing to compare"
if [[ $BENCH_GATE_COUNT == 1 ]] && ! command -v valgrind >/dev/null 2>&1; then
  die "the counted stage needs valgrind (apt-get install valgrind), or BENCH_GATE_COUNT=0 to gate on times alone"
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)  # git is needed only to check out BASE_REF
GATE=${GATE_DIR:-$ROOT/build-gate}
BASE_SRC=$GATE/base-src
BASE_BUILD=$GATE/base
HEAD_BUILD=$GATE/head
RESULTS=$GATE/results
COMMENT=$GATE/comment.md
mkdir -p "$GATE"

# ---- Building ---------------------------------------------------------------------------------

# build SOURCE_DIR BUILD_DIR [CMAKE_ARG...]: configures and builds everything (the libraries,
# the CLI and the benchmark executables; tests off) in Release, with the extra arguments.
build() {
  local src=$1 bin=$2
  shift 2
  echo "bench-gate: building $src in $bin${*:+ with $*}" >&2
  cmake -S "$src" -B "$bin" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWYCKOFF_BUILD_TESTS=OFF \
    -DWYCKOFF_BUILD_BENCHMARKS=ON "$@" >"$bin.configure.log" 2>&1 ||
    die "configuring $src failed; see $bin.configure.log"
  cmake --build "$bin" -j "$JOBS" >"$bin.build.log" 2>&1 ||
    die "building $src failed; see $bin.build.log"
}

# checkout_base SHA: the base commit in a detached worktree, reused (and moved) between runs.
checkout_base() {
  local sha=$1
  # Only a worktree whose top level is BASE_SRC itself: a leftover folder inside this
  # repository would otherwise make the checkout below move this repository's own tree.
  if [[ $(git -C "$BASE_SRC" rev-parse --show-toplevel 2>/dev/null) == "$BASE_SRC" ]]; then
    git -C "$BASE_SRC" checkout --quiet --force --detach "$sha" ||
      die "cannot check out $BASE_REF in $BASE_SRC"
  else
    rm -rf "$BASE_SRC"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add --quiet --detach "$BASE_SRC" "$sha" ||
      die "cannot add a worktree of $BASE_REF at $BASE_SRC"
  fi
  echo "bench-gate: base is $BASE_REF ($sha)" >&2
}

# benchmark_executables BUILD_DIR: the suite's executables, one path per line, sorted.
benchmark_executables() {
  [[ -d $1/benchmarks ]] || return 0
  find "$1/benchmarks" -maxdepth 2 -type f -perm -u+x -name '*_benchmark' | sort
}

# ---- Running ----------------------------------------------------------------------------------

PIN=()
if [[ -n $PIN_CPU ]] && command -v taskset >/dev/null 2>&1 && taskset -c "$PIN_CPU" true 2>/dev/null; then
  PIN=(taskset -c "$PIN_CPU")
fi

shuffle() {
  if [[ -n $GATE_SEED ]]; then
    shuf --random-source=<(yes "$GATE_SEED-$1")
  else
    shuf
  fi
}

# run_rounds PHASE FILTER: runs every base and head executable once per round, in a random
# order within each round, writing $RESULTS/PHASE/{base,head}/NAME.rROUND.json. An empty
# FILTER runs every benchmark.
run_rounds() {
  local phase=$1 filter=$2 round job side exe name out
  local -a jobs=() order=() filter_flag=()
  [[ -n $filter ]] && filter_flag=("--benchmark_filter=$filter")
  rm -rf "${RESULTS:?}/$phase"
  mkdir -p "$RESULTS/$phase/base" "$RESULTS/$phase/head"
  for exe in "${BASE_EXES[@]}"; do jobs+=("base $exe"); done
  for exe in "${HEAD_EXES[@]}"; do jobs+=("head $exe"); done
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "bench-gate: $phase round $round/$ROUNDS" >&2
    mapfile -t order < <(printf '%s\n' "${jobs[@]}" | shuffle "$phase-$round")
    for job in "${order[@]}"; do
      side=${job%% *}
      exe=${job#* }
      name=$(basename "$exe")
      out=$RESULTS/$phase/$side/$name.r$round.json
      "${PIN[@]}" "$exe" --benchmark_repetitions="$REPETITIONS" \
        --benchmark_min_time="$MIN_TIME" --benchmark_format=json \
        --benchmark_out="$out" --benchmark_out_format=json "${filter_flag[@]}" \
        >"$out.log" 2>&1 || die "$side $name failed in round $round; see $out.log"
    done
  done
}

# result_files PHASE SIDE: the non-empty JSON files of one side (a filter that matches nothing
# in an executable leaves an empty file).
result_files() {
  find "$RESULTS/$1/$2" -name '*.json' -size +0 | sort
}

# ---- The gate ---------------------------------------------------------------------------------

# The database benchmarks (their write path and query shapes) are gated like the rest: without
# a configured server ($WYCKOFF_BENCH_DB or $WYCKOFF_TEST_DB) the gate runs itself again inside
# one throwaway PostgreSQL server (scripts/pg-test-server.sh), shared by both sides and every
# round (each benchmark process seeds a database of its own). BENCH_GATE_NO_DATABASE=1, or no
# PostgreSQL binaries, leaves them out (they skip, and the comparison ignores them).
if [[ -z ${WYCKOFF_BENCH_DB:-} && -z ${WYCKOFF_TEST_DB:-} && ${BENCH_GATE_NO_DATABASE:-0} != 1 ]]; then
  if [[ -n ${WYCKOFF_PG_BIN:-} ]] || compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null ||
    command -v pg_ctl >/dev/null; then
    echo "bench-gate: starting a throwaway PostgreSQL server for the database benchmarks" >&2
    exec "$ROOT/scripts/pg-test-server.sh" run -- "$ROOT/scripts/bench-gate.sh" "$@"
  fi
  echo "bench-gate: no PostgreSQL server binaries; the database benchmarks will skip" >&2
fi

if [[ $BENCH_GATE_AA != 1 && -z $BASE_SOURCE_DIR ]]; then
  BASE_SHA=$(git -C "$ROOT" rev-parse --verify --quiet "$BASE_REF^{commit}") ||
    die "'$BASE_REF' is not a commit"
fi
build "$ROOT" "$HEAD_BUILD" "${HEAD_CMAKE_ARGS[@]}"
mapfile -t HEAD_EXES < <(benchmark_executables "$HEAD_BUILD")
if [[ $BENCH_GATE_AA == 1 ]]; then
  echo "bench-gate: A/A run, the head build against itself" >&2
  BASE_EXES=("${HEAD_EXES[@]}")
elif [[ -n $BASE_SOURCE_DIR ]]; then
  echo "bench-gate: base is $BASE_REF, built from $BASE_SOURCE_DIR" >&2
  build "$BASE_SOURCE_DIR" "$BASE_BUILD" "${BASE_CMAKE_ARGS[@]}"
  mapfile -t BASE_EXES < <(benchmark_executables "$BASE_BUILD")
else
  checkout_base "$BASE_SHA"
  build "$BASE_SRC" "$BASE_BUILD" "${BASE_CMAKE_ARGS[@]}"
  mapfile -t BASE_EXES < <(benchmark_executables "$BASE_BUILD")
fi
((${#HEAD_EXES[@]} > 0)) || die "no *_benchmark executables in $HEAD_BUILD/benchmarks"
((${#BASE_EXES[@]} > 0)) || die "no *_benchmark executables in $BASE_BUILD/benchmarks"

CLI=${WYCKOFF_CLI:-$HEAD_BUILD/cli/wyckoff}
[[ -x $CLI ]] || die "the head build has no CLI at $CLI"
echo "bench-gate: ${#BASE_EXES[@]} base and ${#HEAD_EXES[@]} head executables," \
  "$ROUNDS rounds x $REPETITIONS repetitions${PIN:+, pinned to CPU $PIN_CPU}" >&2

# The counted stage: one plan (iterations per benchmark, calibrated on the base) for both sides.
COUNTED=()
if [[ $BENCH_GATE_COUNT == 1 ]]; then
  rm -rf "$GATE/counts"
  mkdir -p "$GATE/counts"
  for side in base head; do
    if [[ $side == base ]]; then exes=("${BASE_EXES[@]}"); else exes=("${HEAD_EXES[@]}"); fi
    echo "bench-gate: counting the $side under Cachegrind" >&2
    "$ROOT/scripts/bench-count.sh" --plan "$GATE/counts/plan" --filter "$BENCH_FILTER" \
      --jobs "$JOBS" --out "$GATE/counts/$side.json" "${exes[@]}" ||
      die "counting the $side failed (see above)"
  done
  COUNTED=(--counted-base "$GATE/counts/base.json" --counted-head "$GATE/counts/head.json")
fi

base_files=() head_files=()
if [[ $BENCH_GATE_TIMING == 1 ]]; then
  run_rounds first "$BENCH_FILTER"
  mapfile -t base_files < <(result_files first base)
  mapfile -t head_files < <(result_files first head)
fi
status=0
"$CLI" bench compare ${base_files[0]+--base "${base_files[@]}"} \
  ${head_files[0]+--head "${head_files[@]}"} "${COUNTED[@]}" \
  --markdown "$COMMENT" --failing-filter-out "$GATE/failing.regex" || status=$?
((status <= 1)) || die "wyckoff bench compare could not compare the results (exit $status)"

# Counted failures are exact and final; a re-run is for timed ones (it re-times every failing
# benchmark, counted or not, which only adds to the comment).
if ((status == 1)) && [[ $BENCH_GATE_TIMING == 1 ]]; then
  filter=$(<"$GATE/failing.regex")
  echo "bench-gate: re-running the failing benchmarks: $filter" >&2
  run_rounds rerun "$filter"
  mapfile -t rerun_base < <(result_files rerun base)
  mapfile -t rerun_head < <(result_files rerun head)
  status=0
  "$CLI" bench compare --base "${base_files[@]}" --head "${head_files[@]}" "${COUNTED[@]}" \
    --rerun-base "${rerun_base[@]}" --rerun-head "${rerun_head[@]}" \
    --markdown "$COMMENT" --failing-filter-out "$GATE/failing.regex" || status=$?
  ((status <= 1)) || die "wyckoff bench compare could not compare the re-run (exit $status)"
fi

echo "bench-gate: comment written to $COMMENT" >&2
exit "$status"
