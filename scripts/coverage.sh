#!/usr/bin/env bash
# Line coverage of every test: builds build/coverage (Debug, gcov counters in every object;
# the `coverage` preset), runs the whole ctest suite against a throwaway PostgreSQL server
# (scripts/pg-test-server.sh), and reads the counters with gcovr:
#
#   scripts/coverage.sh                 # every label
#   scripts/coverage.sh -LE slow        # arguments go to ctest
#
# Writes build/coverage/coverage/index.html (per file, line by line) and coverage.txt (the
# per-file table), and prints two summaries: the project's own code (every source folder;
# tests, benchmarks' bodies, fuzz targets and third_party left out) and the benchmark
# infrastructure (gate/: the comparator, budgets and ratchet). The bars: 80% of lines
# overall, 90% for gate/ (COVERAGE_MIN_OVERALL, COVERAGE_MIN_GATE). Exit status: 0 both
# bars met and every test passed, 1 a bar missed or a test failed, 2 the build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

MIN_OVERALL=${COVERAGE_MIN_OVERALL:-80}
MIN_GATE=${COVERAGE_MIN_GATE:-90}
BUILD=build/coverage
OUT=$BUILD/coverage
command -v gcovr >/dev/null || { echo "coverage: no gcovr (scripts/install-deps.sh)" >&2; exit 2; }

cmake --preset coverage >/dev/null || exit 2
cmake --build --preset coverage || exit 2

# Counts from an earlier run would add to this one.
find "$BUILD" -name '*.gcda' -delete
rm -rf "$OUT" && mkdir -p "$OUT"

tests_status=0
if [[ -x scripts/pg-test-server.sh ]]; then
  scripts/pg-test-server.sh run -- ctest --preset coverage -j2 "$@" || tests_status=$?
else
  ctest --preset coverage -j2 "$@" || tests_status=$?
fi

# The project's code: every folder with sources, not the tests and harnesses that exercise it.
sources=(--root . --object-directory "$BUILD"
  --exclude 'tests/' --exclude 'benchmarks/' --exclude 'fuzz/' --exclude 'third_party/'
  --exclude 'build/' --exclude-unreachable-branches)

echo "== coverage: the project's code (bar ${MIN_OVERALL}% of lines) =="
overall_status=0
gcovr "${sources[@]}" -j 2 --html-details "$OUT/index.html" --txt "$OUT/coverage.txt" \
  --print-summary --fail-under-line "$MIN_OVERALL" || overall_status=$?

echo "== coverage: the benchmark infrastructure, gate/ (bar ${MIN_GATE}% of lines) =="
gate_status=0
gcovr "${sources[@]}" --filter 'gate/' --print-summary --fail-under-line "$MIN_GATE" \
  >"$OUT/gate.txt" || gate_status=$?
cat "$OUT/gate.txt"

echo "coverage: report in $OUT/index.html, per file in $OUT/coverage.txt"
status=0
((tests_status == 0)) || { echo "coverage: some tests failed (ctest exit $tests_status)"; status=1; }
((overall_status == 0)) || { echo "coverage: the project's code is below ${MIN_OVERALL}% of lines"; status=1; }
((gate_status == 0)) || { echo "coverage: gate/ is below ${MIN_GATE}% of lines"; status=1; }
exit $status
