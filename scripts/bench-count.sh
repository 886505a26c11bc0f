#!/usr/bin/env bash
# The regression gate's counted stage (docs/benchmarks.md): what each counted benchmark costs
# per iteration in instructions and estimated cycles, under Cachegrind. These figures do not
# move with the host's speed, so one run a side is a measurement, where times need many.
#
#   scripts/bench-count.sh --out counts.json build/release/benchmarks/*_benchmark
#   scripts/bench-count.sh --filter '^BM_Order' --out counts.json \
#       build/release/benchmarks/wyckoff_engine_benchmark
#
# Counted benchmarks are those registered with ->Apply(benchmarks::Counted)
# (benchmarks/counted.h): with WYCKOFF_BENCH_ITERATIONS=N they run exactly N iterations. Each
# one runs twice under Cachegrind, at N and 2N iterations, with the same simulated caches on
# every machine (I1 and D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines); the difference of
# the two runs is the cost of N iterations alone, without the process's start, the fixtures or
# the first iteration's lazy set-up. Estimated cycles: L1 hits + 5 x LL hits + 35 x memory
# accesses (instruction fetches and data reads and writes), so a change in cache behaviour shows
# even when the instructions stay the same.
#
# Two counts of the same plan agree to a tenth of an instruction an iteration or so, not
# exactly: Google Benchmark prints the times it measured, and formatting their digits costs a
# few hundred instructions more or less from one process to the next.
#
# N is chosen so that N iterations take about a millisecond natively (one short calibration run
# per executable). --plan FILE keeps the choice: read when FILE exists, else written there, so
# that the gate's two sides count the same iterations.
#
# Options: --out FILE (required: the counts, JSON, read by `wyckoff bench compare
# --counted-base/--counted-head`), --filter REGEX (extended regular expression on the benchmark
# names, as --benchmark_filter), --plan FILE, --jobs N (parallel Cachegrind runs; 2).
# Needs valgrind.
#
# Exit status: 0 counted (also when nothing matched: the file then lists no benchmark), 2 bad
# usage, no valgrind, or a benchmark that failed or crashed (the line names its log).
set -euo pipefail

readonly kCaches=(--I1=32768,8,64 --D1=32768,8,64 --LL=8388608,16,64)
readonly kVariable=WYCKOFF_BENCH_ITERATIONS

die() {
  echo "bench-count: $*" >&2
  exit 2
}

OUT= FILTER= PLAN= JOBS=2
EXES=()
while (($# > 0)); do
  case $1 in
    --out) OUT=${2:?}; shift 2 ;;
    --filter) FILTER=${2?}; shift 2 ;;
    --plan) PLAN=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    -*) die "unknown option '$1' (see the header of scripts/bench-count.sh)" ;;
    *) EXES+=("$1"); shift ;;
  esac
