#!/usr/bin/env bash
# The whole-process table of docs/performance.md ("End to end"): what a user runs, timed as a
# user sees it (wall time of the whole process, median of RUNS runs; peak resident set from
# /usr/bin/time in one more run), side by side with a reference command on the same files in the same session.
#
#   scripts/perf-table.sh                          # build/release's wyckoff; files in build/perf
#   BEFORE=/path/to/old/wyckoff scripts/perf-table.sh   # before and after columns
#   RUNS=5 BIG=0 WF=0 GEN=0 scripts/perf-table.sh  # fewer runs; no 10M-bar, walk-forward or
#                                                  # generate rows
#
# With BEFORE, every row runs the two builds alternately (before, after, before, ...), so that
# the machine's drift falls on both alike; a row the before build cannot run (an option it
# does not have) shows "n/a" there.
#
# Rows: --help; a backtest of the bundled 30,889 1-minute bars with and without --out; 1M and
# 10M generated 1-minute bars with and without --out, against one awk pass summing the close
# column of the same file (the reference: reading the file once, as simply as it gets); the
# cached 1M-bar run (--cache, second run); a walk-forward of the wyckoff strategy over 6
# files of 1M bars (WF_RUNS runs); generate --bars 1000000 (GEN_RUNS runs); with DB=1, the
# 1M-bar backtest stored in a throwaway PostgreSQL server (scripts/pg-test-server.sh), and its
# rows per second: the rows stored (equity steps, trades, fills, orders, counted from the
# report files) over the wall time the database adds to the run; with CSV_BENCH (a
# wyckoff_csv_benchmark, and BEFORE_CSV_BENCH for the before column), BM_Csv_Load100MB.
# Prints a Markdown table.
set -euo pipefail
export LC_ALL=C  # EPOCHREALTIME and awk with a decimal point
cd "$(dirname "$0")/.."
WYCKOFF=${WYCKOFF:-build/release/cli/wyckoff}
BEFORE=${BEFORE:-}
RUNS=${RUNS:-7}
WF_RUNS=${WF_RUNS:-3}
GEN_RUNS=${GEN_RUNS:-3}
BIG=${BIG:-1}
WF=${WF:-1}
GEN=${GEN:-1}
DB=${DB:-0}
CSV_BENCH=${CSV_BENCH:-}
BEFORE_CSV_BENCH=${BEFORE_CSV_BENCH:-}
DIR=${PERF_DIR:-build/perf}
die() { echo "perf-table: $*" >&2; exit 2; }
[[ -x $WYCKOFF ]] || die "no executable at $WYCKOFF (build first)"
[[ -z $BEFORE || -x $BEFORE ]] || die "no executable at BEFORE=$BEFORE"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$DIR"

BUILDS=(after)
[[ -n $BEFORE ]] && BUILDS=(before after)
exe() { [[ $1 == before ]] && echo "$BEFORE" || echo "$WYCKOFF"; }

# can BUILD OPTION: whether BUILD's backtest has OPTION.
can() {
  local help
  help=$("$(exe "$1")" backtest --help 2>/dev/null) || true  # whole, not through grep -q
  [[ $help == *"$2"* ]]
}

