#!/usr/bin/env bash
# The regression gate's own test (docs/benchmarks.md): two runs of scripts/bench-gate.sh on
# this tree as it is (uncommitted changes included; nothing in git changes).
#
#   1. A/A: the head build against itself (BENCH_GATE_AA=1). Expected: PASS (exit 0).
#   2. Slowed head: the base built as is, the head built with -DWYCKOFF_BENCH_SLOWDOWN=ON,
#      which adds about 30% to MetricsAccumulator::Finish. Expected: FAIL (exit 1) on
#      BM_Metrics_100Trades, confirmed by the re-run, and on no other benchmark.
#
#   scripts/bench-gate-selftest.sh              # prints both outcomes and their durations
#
# Environment: passed on to the gate: ROUNDS (12), REPETITIONS (3), MIN_TIME (0.05), JOBS (2),
# PIN_CPU (1), GATE_SEED; BENCH_FILTER (default: the small engine and detector benchmarks
# below, which keeps a run to a few minutes; '' runs the whole suite). Builds and results go to
# build-gate/selftest/{aa,slowed}; the report to build-gate/selftest/report.md.
#
# Exit status: 0 both outcomes as expected, 1 otherwise, 2 a gate could not run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

export ROUNDS=${ROUNDS:-12} REPETITIONS=${REPETITIONS:-3} MIN_TIME=${MIN_TIME:-0.05}
export BENCH_FILTER=${BENCH_FILTER-'^(BM_Metrics_100Trades|BM_Order_Simulation|BM_Positions_Track10|BM_Backtest_SmaCross|BM_Features_Volume100|BM_Spring_100Bars|BM_Sos_100Bars|BM_Utad_100Bars|BM_Pipeline_100Bars|BM_Signal_PerBar|BM_Decimal_.*)$'}
readonly kExpectedFailures='^(BM_Metrics_100Trades)$'
SELFTEST=$PWD/build-gate/selftest
REPORT=$SELFTEST/report.md
mkdir -p "$SELFTEST"

# gate NAME EXPECTED_STATUS ENV...: runs the gate with the environment assignments, its output
# in $SELFTEST/NAME.log; sets `verdict` (PASS/FAIL/ERROR), `seconds` and `failures`.
gate() {
  local name=$1 expected=$2 start status
  shift 2
  start=$(date +%s)
  echo "bench-gate-selftest: $name gate (expecting exit $expected), log in $SELFTEST/$name.log" >&2
  env GATE_DIR="$SELFTEST/$name" "$@" scripts/bench-gate.sh HEAD >"$SELFTEST/$name.log" 2>&1
  status=$?
  seconds=$(($(date +%s) - start))
  failures=$(cat "$SELFTEST/$name/failing.regex" 2>/dev/null || true)
  case $status in
    0) verdict=PASS ;;
    1) verdict=FAIL ;;
    *) verdict="ERROR (exit $status; see $SELFTEST/$name.log)" ;;
  esac
}

ok=1
gate aa 0 BENCH_GATE_AA=1 HEAD_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=OFF
aa_verdict=$verdict aa_seconds=$seconds aa_failures=$failures
[[ $aa_verdict == PASS ]] || ok=0

gate slowed 1 BASE_SOURCE_DIR="$PWD" BASE_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=OFF \
  HEAD_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=ON
slowed_verdict=$verdict slowed_seconds=$seconds slowed_failures=$failures
[[ $slowed_verdict == FAIL && $slowed_failures == "$kExpectedFailures" ]] || ok=0

{
  echo "# Benchmark gate self-test"
  echo
  echo "ROUNDS=$ROUNDS REPETITIONS=$REPETITIONS MIN_TIME=$MIN_TIME BENCH_FILTER=${BENCH_FILTER:-(all)}"
  echo
  echo "| run | expected | outcome | confirmed failures | duration |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| A/A (head against itself) | PASS | $aa_verdict | ${aa_failures:-none} | ${aa_seconds} s |"
  echo "| slowed head (WYCKOFF_BENCH_SLOWDOWN) | FAIL on BM_Metrics_100Trades only |" \
    "$slowed_verdict | ${slowed_failures:-none} | ${slowed_seconds} s |"
  echo
  echo "Self-test: $( ((ok)) && echo PASSED || echo FAILED)."
  echo
  echo "Comment of the slowed run:"
  echo
  cat "$SELFTEST/slowed/comment.md" 2>/dev/null || echo "(none)"
} >"$REPORT"
cat "$REPORT"

[[ $aa_verdict == ERROR* || $slowed_verdict == ERROR* ]] && exit 2
((ok)) && exit 0 || exit 1
