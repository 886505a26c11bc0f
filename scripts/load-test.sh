#!/usr/bin/env bash
# The load test of docs/serve.md: starts `wyckoff serve` on a free loopback port, runs `wyckoff
# load` against it (100 symbols replaying the bar files of data/daily/, one post every 5 s
# each, for 5 minutes, by default), stops the service with SIGTERM and checks that it exited 0.
# Extra arguments go to `wyckoff load` (they win over the defaults): scripts/load-test.sh
# --duration 30s. Results: results/load/load.json and results/load/load.txt; exit 1 when the
# seed's budgets (average < 2 s, p95 < 5 s, errors < 1%) or a sustained run's levels break.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${WYCKOFF_BIN:-build/release/cli/wyckoff}
out=results/load
mkdir -p "$out"
"$bin" serve --listen 127.0.0.1:0 --threads "${SERVE_THREADS:-2}" >"$out/serve.out" 2>"$out/serve.err" &
serve_pid=$!
trap 'kill -TERM $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$out/serve.out" 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's|.*listening on http://||p' "$out/serve.out")
[[ -n $address ]] || { echo "load-test: wyckoff serve did not start" >&2; cat "$out/serve.err" >&2; exit 1; }
args=(--service "$address" --symbols 100 --interval 5s --duration 5m --warmup-bars 250)
for f in data/daily/*.csv; do args+=(--data-from "$f"); done
status=0
"$bin" load "${args[@]}" "$@" --json >"$out/load.json" || status=$?
kill -TERM $serve_pid
wait $serve_pid || { echo "load-test: wyckoff serve did not exit 0 on SIGTERM" >&2; exit 1; }
trap - EXIT
cat "$out/load.json"
exit $status
