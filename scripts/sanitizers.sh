#!/usr/bin/env bash
# The sanitizer builds and their tests, as CI's sanitizer jobs run them, against a throwaway
# PostgreSQL server (scripts/pg-test-server.sh):
#
#   scripts/sanitizers.sh asan           # AddressSanitizer + UBSan (build/asan, RelWithDebInfo):
#                                        # every test, CLI, database, MPI, metrics and browser
#                                        # ones included
#   scripts/sanitizers.sh tsan           # ThreadSanitizer (build/tsan): the tests whose code
#                                        # runs threads (TSAN_TESTS below), and only the
#                                        # executables they need
#   scripts/sanitizers.sh asan -L unit   # further arguments go to ctest
#
# The executables the CLI tests start are the instrumented ones of the same tree. ASan and UBSan
# abort on their first report, leaks included (tests/sanitizers/lsan.supp lists the
# third-party ones, set on every test by cmake/WyckoffHelpers.cmake); TSan halts on the first
# race. Tests that bound peak memory leave that check out here (WYCKOFF_INSTRUMENTED: shadow
# memory is resident).
#
# Exit status: 0 every test passed, 1 a test failed or a sanitizer reported, 2 the build failed
# or usage.
set -euo pipefail
cd "$(dirname "$0")/.."

# Threads: searches and walk-forward on a thread pool, the prefetching reader, the stage cache's
# concurrent writers, the service (Boost.Asio server, the database writer's thread), and the
# CLI's searches, study and progress line.
TSAN_TARGETS=(wyckoff_engine_tests wyckoff_strategies_tests wyckoff_serve_tests
  wyckoff_serve_program_tests wyckoff_serve_db_tests wyckoff_cli_tests wyckoff_db_tests
  wyckoff_walk_forward_db_tests)
TSAN_TESTS='^(OptimizerTest|WalkForwardTest|TrainingRunsTest|SharedInputsTest|SampleCombinationsTest|WindowPlanTest|BarCacheTest|BarColumnsTest|PrefetchingBarSourceTest|PortfolioTest|BacktestEngineTest|Service|Serve|StoreWriterDbTest|SearchCliTest|StudyCliTest|ProgressCliTest|WalkForwardStoreTest)'

[[ $# -ge 1 && ($1 == asan || $1 == tsan) ]] || {
  echo "usage: scripts/sanitizers.sh asan|tsan [ctest arguments]" >&2
  exit 2
}
preset=$1
shift

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export CI=${CI:-true}  # the database tests fail, not skip, without a server

targets=()
selection=()
if [[ $preset == tsan ]]; then
  targets=(--target "${TSAN_TARGETS[@]}")
  (($# > 0)) || selection=(-R "$TSAN_TESTS")
fi

start=$SECONDS
cmake --preset "$preset" >/dev/null || exit 2
cmake --build --preset "$preset" "${targets[@]}" || exit 2
echo "sanitizers: $preset build took $((SECONDS - start)) s"

start=$SECONDS
status=0
scripts/pg-test-server.sh run -- ctest --preset "$preset" -j2 "${selection[@]}" "$@" || status=$?
echo "sanitizers: $preset tests took $((SECONDS - start)) s"
((status == 0)) || exit 1
