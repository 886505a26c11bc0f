#!/usr/bin/env bash
# optimize and walk-forward over the ranks of an MPI job (docs/distributed.md), started with
# `mpirun --oversubscribe -np 3` on this machine (ctest label integration-mpi):
#   - the files written by 3 ranks (--out and the --report page) are byte-identical to those of
#     one process with --jobs 1, and so is the output but for the line that says how many ranks
#     ran: a sma-cross grid of 245 combinations on ORCL's bars, a walk-forward of 18 windows,
#     the wyckoff strategy (shared features) in both commands;
#   - a rank killed mid-run (WYCKOFF_MPI_FAULT=kill:2) ends the job with rank 0's error line
#     and no output files;
#   - bad input is one error line and exit 2, however many ranks;
#   - --database (with integration-db, WYCKOFF_TEST_DB): a distributed walk-forward over
#     postgresql: bars is stored once, by rank 0, as the same run one process stores; a killed
#     job stores nothing.
#
#   WYCKOFF_BIN=build/release/cli/wyckoff tests/mpi/mpi_test.sh [--database]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WYCKOFF_BIN:?set WYCKOFF_BIN to the wyckoff program}
database=false
[[ ${1:-} == --database ]] && database=true

if [[ $(id -u) -eq 0 ]]; then  # Open MPI refuses root unless told twice
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
export OMPI_MCA_btl=self,vader   # one machine: shared memory, no network probing
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
mpi() { mpirun --oversubscribe -np 3 "$@"; }

orcl=(--data data/daily/orcl-1995-2014.csv --symbol ORCL)
sma=(--strategy sma-cross --grid fast=2:30:2 --grid slow=20:100:5)
wyckoff=(--strategy wyckoff --grid spring_volume_max=0.5:0.8:0.1 --grid min_reward_risk=1.5:3:0.5)
windows=(--train 2y --test 1y)

# compare NAME ARGS...: one process with --jobs 1 against 3 ranks (1 and 2 threads each).
compare() {
  local name=$1
  shift
  "$bin" "$@" --jobs 1 --out "$tmp/$name-1" --report "$tmp/$name-1.html" >"$tmp/$name-1.txt" \
    2>"$tmp/$name-1.err" ||
    fail "$name: one process exited $?: $(cat "$tmp/$name-1.err")"
  local threads
  for threads in 1 2; do
    local out="$tmp/$name-3x$threads"
    mpi "$bin" "$@" --jobs "$threads" --out "$out" --report "$out.html" >"$out.txt" \
      2>"$out.err" || fail "$name: 3 ranks exited $?: $(cat "$out.err")"
    diff -r "$tmp/$name-1" "$out" >/dev/null || fail "$name: files of 3 ranks x $threads differ"
    cmp -s "$tmp/$name-1.html" "$out.html" || fail "$name: HTML reports of 3 ranks x $threads differ"
    local s="s"
    ((threads == 1)) && s=""
    [[ $(tail -n 1 "$out.txt") == "distributed over 3 ranks (MPI), $threads thread$s each" ]] ||
      fail "$name: last line: $(tail -n 1 "$out.txt")"
    diff "$tmp/$name-1.txt" <(head -n -1 "$out.txt") >/dev/null || fail "$name: output differs"
    [[ -s $out.err ]] && fail "$name: stderr: $(cat "$out.err")"
  done
  echo "ok: $name: 3 ranks x 1 and 2 threads write the files of one process"
}