done
[[ -n $OUT ]] || die "usage: scripts/bench-count.sh --out FILE [--filter REGEX] [--plan FILE] [--jobs N] EXE..."
((${#EXES[@]} > 0)) || die "no benchmark executable given"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer, not '$JOBS'"
command -v valgrind >/dev/null 2>&1 || die "valgrind is not installed (apt-get install valgrind)"
for exe in "${EXES[@]}"; do
  [[ -x $exe ]] || die "$exe: not an executable"
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# counted_names EXE: the counted benchmarks of EXE that FILTER selects, one per line. A
# counted benchmark lists as NAME/iterations:1 when the variable is 1; nothing else does
# (a benchmark with its own fixed count lists with that count, never 1 by accident here).
# Ends the script (through the caller's `|| exit 2`: this runs in a command substitution) when
# the listing fails, FILTER is not a regular expression, or a counted benchmark has more in its
# name after its count (UseRealTime, Threads), which the counted runs could not select.
counted_names() {
  local names counted status=0
  names=$(env "$kVariable=1" "$1" --benchmark_list_tests) || die "$1 --benchmark_list_tests failed"
  if grep -q '/iterations:1/' <<<"$names"; then
    die "$1: $(grep -m1 '/iterations:1/' <<<"$names" | sed 's|/iterations:1/.*||') is counted," \
      "but its name goes on after its count (UseRealTime, Threads): it cannot be counted"
  fi
  counted=$(sed -n 's|/iterations:1$||p' <<<"$names")
  [[ -n $counted ]] || return 0
  grep -E -- "${FILTER:-.}" <<<"$counted" || status=$?
  ((status <= 1)) || die "--filter '$FILTER' is not a valid extended regular expression"
}

# regex_escape NAME: NAME with the characters special to --benchmark_filter escaped.
regex_escape() {
  sed 's/[][\.*+?(){}|^$]/\\&/g' <<<"$1"
}

# calibrate EXE NAME...: "EXE<TAB>NAME<TAB>N" lines, N iterations being about 1 ms natively
# (a tenth of what Google Benchmark runs in 10 ms).
calibrate() {
  local exe=$1 filter
  shift
  filter="^($(for name in "$@"; do regex_escape "$name"; done | paste -sd'|'))\$"
  "$exe" --benchmark_filter="$filter" --benchmark_min_time=0.01 --benchmark_format=json \
    2>"$WORK/calibrate.log" >"$WORK/calibrate.json" || die "calibrating $exe failed; see its output:
$(tail -5 "$WORK/calibrate.log")"
  awk -v exe="$exe" -F'"' '
    /"name":/ { name = $4 }
    /"iterations":/ { split($0, f, ":"); n = int((f[2] + 0) / 10); if (n < 1) n = 1; print exe "\t" name "\t" n }
  ' "$WORK/calibrate.json"
}

# ---- The plan: which benchmark, how many iterations ------------------------------------------

if [[ -n $PLAN && -s $PLAN ]]; then
  cp "$PLAN" "$WORK/plan"
else
  : >"$WORK/plan"
  for exe in "${EXES[@]}"; do
    listed=$(counted_names "$exe") || exit 2
    [[ -n $listed ]] || continue
    mapfile -t names <<<"$listed"
    calibrate "$exe" "${names[@]}" >>"$WORK/plan"
  done
  [[ -z $PLAN ]] || cp "$WORK/plan" "$PLAN"
fi

# The plan names executables by path (the base's); each side counts its own executable of the
# same file name. A planned benchmark that these executables do not count (the head removed or
# renamed it, or an executable is gone) is left out with a note: the comparison then lists it
# as missing from one side.
declare -A LISTED=()
for exe in "${EXES[@]}"; do
  LISTED[$exe]=$(counted_names "$exe") || exit 2
done
: >"$WORK/tasks"
task=0
while IFS=$'\t' read -r planned name n; do
  exe=
  for candidate in "${EXES[@]}"; do
    [[ $(basename "$candidate") == "$(basename "$planned")" ]] && exe=$candidate
  done
  if [[ -z $exe ]] || ! grep -qxF -- "$name" <<<"${LISTED[$exe]}"; then
    echo "bench-count: $name is not counted by the executables given; left out" >&2
    continue
  fi
  task=$((task + 1))
  printf '%s\t%s\t%s\t%s\t%s\n' "$exe" "$name" "$n" "$((2 * n))" "$task" >>"$WORK/tasks"
done <"$WORK/plan"

# ---- Counting ---------------------------------------------------------------------------------

# count_one EXE NAME N ID: one Cachegrind run of NAME at N iterations (its files named by ID);
# prints "NAME N Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw".
count_one() {
  local exe=$1 name=$2 n=$3 id=$4 out log
  out=$WORK/$id.cg
  log=$WORK/$id.log
  if ! env "$kVariable=$n" valgrind --tool=cachegrind --cache-sim=yes "${kCaches[@]}" \
    --cachegrind-out-file="$out" "$exe" --benchmark_filter="^$(regex_escape "$name")/iterations:$n\$" \
    --benchmark_format=json >"$log.json" 2>"$log"; then
    cp "$log" "$OUT.failed.log" 2>/dev/null || true
    echo "bench-count: $name ($n iterations) failed under Cachegrind; see $OUT.failed.log" >&2
    return 1
  fi
  if ! grep -qF "\"name\": \"$name/iterations:$n\"" "$log.json" ||
    grep -q '"error_occurred": true' "$log.json" || ! grep -q '^summary:' "$out"; then
    cat "$log.json" "$log" >"$OUT.failed.log" 2>/dev/null || true
    echo "bench-count: $name ($n iterations) did not run or reported an error; see $OUT.failed.log" >&2
    return 1
  fi
  awk -v name="$name" -v n="$n" '/^summary:/ { $1 = ""; print name, n $0 }' "$out"
}
export -f count_one regex_escape
export WORK OUT kVariable
export KCACHES="${kCaches[*]}"

# Both runs of a benchmark go to separate jobs; the order of the results does not matter.
awk -F'\t' '{ print $1 "\t" $2 "\t" $3 "\t" $5 "a"; print $1 "\t" $2 "\t" $4 "\t" $5 "b" }' \
  "$WORK/tasks" |
  xargs -r -d '\n' -P "$JOBS" -I{} bash -c '
    kCaches=($KCACHES)
    IFS=$'"'"'\t'"'"' read -r exe name n id <<<"$1"
    count_one "$exe" "$name" "$n" "$id"' _ {} >"$WORK/runs" ||
  die "a counted run failed (see above)"

# ---- The counts file --------------------------------------------------------------------------

# Per benchmark: the two runs' difference over the N extra iterations. Written in the plan's
# order.
awk -v valgrind="$(valgrind --version)" -v caches="${kCaches[*]}" '
  FILENAME == ARGV[1] { run[$1, $2] = $0; next }  # the runs: name n events...
  {
    split($0, task, "\t"); name = task[2]; n1 = task[3]; n2 = task[4]
    if (!((name, n1) in run) || !((name, n2) in run)) {
      print "bench-count: no count of " name " at " n1 " or " n2 " iterations" > "/dev/stderr"
      failed = 1; exit 1
    }
    split(run[name, n1], a, " "); split(run[name, n2], b, " ")
    for (i = 3; i <= 11; i++) d[i - 2] = b[i] - a[i]
    # d: 1 Ir, 2 I1mr, 3 ILmr, 4 Dr, 5 D1mr, 6 DLmr, 7 Dw, 8 D1mw, 9 DLmw
    l1_misses = d[2] + d[5] + d[8]; memory = d[3] + d[6] + d[9]
    cycles = (d[1] + d[4] + d[7] - l1_misses) + 5 * (l1_misses - memory) + 35 * memory
    exe = task[1]; sub(/.*\//, "", exe)
    rows[++count] = sprintf("    {\"name\": \"%s\", \"executable\": \"%s\", \"iterations\": %d, \"instructions\": %.1f, \"estimated_cycles\": %.1f}", name, exe, n2 - n1, d[1] / (n2 - n1), cycles / (n2 - n1))
  }
  END {
    if (failed) exit 1
    printf "{\n  \"wyckoff_counts\": 1,\n  \"context\": {\"tool\": \"%s --tool=cachegrind --cache-sim=yes %s\", \"estimated_cycles\": \"L1 hits + 5 x LL hits + 35 x memory accesses\"},\n  \"benchmarks\": [\n", valgrind, caches
    for (i = 1; i <= count; i++) printf "%s%s\n", rows[i], i < count ? "," : ""
    printf "  ]\n}\n"
  }
' "$WORK/runs" "$WORK/tasks" >"$WORK/counts.json" || die "the counts are incomplete (see above)"
mv "$WORK/counts.json" "$OUT"
echo "bench-count: $(wc -l <"$WORK/tasks") benchmarks counted into $OUT" >&2
