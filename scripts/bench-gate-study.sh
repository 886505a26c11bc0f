#!/usr/bin/env bash
# How often the regression gate is wrong (docs/performance.md): runs scripts/bench-gate.sh
# COMPARISONS times in each of two studies, interleaved so that the machine's drift falls on
# both alike, each comparison as the gate runs in a pull request (its rounds, and the re-run
# of what fails):
#
#   A/A       one build against itself (BENCH_GATE_AA=1): any FAIL is a false alarm.
#   slowdown  the head built with -DWYCKOFF_BENCH_SLOWDOWN=ON and SLOWDOWN_TENTHS (15: about
#             15% more work in BM_Metrics_100Trades, nothing else): a FAIL that names
#             BM_Metrics_100Trades is a detection; a FAIL on anything else is a false alarm.
#
#   scripts/bench-gate-study.sh 50        # 50 + 50 comparisons
#   scripts/bench-gate-study.sh 2         # a quick look that the study runs
#
# Builds happen once per side (later gate runs find them up to date). Every comparison's
# verdict, failures, wall time and the machine's 1-minute load average when it started go to
# build-gate/study/comparisons.csv (or STUDY_CSV); the summary (counts, rates with their exact
# one-sided 95% bounds, median and largest wall time per comparison) to
# build-gate/study/summary.md, and to stdout. With STUDY_APPEND=1 an existing STUDY_CSV is
# kept and COMPARISONS more of each are added: a study can be gathered over several quiet
# stretches (the summary covers every row).
#
# The default selection is all counted benchmarks (benchmarks/counted.h), for which the gate's
# counted stage decides and the timed stage can only WARN; BENCH_GATE_TIMING=0 leaves the timed
# rounds out, which then changes no verdict and saves most of each comparison's time.
#
# Environment: SLOWDOWN_TENTHS (15), STUDY_DIR (build-gate/study), and the gate's own: ROUNDS
# (12), REPETITIONS (3), MIN_TIME (0.05), PIN_CPU, JOBS, BENCH_FILTER (default the gate
# self-test's selection of small engine, Decimal and detector benchmarks; '' is the whole
# suite, which takes much longer). BENCH_GATE_NO_DATABASE is 1 unless set: the default
# selection has no database benchmark.
#
# Exit status: 0 false alarms <= 1% and detections >= 95% (the bars of the gate), 1 otherwise,
# 2 a gate could not run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