if ! $database; then
  compare optimize-sma optimize "${orcl[@]}" "${sma[@]}"
  [[ $(grep -c . "$tmp/optimize-sma-1/results.csv") -eq 246 ]] ||
    fail "optimize-sma: expected 245 combinations"
  # Three ranks that find the stage cache empty each store the file's entry; one entry remains,
  # and the files are those of one process.
  mpi "$bin" optimize "${orcl[@]}" "${sma[@]}" --jobs 1 --cache "$tmp/cache" \
    --out "$tmp/cached" >/dev/null 2>&1 || fail "cache: exit $?"
  mpi "$bin" optimize "${orcl[@]}" "${sma[@]}" --jobs 1 --cache "$tmp/cache" \
    --out "$tmp/cached-again" >/dev/null 2>&1 || fail "cache, again: exit $?"
  diff -r "$tmp/optimize-sma-1" "$tmp/cached" >/dev/null || fail "cache: files differ"
  diff -r "$tmp/optimize-sma-1" "$tmp/cached-again" >/dev/null || fail "cache, again: files differ"
  # Beside the entry, the memo of the file's hash (ident-DEVICE-INODE), at most one.
  entries=$(ls -A "$tmp/cache" | grep -v '^ident-[0-9]*-[0-9]*$' || true)
  [[ $(wc -l <<<"$entries") -eq 1 && $entries == *.bars && \
    $(ls -A "$tmp/cache" | grep -c '^ident-' || true) -le 1 ]] ||
    fail "cache: $(ls -A "$tmp/cache")"
  echo "ok: ranks share the stage cache"
  compare walk-forward-sma walk-forward "${orcl[@]}" "${sma[@]}" "${windows[@]}"
  [[ $(grep -c . "$tmp/walk-forward-sma-1/windows.csv") -eq 19 ]] ||
    fail "walk-forward-sma: expected 18 windows"
  compare optimize-wyckoff optimize "${orcl[@]}" "${wyckoff[@]}"
  compare walk-forward-wyckoff walk-forward "${orcl[@]}" "${wyckoff[@]}" "${windows[@]}"

  # A rank that dies mid-run: the launcher ends the job; rank 0 says so; no files.
  status=0
  mpi -x WYCKOFF_MPI_FAULT=kill:2 "$bin" walk-forward "${orcl[@]}" "${sma[@]}" "${windows[@]}" \
    --jobs 1 --out "$tmp/killed" >"$tmp/killed.txt" 2>"$tmp/killed.err" || status=$?
  ((status != 0)) || fail "killed: exit status 0"
  grep -qxF "error: the distributed run was stopped by its launcher before every rank returned \
its runs (a rank died or the job was cancelled; the launcher's message names it); no files were \
written" "$tmp/killed.err" || fail "killed: no error line from rank 0: $(cat "$tmp/killed.err")"
  [[ -e $tmp/killed ]] && fail "killed: output files written: $(ls -A "$tmp/killed")"
  [[ -s $tmp/killed.txt ]] && fail "killed: output on stdout: $(cat "$tmp/killed.txt")"
  echo "ok: a killed rank ends the job with an error and no files"

  # Bad input: every rank meets it; one line, exit 2.
  status=0
  mpi "$bin" optimize --data "$tmp/missing.csv" "${sma[@]}" >"$tmp/bad.txt" 2>"$tmp/bad.err" ||
    status=$?
  ((status == 2)) || fail "bad input: exit status $status"
  [[ $(grep -c '^error: ' "$tmp/bad.err") -eq 1 ]] || fail "bad input: $(cat "$tmp/bad.err")"
  grep -qxF "error: $tmp/missing.csv: cannot open: No such file or directory" "$tmp/bad.err" ||
    fail "bad input: $(cat "$tmp/bad.err")"
  status=0
  mpi "$bin" optimize "${orcl[@]}" "${sma[@]}" --objective bogus >/dev/null 2>"$tmp/usage.err" ||
    status=$?
  ((status == 2)) || fail "usage: exit status $status"
  [[ $(grep '^error: ' "$tmp/usage.err") == 'error: --objective "bogus" is not an objective; expected sharpe, sortino, net_profit, profit_factor or avg_r' ]] ||
    fail "usage: $(cat "$tmp/usage.err")"
  status=0
  mpi "$bin" optimize --no-such-flag >/dev/null 2>"$tmp/usage.err" || status=$?
  ((status == 2)) || fail "usage: exit status $status"
  [[ $(grep -c '^error: ' "$tmp/usage.err") -eq 1 ]] || fail "usage: $(cat "$tmp/usage.err")"
  echo "ok: bad input is one error line and exit 2"

  # An error only some ranks meet reaches rank 0, which says it (MPMD: ranks 1 and 2 get
  # another --data); ranks that read other data are refused before any run.
  sma1=("${sma[@]}" --jobs 1 --out "$tmp/mixed")
  status=0
  mpirun --oversubscribe -np 1 "$bin" optimize "${orcl[@]}" "${sma1[@]}" : \
    -np 2 "$bin" optimize --data "$tmp/missing.csv" "${sma1[@]}" >/dev/null 2>"$tmp/mixed.err" ||
    status=$?
  ((status == 2)) || fail "a rank's error: exit status $status"
  [[ $(grep '^error: ' "$tmp/mixed.err") == "error: rank "[12]": $tmp/missing.csv: cannot open: No such file or directory" ]] ||
    fail "a rank's error: $(cat "$tmp/mixed.err")"
  status=0
  mpirun --oversubscribe -np 2 "$bin" optimize "${orcl[@]}" "${sma1[@]}" : \
    -np 1 "$bin" optimize --data data/daily/yhoo-1996-2015.csv --symbol ORCL "${sma1[@]}" \
    >/dev/null 2>"$tmp/other.err" || status=$?
  ((status == 2)) || fail "other data: exit status $status"
  grep -Eqx "error: rank 2 planned 245 runs \(fingerprint [0-9a-f]{16}\), rank 0 planned 245 \([0-9a-f]{16}\): do all ranks read the same data with the same options\?" \
    "$tmp/other.err" || fail "other data: $(cat "$tmp/other.err")"
  status=0  # an option only rank 2 refuses: no rank waits for it
  timeout 120 mpirun --oversubscribe -np 2 "$bin" optimize "${orcl[@]}" "${sma1[@]}" : \
    -np 1 "$bin" optimize "${orcl[@]}" "${sma1[@]}" --objective bogus >/dev/null \
    2>"$tmp/flag.err" || status=$?
  ((status == 2)) || fail "one rank's flag: exit status $status"
  [[ $(grep '^error: ' "$tmp/flag.err") == 'error: rank 2: --objective "bogus" is not an objective; expected sharpe, sortino, net_profit, profit_factor or avg_r' ]] ||
    fail "one rank's flag: $(cat "$tmp/flag.err")"
  [[ -e $tmp/mixed ]] && fail "a rank's error: files written"
  echo "ok: an error of one rank, or other data on one rank, is said by rank 0; no files"
