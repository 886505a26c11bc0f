#!/usr/bin/env bash
# The whole-process table of docs/performance.md ("End to end"): what a user runs, timed as a
# user sees it (wall time of the whole process, median of RUNS runs, peak resident set from
# /usr/bin/time), side by side with a reference command on the same files in the same session.
#
#   scripts/perf-table.sh                      # build/release's wyckoff; files in build/perf
#   WYCKOFF=/path/to/old/wyckoff scripts/perf-table.sh   # another build (a "before" column)
#   RUNS=5 BIG=0 scripts/perf-table.sh         # fewer runs; leave out the 10M-bar rows
#
# Rows: --help; a backtest of the bundled 30,889 1-minute bars with and without --out; 1M and
# 10M generated 1-minute bars with and without --out, against one awk pass summing the close
# column of the same file (the reference: reading the file once, as simply as it gets); the
# cached 1M-bar run (--cache, second run); generate --bars 1000000. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
WYCKOFF=${WYCKOFF:-build/release/cli/wyckoff}
RUNS=${RUNS:-7}
BIG=${BIG:-1}
DIR=${PERF_DIR:-build/perf}
[[ -x $WYCKOFF ]] || { echo "perf-table: no executable at $WYCKOFF (build first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "perf-table: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
mkdir -p "$DIR"

# measure LABEL COMMAND...: median wall seconds and the largest peak RSS (MiB) over RUNS runs.
measure() {
  local label=$1
  shift
  local times=() rss=0 i out
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -o "$DIR/time.txt" -f '%e %M' "$@" >/dev/null 2>&1 ||
      { echo "perf-table: failed: $*" >&2; exit 2; }
    out=$(tail -1 "$DIR/time.txt")
    times+=("${out%% *}")
    ((${out##* } > rss)) && rss=${out##* }
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %s | %s s | %.1f MiB |\n' "$label" "$median" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}

bars() {  # bars N FILE: a generated 1-minute file, made once
  [[ -s $2 ]] || "$WYCKOFF" generate --bars "$1" --seed 3 --out "$2" >/dev/null
}

bars 1000000 "$DIR/1m.csv"
((BIG)) && bars 10000000 "$DIR/10m.csv"
futures=data/intraday/estx50-futures-2006-01-02-1min.csv

echo "| what a user runs | wall (median of $RUNS) | peak RSS |"
echo "| --- | ---: | ---: |"
measure '`wyckoff --help`' "$WYCKOFF" --help
measure "backtest, 30,889 1-minute bars, \`--out\`" "$WYCKOFF" backtest --data "$futures" --out "$DIR/out-futures"
measure "backtest, 30,889 1-minute bars" "$WYCKOFF" backtest --data "$futures"
measure "backtest, 1 M bars, \`--out\`" "$WYCKOFF" backtest --data "$DIR/1m.csv" --out "$DIR/out-1m"
measure "backtest, 1 M bars" "$WYCKOFF" backtest --data "$DIR/1m.csv"
rm -rf "$DIR/cache"
"$WYCKOFF" backtest --data "$DIR/1m.csv" --cache "$DIR/cache" >/dev/null
measure "backtest, 1 M bars, \`--cache\` (a hit)" "$WYCKOFF" backtest --data "$DIR/1m.csv" --cache "$DIR/cache"
measure "awk summing the close column, 1 M bars" awk -F, 'NR > 1 { s += $6 } END { print s }' "$DIR/1m.csv"
if ((BIG)); then
  measure "backtest, 10 M bars, \`--out\`" "$WYCKOFF" backtest --data "$DIR/10m.csv" --out "$DIR/out-10m"
  measure "backtest, 10 M bars" "$WYCKOFF" backtest --data "$DIR/10m.csv"
  measure "awk summing the close column, 10 M bars" awk -F, 'NR > 1 { s += $6 } END { print s }' "$DIR/10m.csv"
fi
measure '`generate --bars 1000000`' "$WYCKOFF" generate --bars 1000000 --out "$DIR/generated.csv"