[[ $# -eq 1 && $1 =~ ^[1-9][0-9]*$ ]] || {
  echo "usage: scripts/bench-gate-study.sh COMPARISONS (per study)" >&2
  exit 2
}
N=$1
SLOWDOWN_TENTHS=${SLOWDOWN_TENTHS:-15}
STUDY=${STUDY_DIR:-$PWD/build-gate/study}
export ROUNDS=${ROUNDS:-12} REPETITIONS=${REPETITIONS:-3} MIN_TIME=${MIN_TIME:-0.05}
export BENCH_FILTER=${BENCH_FILTER-'^(BM_Metrics_100Trades|BM_Order_Simulation|BM_Positions_Track10|BM_Backtest_SmaCross|BM_Features_Volume100|BM_Spring_100Bars|BM_Sos_100Bars|BM_Utad_100Bars|BM_Pipeline_100Bars|BM_Signal_PerBar|BM_Decimal_.*)$'}
export BENCH_GATE_NO_DATABASE=${BENCH_GATE_NO_DATABASE:-1}
readonly kSlowed='BM_Metrics_100Trades'
CSV=${STUDY_CSV:-$STUDY/comparisons.csv}
SUMMARY=$STUDY/summary.md
mkdir -p "$STUDY"
if [[ ${STUDY_APPEND:-0} != 1 || ! -s $CSV ]]; then
  echo "study,comparison,exit,failures,seconds,load" >"$CSV"
fi
FIRST=$(($(grep -c '^aa,' "$CSV" || true) + 1))

# compare STUDY I ENV...: one gate run; appends its row to the CSV.
compare() {
  local study=$1 i=$2 start status failures load
  shift 2
  start=$(date +%s)
  load=$(cut -d' ' -f1 /proc/loadavg)
  env GATE_DIR="$STUDY/$study" "$@" scripts/bench-gate.sh HEAD >"$STUDY/$study.$i.log" 2>&1
  status=$?
  if ((status > 1)); then
    echo "bench-gate-study: the $study gate could not run (exit $status); see $STUDY/$study.$i.log" >&2
    exit 2
  fi
  failures=$(cat "$STUDY/$study/failing.regex" 2>/dev/null || true)
  echo "$study,$i,$status,\"$failures\",$(($(date +%s) - start)),$load" >>"$CSV"
  echo "bench-gate-study: $study $i (to $((FIRST + N - 1))): exit $status${failures:+ ($failures)}, $(($(date +%s) - start)) s" >&2
}

for ((i = FIRST; i < FIRST + N; i++)); do
  compare aa "$i" BENCH_GATE_AA=1 HEAD_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=OFF
  compare slowdown "$i" BASE_SOURCE_DIR="$PWD" BASE_CMAKE_ARGS=-DWYCKOFF_BENCH_SLOWDOWN=OFF \
    HEAD_CMAKE_ARGS="-DWYCKOFF_BENCH_SLOWDOWN=ON -DWYCKOFF_BENCH_SLOWDOWN_TENTHS=$SLOWDOWN_TENTHS"
done

# The summary. Bounds: exact (Clopper-Pearson) one-sided 95%, by bisection on the binomial CDF.
awk -F, -v slowed="$kSlowed" -v tenths="$SLOWDOWN_TENTHS" \
  -v settings="BENCH_GATE_TIMING=${BENCH_GATE_TIMING:-1} ROUNDS=$ROUNDS REPETITIONS=$REPETITIONS MIN_TIME=$MIN_TIME" '
function cdf(k, n, p,   i, term, sum) {  # P(X <= k), X ~ Binomial(n, p)
  if (p <= 0) return 1
  if (p >= 1) return k >= n ? 1 : 0
  term = (1 - p) ^ n; sum = term
  for (i = 1; i <= k; i++) { term *= (n - i + 1) / i * p / (1 - p); sum += term }
  return sum
}
function upper(k, n,   lo, hi, mid, it) {  # the p with P(X <= k) = 0.05
  if (k >= n) return 1
  lo = k / n; hi = 1
  for (it = 0; it < 60; it++) { mid = (lo + hi) / 2; if (cdf(k, n, mid) > 0.05) lo = mid; else hi = mid }
  return hi
}
function lower(k, n) { return k == 0 ? 0 : 1 - upper(n - k, n) }
function median(a, m,   i, j, t) {
  for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
NR > 1 {
  study = $1; fail = $3 == 1; failures = $4; gsub(/"/, "", failures)
  count[study]++
  loads[++rows] = $6 + 0; if ($6 + 0 > most_load) most_load = $6 + 0
  secs[study, count[study]] = $5; if ($5 > most[study]) most[study] = $5
  if (study == "aa" && fail) aa_false++
  if (study == "slowdown" && fail && index(failures, slowed)) detected++
  if (study == "slowdown" && fail && failures != "^(" slowed ")$") slow_false++
}
END {
  for (i = 1; i <= count["aa"]; i++) a[i] = secs["aa", i]
  aa_med = median(a, count["aa"])
  for (i = 1; i <= count["slowdown"]; i++) b[i] = secs["slowdown", i]
  sl_med = median(b, count["slowdown"])
  for (i = 1; i <= rows; i++) l[i] = loads[i]
  printf "# Regression gate study\n\n%d A/A and %d slowdown comparisons; %s; slowed head: WYCKOFF_BENCH_SLOWDOWN_TENTHS=%s on %s; 1-minute load average at their start: median %s, largest %s.\n\n", count["aa"], count["slowdown"], settings, tenths, slowed, median(l, rows), most_load + 0
  printf "| study | comparisons | outcome | rate | exact 95%% bound | gate wall time, median (max) |\n| --- | ---: | --- | ---: | --- | --- |\n"
  printf "| A/A | %d | %d false alarms | %.1f%% | <= %.1f%% | %s s (%s s) |\n", count["aa"], aa_false, 100 * aa_false / count["aa"], 100 * upper(aa_false, count["aa"]), aa_med, most["aa"]
  printf "| slowdown | %d | %d detected | %.1f%% | >= %.1f%% | %s s (%s s) |\n", count["slowdown"], detected, 100 * detected / count["slowdown"], 100 * lower(detected, count["slowdown"]), sl_med, most["slowdown"]
  printf "| slowdown | %d | %d failed on another benchmark | %.1f%% | <= %.1f%% | |\n", count["slowdown"], slow_false, 100 * slow_false / count["slowdown"], 100 * upper(slow_false, count["slowdown"])
  ok = aa_false <= 0.01 * count["aa"] && detected >= 0.95 * count["slowdown"]
  printf "\nBars (false alarms <= 1%%, detections >= 95%%): %s.\n", ok ? "met" : "NOT met"
  exit ok ? 0 : 1
}' "$CSV" >"$SUMMARY"
status=$?
cat "$SUMMARY"
exit "$status"
