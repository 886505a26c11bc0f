#!/usr/bin/env bash
# The benchmark suite (`make bench`): builds Release, runs every benchmark executable with JSON
# output, then checks the results against benchmarks/budgets.json (docs/performance.md).
#
#   scripts/bench.sh                                # everything; results in build/release/bench/
#   BENCH_FILTER='BM_Signal|BM_Pipeline' scripts/bench.sh   # a subset (a --benchmark_filter)
#
# Steps:
#   1. Builds build/release with scripts/build.sh (which installs the dependencies when root);
#      with BUILD_DIR set, builds that existing tree's CLI and benchmark executables instead
#      (or nothing, with BENCH_NO_BUILD=1).
#   2. Runs each BUILD_DIR/benchmarks/wyckoff_*_benchmark once, writing
#      BUILD_DIR/bench/NAME.json (and NAME.log). The database benchmarks run against
#      $WYCKOFF_BENCH_DB or $WYCKOFF_TEST_DB when set, else inside a throwaway server from
#      scripts/pg-test-server.sh; without PostgreSQL binaries they skip, saying why.
#   3. `wyckoff bench budgets` prints the table (benchmark, metric, measured, floor, regression
#      floor, target, verdict) and writes BUILD_DIR/bench/budgets.md. Without a PostgreSQL
#      server it passes --no-database, so the database budgets are listed as NO DATABASE
#      instead of failing as NOT RUN.
#
# Environment: BUILD_DIR (build/release), BENCH_FILTER (every benchmark), REPETITIONS (1),
# MIN_TIME (Google Benchmark's default, 0.5 s; a plain number of seconds), BENCH_RUNNER_CLASS
# (this machine's runner class, passed as --runner-class: the regression floors of
# budgets.json are enforced when it is theirs; the main-branch workflow sets it).
#
# Exit status: 0 no budget failed, 1 a floor or an enforced regression floor missed or a
# budgeted benchmark did not run, 2 the suite could not run (a build failed, a benchmark
# crashed, unreadable results). With BENCH_FILTER, budgets outside the filter are not checked.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-}
BENCH_FILTER=${BENCH_FILTER:-}
REPETITIONS=${REPETITIONS:-1}
MIN_TIME=${MIN_TIME:-}
BENCH_RUNNER_CLASS=${BENCH_RUNNER_CLASS:-}
database=configured  # "none" once the database benchmarks run without a server

die() {
  echo "bench: $*" >&2
  exit 2
}

[[ $REPETITIONS =~ ^[1-9][0-9]*$ ]] || die "REPETITIONS must be a positive integer, not '$REPETITIONS'"
[[ -z $MIN_TIME || $MIN_TIME =~ ^[0-9]*\.?[0-9]+$ ]] ||
  die "MIN_TIME must be a number of seconds without a unit, not '$MIN_TIME'"

# ---- 1. Build ---------------------------------------------------------------------------------
if [[ -z $BUILD_DIR ]]; then
  BUILD_DIR=build/release
  scripts/build.sh || die "the Release build failed"
elif [[ ${BENCH_NO_BUILD:-0} != 1 ]]; then
  [[ -f $BUILD_DIR/CMakeCache.txt ]] || die "BUILD_DIR=$BUILD_DIR is not a configured build tree"
  mapfile -t targets < <(cmake --build "$BUILD_DIR" --target help |
    sed -n 's/^\(wyckoff_[a-z_]*_benchmark\): .*/\1/p' | sort -u)
  cmake --build "$BUILD_DIR" --target wyckoff "${targets[@]}" || die "building $BUILD_DIR failed"
fi

CLI=$BUILD_DIR/cli/wyckoff
OUT=$BUILD_DIR/bench
[[ -x $CLI ]] || die "no CLI at $CLI"
mapfile -t executables < <(find "$BUILD_DIR/benchmarks" -maxdepth 1 -type f -perm -u+x \
  -name 'wyckoff_*_benchmark' | sort)
((${#executables[@]} > 0)) || die "no wyckoff_*_benchmark executables in $BUILD_DIR/benchmarks"
rm -rf "$OUT"
mkdir -p "$OUT"

# ---- 2. Run -----------------------------------------------------------------------------------
flags=(--benchmark_repetitions="$REPETITIONS" --benchmark_out_format=json)
[[ -n $MIN_TIME ]] && flags+=(--benchmark_min_time="$MIN_TIME")
[[ -n $BENCH_FILTER ]] && flags+=(--benchmark_filter="$BENCH_FILTER")

# run_one EXE: runs one executable, its JSON in $OUT/NAME.json and its console output in
# $OUT/NAME.log (also shown).
run_one() {
  local exe=$1 name
  name=$(basename "$exe")
  # Under a filter, an executable none of whose benchmarks match is skipped (Google Benchmark
  # itself would print "Failed to match any benchmarks" and write no results).
  if [[ -n $BENCH_FILTER ]] &&
    [[ -z $("$exe" --benchmark_list_tests --benchmark_filter="$BENCH_FILTER" 2>/dev/null) ]]; then
    echo "bench: $name: no benchmark matches '$BENCH_FILTER'; skipped" >&2
    return
  fi
  local -a prefix=()
  if [[ $name == wyckoff_db_benchmark && -z ${WYCKOFF_BENCH_DB:-} && -z ${WYCKOFF_TEST_DB:-} ]]; then
    if [[ -n ${WYCKOFF_PG_BIN:-} ]] || compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null ||
      command -v pg_ctl >/dev/null; then
      prefix=(scripts/pg-test-server.sh run --)
    else
      echo "bench: no PostgreSQL server binaries; the database benchmarks will skip" >&2
      database=none
    fi
  fi
  echo "bench: running $name" >&2
  "${prefix[@]}" "$exe" "${flags[@]}" --benchmark_out="$OUT/$name.json" 2>&1 |
    tee "$OUT/$name.log" || die "$name failed; see $OUT/$name.log"
}

for exe in "${executables[@]}"; do run_one "$exe"; done

# ---- 3. Budgets -------------------------------------------------------------------------------
mapfile -t results < <(find "$OUT" -name '*.json' -size +0 | sort)
((${#results[@]} > 0)) || die "no results in $OUT (did the filter match nothing?)"
budget_flags=(--budgets benchmarks/budgets.json --markdown "$OUT/budgets.md")
[[ $database == none ]] && budget_flags+=(--no-database)
[[ -n $BENCH_RUNNER_CLASS ]] && budget_flags+=(--runner-class "$BENCH_RUNNER_CLASS")
[[ -n $BENCH_FILTER ]] && budget_flags+=(--filter "$BENCH_FILTER")
status=0
"$CLI" bench budgets --results "${results[@]}" "${budget_flags[@]}" || status=$?
echo "bench: results in $OUT (JSON per executable, budgets.md)" >&2
exit "$status"
