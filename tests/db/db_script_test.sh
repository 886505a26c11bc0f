#!/usr/bin/env bash
# scripts/db.sh end to end (ctest db_script, label integration-db): status before anything
# exists, start (create, migrate, URL), status, a stored run, stop, and a restart that finds the
# run again under the same URL. The cluster lives in a temporary folder (XDG_DATA_HOME).
#
# Environment: WYCKOFF_BIN, the wyckoff executable. Exits 1 at the first failed check.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
db=$repo/scripts/db.sh
wyckoff=${WYCKOFF_BIN:?set WYCKOFF_BIN to the wyckoff executable}
# As root the server runs as postgres, which may not reach a private TMPDIR: /tmp then.
base=${TMPDIR:-/tmp}
[[ $(id -u) -ne 0 ]] || base=/tmp
work=$(mktemp -d "$base/wyckoff-db-script.XXXXXX")
chmod 0755 "$work"  # as root, the server runs as postgres and must reach its folder
export XDG_DATA_HOME=$work/xdg WYCKOFF_BIN=$wyckoff
unset WYCKOFF_DB WYCKOFF_DB_DIR
dir=$work/xdg/wyckoff/postgresql
trap '"$db" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

passed=0
fail() {
  echo "db_script_test: FAILED: $*" >&2
  exit 1
}
expect_eq() {  # WHAT ACTUAL EXPECTED
  [[ $2 == "$3" ]] || fail "$1: got '$2', expected '$3'"
  passed=$((passed + 1))
}

status=0
out=$("$db" status) || status=$?
expect_eq "status before start: exit" "$status" 1
expect_eq "status before start" "$out" "db: no database yet; scripts/db.sh start creates one in $dir"

url=$("$db" start 2>"$work/start.err")
[[ $url =~ ^postgresql://wyckoff:[0-9a-f]{32}@127\.0\.0\.1:([0-9]+)/wyckoff$ ]] ||
  fail "start printed '$url', not the URL"
port=${BASH_REMATCH[1]}
passed=$((passed + 1))
expect_eq "start: what it did" "$(head -n 1 "$work/start.err")" \
  "db: creating a PostgreSQL cluster in $dir"
expect_eq "start: migrated" "$(tail -n 1 "$work/start.err")" \
  "6 migrations applied: the database is up to date (6 migrations)"
expect_eq "url" "$("$db" url)" "$url"
expect_eq "url file mode" "$(stat -c %a "$dir/url")" 600
expect_eq "status when running" "$("$db" status)" \
  "db: running on 127.0.0.1:$port, data in $dir"$'\n'"db: URL $url"

cd "$repo"
stored=$(WYCKOFF_DB=$url "$wyckoff" backtest --db '' --data data/daily/ko-1997-1998.csv | tail -n 1)
expect_eq "a run stored through WYCKOFF_DB" "$stored" "stored as run 1"

expect_eq "stop" "$("$db" stop 2>&1)" "db: stopped (the data stays in $dir)"
status=0
out=$("$db" status) || status=$?
expect_eq "status when stopped: exit" "$status" 1
expect_eq "status when stopped" "$out" "db: stopped, data in $dir (scripts/db.sh start)"

again=$("$db" start 2>"$work/restart.err")
expect_eq "restart: the same URL" "$again" "$url"
expect_eq "restart: nothing to migrate" "$(cat "$work/restart.err")" \
  "nothing to apply: the database is up to date (6 migrations)"
runs=$(WYCKOFF_DB=$url "$wyckoff" db runs | sed -n 2p)
[[ $runs == " 1  backtest  COMPLETED  "* ]] || fail "the stored run is gone after a restart: $runs"
passed=$((passed + 1))

echo "db_script_test: $passed passed, 0 failed"