else
  url=${WYCKOFF_TEST_DB:?set WYCKOFF_TEST_DB (scripts/pg-test-server.sh)}
  name="wyckoff_mpi_$$"
  database_url() { echo "${url/\/postgres\?//$name$1?}"; }
  for suffix in _one _three; do
    psql -q "$url" -c "CREATE DATABASE $name$suffix" >/dev/null
    "$bin" db migrate --db "$(database_url $suffix)" >/dev/null
    "$bin" db import --db "$(database_url $suffix)" --data data/daily/orcl-1995-2014.csv \
      --symbol ORCL --timeframe 1d >/dev/null
  done
  trap 'for s in _one _three; do psql -q "$url" -c "DROP DATABASE IF EXISTS $name$s" \
    >/dev/null 2>&1; done; rm -rf "$tmp"' EXIT
  stored=(walk-forward --data postgresql:ORCL:1d "${sma[@]}" "${windows[@]}" --actor tester)
  "$bin" "${stored[@]}" --jobs 1 --db "$(database_url _one)" >"$tmp/one.txt" ||
    fail "one process: exit $?"
  status=0
  mpi -x WYCKOFF_MPI_FAULT=kill:1 "$bin" "${stored[@]}" --jobs 1 --db "$(database_url _three)" \
    >/dev/null 2>&1 || status=$?
  ((status != 0)) || fail "killed with --db: exit status 0"
  mpi "$bin" "${stored[@]}" --jobs 1 --db "$(database_url _three)" >"$tmp/three.txt" ||
    fail "3 ranks: exit $?"
  [[ $(tail -n 1 "$tmp/three.txt") == "distributed over 3 ranks (MPI), 1 thread each" ]] ||
    fail "3 ranks: last line: $(tail -n 1 "$tmp/three.txt")"
  diff "$tmp/one.txt" <(head -n -1 "$tmp/three.txt") >/dev/null || fail "3 ranks: output differs"
  # One run stored (the killed job stored none), the same as one process stores.
  runs=$("$bin" db runs --db "$(database_url _three)" | tail -n +2)
  [[ $(wc -l <<<"$runs") -eq 1 && $runs == " 1  walk-forward  COMPLETED  "* ]] ||
    fail "3 ranks: stored runs: $runs"
  show() { "$bin" db show 1 --db "$(database_url "$1")" | grep -Ev '^  (started|finished) '; }
  [[ $(show _one | grep -c .) -gt 10 ]] || fail "db show: $(show _one)"
  diff <(show _one) <(show _three) >/dev/null || fail "3 ranks: the stored run differs"
  echo "ok: a distributed walk-forward is stored once, as one process stores it"
fi

if ((failures > 0)); then
  echo "$failures failures" >&2
  exit 1
fi
