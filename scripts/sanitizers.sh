#!/usr/bin/env bash
# Every test under AddressSanitizer and UBSan, as CI's sanitizer job runs it: builds
# build/asan (the `asan` preset: RelWithDebInfo, -fsanitize=address,undefined) and runs the
# whole ctest suite against a throwaway PostgreSQL server (scripts/pg-test-server.sh): unit,
# CLI, database, MPI, metrics and browser tests alike. The executables the CLI tests start are
# the instrumented ones of the same tree.
#
#   scripts/sanitizers.sh            # every test
#   scripts/sanitizers.sh -L unit    # arguments go to ctest
#
# ASan and UBSan abort on their first report, leaks included (tests/sanitizers/lsan.supp lists
# the third-party ones, set on every test by cmake/WyckoffHelpers.cmake). Tests that bound
# peak memory leave that check out here (WYCKOFF_INSTRUMENTED: shadow memory is resident).
#
# Exit status: 0 every test passed, 1 a test failed or a sanitizer reported, 2 the build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CI=${CI:-true}  # the database tests fail, not skip, without a server

start=$SECONDS
cmake --preset asan >/dev/null || exit 2
cmake --build --preset asan || exit 2
echo "sanitizers: build took $((SECONDS - start)) s"

start=$SECONDS
status=0
scripts/pg-test-server.sh run -- ctest --preset asan -j2 "$@" || status=$?
echo "sanitizers: tests took $((SECONDS - start)) s"
((status == 0)) || exit 1