# measure RUNS LABEL COMMAND...: one row. In COMMAND, the word WYCKOFF stands for the build's
# executable and OUT for a folder of the build's own. Prints the median wall seconds and the
# largest peak RSS (MiB) of each build; NEEDS (an option the command uses) makes a build
# without it "n/a".
NEEDS=
PREP=  # a function run (untimed) before each run, with the build's name
declare -A MEDIAN=() DB_URL=()
measure() {
  local runs=$1 label=$2
  shift 2
  local -A times=() rss=()
  local i b arg median start
  local -a cmd
  for ((i = 0; i <= runs; i++)); do  # the last run measures memory, under /usr/bin/time
    for b in "${BUILDS[@]}"; do
      [[ -n $NEEDS ]] && ! can "$b" "$NEEDS" && continue
      cmd=()
      for arg in "$@"; do  # quoted replacements: a '&' in a URL stays a '&'
        arg=${arg//WYCKOFF/"$(exe "$b")"}
        arg=${arg//DBURL/"${DB_URL[$b]:-}"}
        cmd+=("${arg//OUT/"$DIR/out-$b"}")
      done
      [[ -n $PREP ]] && "$PREP" "$b"
      if ((i == runs)); then
        /usr/bin/time -o "$DIR/time.txt" -f '%M' "${cmd[@]}" >/dev/null 2>"$DIR/stderr.txt" ||
          die "failed ($b): ${cmd[*]}: $(tail -1 "$DIR/stderr.txt")"
        rss[$b]=$(tail -1 "$DIR/time.txt")
        continue
      fi
      start=$EPOCHREALTIME
      "${cmd[@]}" >/dev/null 2>"$DIR/stderr.txt" ||
        die "failed ($b): ${cmd[*]}: $(tail -1 "$DIR/stderr.txt")"
      times[$b]+="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f", b - a }') "
    done
  done
  local row="| $label |"
  for b in "${BUILDS[@]}"; do
    if [[ -z ${times[$b]:-} ]]; then
      row+=" n/a | n/a |"
      continue
    fi
    # shellcheck disable=SC2086  # the times are one word each
    median=$(printf '%s\n' ${times[$b]} | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    MEDIAN[$b]=$median
    row+=" $(awk -v t="$median" 'BEGIN { printf(t < 0.1 ? "%.1f ms" : "%.2f s", t < 0.1 ? t * 1000 : t) }') |"
    row+=" $(awk -v k="${rss[$b]}" 'BEGIN{printf "%.1f", k/1024}') MiB |"
  done
  echo "$row"
}

bars() {  # bars N FILE [SEED]: a generated 1-minute file, made once
  [[ -s $2 ]] || "$WYCKOFF" generate --bars "$1" --seed "${3:-3}" --out "$2" >/dev/null
}

bars 1000000 "$DIR/1m.csv"
((BIG)) && bars 10000000 "$DIR/10m.csv"
if ((WF)); then
  for s in 1 2 3 4 5 6; do bars 1000000 "$DIR/wf$s.csv" "$((10 + s))"; done
fi
futures=data/intraday/estx50-futures-2006-01-02-1min.csv

if [[ -n $BEFORE ]]; then
  echo "| what a user runs | before: wall (median) | before: peak RSS | after: wall (median) | after: peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: |"
else
  echo "| what a user runs | wall (median of $RUNS) | peak RSS |"
  echo "| --- | ---: | ---: |"
fi
measure "$RUNS" '`wyckoff --help`' WYCKOFF --help
measure "$RUNS" "backtest, 30,889 1-minute bars, \`--out\`" WYCKOFF backtest --data "$futures" --out OUT
measure "$RUNS" "backtest, 30,889 1-minute bars" WYCKOFF backtest --data "$futures"
measure "$RUNS" "backtest, 1 M bars, \`--out\`" WYCKOFF backtest --data "$DIR/1m.csv" --out OUT
measure "$RUNS" "backtest, 1 M bars" WYCKOFF backtest --data "$DIR/1m.csv"
declare -A PLAIN=()
for b in "${BUILDS[@]}"; do PLAIN[$b]=${MEDIAN[$b]}; done
for b in "${BUILDS[@]}"; do  # the cache entry, made once per build before the timed hits
  if can "$b" --cache; then
    rm -rf "$DIR/out-$b-cache"
    "$(exe "$b")" backtest --data "$DIR/1m.csv" --cache "$DIR/out-$b-cache" >/dev/null
  fi
done
NEEDS=--cache measure "$RUNS" "backtest, 1 M bars, \`--cache\` (a hit)" WYCKOFF backtest --data "$DIR/1m.csv" --cache OUT-cache
if ((DB)); then
  # One throwaway server; a database per build (their schemas differ), migrated by the build.
  eval "$(scripts/pg-test-server.sh start)"
  trap 'scripts/pg-test-server.sh stop >/dev/null 2>&1 || true' EXIT
  for b in "${BUILDS[@]}"; do
    psql -q "$WYCKOFF_TEST_DB" -c "CREATE DATABASE perf_$b" >/dev/null
    DB_URL[$b]=${WYCKOFF_TEST_DB/\/postgres\?//perf_$b?}
    "$(exe "$b")" db migrate --db "${DB_URL[$b]}" >/dev/null
  done
  # Each run starts from a settled database: the last run's rows vacuumed and analysed, so
  # that autovacuum of one run's rows does not fall into the next.
  settle() { psql -q "${DB_URL[$1]}" -c "VACUUM ANALYZE" -c CHECKPOINT >/dev/null; }
  PREP=settle measure "$RUNS" "backtest, 1 M bars, \`--db\` (stored in PostgreSQL)" \
    WYCKOFF backtest --data "$DIR/1m.csv" --db DBURL
  # The rows stored: one per equity step, trade, fill and order (the report files' rows).
  rate="| results to PostgreSQL: rows stored per second the database adds |"
  for b in "${BUILDS[@]}"; do
    rows=0
    for f in equity trades fills orders; do
      [[ -s $DIR/out-$b/$f.csv ]] && rows=$((rows + $(wc -l <"$DIR/out-$b/$f.csv") - 1))
    done
    rate+=" $(awk -v r="$rows" -v d="${MEDIAN[$b]}" -v p="${PLAIN[$b]}" \
      'BEGIN { if (d > p) printf "%.0f k rows/s (%d rows)", r / (d - p) / 1000, r;
               else printf "n/a (no slower than without --db)" }') | |"
  done
  echo "$rate"
fi
measure "$RUNS" "awk summing the close column, 1 M bars" awk -F, 'NR > 1 { s += $6 } END { print s }' "$DIR/1m.csv"
if ((BIG)); then
  measure "$RUNS" "backtest, 10 M bars, \`--out\`" WYCKOFF backtest --data "$DIR/10m.csv" --out OUT
  measure "$RUNS" "backtest, 10 M bars" WYCKOFF backtest --data "$DIR/10m.csv"
  measure "$RUNS" "awk summing the close column, 10 M bars" awk -F, 'NR > 1 { s += $6 } END { print s }' "$DIR/10m.csv"
fi
if ((WF)); then
  wf_data=()
  for s in 1 2 3 4 5 6; do wf_data+=(--data "$DIR/wf$s.csv"); done
  measure "$WF_RUNS" "walk-forward of wyckoff, 6 files x 1 M bars (4 combinations, 6m/3m, 2 jobs)" \
    WYCKOFF walk-forward "${wf_data[@]}" --strategy wyckoff --grid spring_volume_max=0.8,1.0 \
    --grid spring_min_confidence=0.5,0.6 --train 6m --test 3m --jobs 2
fi
((GEN)) && measure "$GEN_RUNS" '`generate --bars 1000000`' WYCKOFF generate --bars 1000000 --out OUT.csv
if [[ -n $CSV_BENCH ]]; then  # Google Benchmark's own timing, the median of RUNS processes
  declare -A csv=()
  for ((i = 0; i < RUNS; i++)); do
    for b in "${BUILDS[@]}"; do
      bench=$CSV_BENCH
      [[ $b == before ]] && bench=$BEFORE_CSV_BENCH
      [[ -x $bench ]] || continue
      csv[$b]+="$("$bench" --benchmark_filter='^BM_Csv_Load100MB$' --benchmark_format=csv 2>/dev/null |
        awk -F, '/^"BM_Csv_Load100MB"/ { print $3 }') "
    done
  done
  row="| CSV benchmark, 100 MB (\`BM_Csv_Load100MB\`, median of $RUNS processes) |"
  for b in "${BUILDS[@]}"; do
    # shellcheck disable=SC2086
    [[ -n ${csv[$b]:-} ]] && row+=" $(printf '%s\n' ${csv[$b]} | sort -g |
      awk '{a[NR]=$1} END {printf "%.3f s", a[int((NR+1)/2)] / 1000}') | |" || row+=" n/a | |"
  done
  echo "$row"
fi
