#!/usr/bin/env bash
# The Debian package, tested as a user gets it: builds it with CPack from the Release tree,
# installs it with apt-get, runs the installed program (version, a backtest on a bundled file,
# the migrations it finds, its man page and completions), and removes it again.
#
#   scripts/test-deb.sh            # after scripts/build.sh; as root (apt-get and dpkg)
#
# scripts/test.sh runs it after the tests, so CI does. Not root: it says so and exits 0 without
# testing anything. A wyckoff package that is already installed is left alone (exit 1), except
# in CI (the variable CI set), where it is one an interrupted run left, and is removed.
#
# Environment: BUILD_DIR (build/release). With WYCKOFF_TEST_DB set (scripts/pg-test-server.sh),
# the installed program also reads the migrations' status from that server.
# Prints `test-deb: N passed, 0 failed` when every check passed; exits 1 at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
BUILD_DIR=${BUILD_DIR:-build/release}

die() {
  echo "test-deb: $*" >&2
  exit 1
}

if [[ $(id -u) -ne 0 ]]; then
  echo "test-deb: not root, so the package is not installed and tested (run as root)" >&2
  exit 0
fi
[[ -f $BUILD_DIR/CMakeCache.txt ]] || die "$BUILD_DIR is not a configured build tree (scripts/build.sh)"
if dpkg-query -W -f='${Status}' wyckoff 2>/dev/null | grep -q "install ok installed"; then
  # In CI (CI set) a package left by an interrupted run goes; elsewhere it may be the user's.
  [[ -n ${CI:-} ]] || die "a wyckoff package is installed already; remove it first (apt-get remove wyckoff)"
  echo "test-deb: removing the wyckoff package left installed" >&2
  dpkg -r wyckoff >/dev/null
fi

cmake --build "$BUILD_DIR" --target wyckoff wyckoff_docs >/dev/null || die "building failed"
rm -f "$BUILD_DIR"/wyckoff_*.deb
(cd "$BUILD_DIR" && cpack -G DEB >cpack.log 2>&1) || die "cpack failed; see $BUILD_DIR/cpack.log"
deb=$(ls "$BUILD_DIR"/wyckoff_*.deb)
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
echo "test-deb: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)" >&2

work=$(mktemp -d)
remove() {
  apt-get remove -y -qq wyckoff >/dev/null 2>&1 || dpkg -r wyckoff >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap remove EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; die "installing the package failed"; }

passed=0
check() {  # DESCRIPTION COMMAND...: runs the command; it must succeed
  local what=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    passed=$((passed + 1))
  else
    cat "$work/out" >&2
    die "failed: $what"
  fi
}

check "the program is /usr/bin/wyckoff" test "$(command -v wyckoff)" = /usr/bin/wyckoff
check "wyckoff --version names the release" \
  bash -c '[[ $(/usr/bin/wyckoff --version) =~ ^wyckoff\ 0\.1\.0\ \(commit\ ([0-9a-f]+|unknown)\)$ ]]'
check "a backtest on a bundled file" bash -c "cd '$work' && /usr/bin/wyckoff backtest \
  --data '$repo/data/daily/ko-1997-1998.csv' --out results && grep -q '\"closed_trades\": 4' results/summary.json"
check "the installed migrations are the default" bash -c \
  "/usr/bin/wyckoff db migrate --help | grep -q -- '--migrations TEXT=/usr/share/wyckoff/migrations'"
check "the migrations are installed" test -f /usr/share/wyckoff/migrations/0001_schema.sql
check "the man page" test -s /usr/share/man/man1/wyckoff.1
check "the bash completion" bash -c \
  "source /usr/share/bash-completion/completions/wyckoff && complete -p wyckoff"
check "the zsh completion" test -s /usr/share/zsh/vendor-completions/_wyckoff
check "wyckoff-db" test -x /usr/bin/wyckoff-db
check "the PostgreSQL module is installed" test -f /usr/lib/wyckoff/libwyckoff-pg.so
check "the program finds its PostgreSQL module" bash -c \
  "/usr/bin/wyckoff db status --db postgresql://127.0.0.1:1/none 2>&1 | grep -q 'cannot connect to PostgreSQL'"
if [[ -f $BUILD_DIR/cli/libwyckoff-mpi.so ]] && command -v mpirun >/dev/null; then
  check "the MPI module is installed" test -f /usr/lib/wyckoff/libwyckoff-mpi.so
  check "the program finds its MPI module under mpirun" bash -c "cd '$work' && \
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 2 \
    /usr/bin/wyckoff optimize --data '$repo/data/daily/ko-1997-1998.csv' --grid fast=5,10 \
    --grid slow=20,30 | grep -qx 'distributed over 2 ranks (MPI), [0-9]* threads* each'"
fi
check "the README" test -s /usr/share/doc/wyckoff/README.md
if [[ -n ${WYCKOFF_TEST_DB:-} ]]; then
  check "db status lists the installed migrations" bash -c \
    "/usr/bin/wyckoff db status --db '$WYCKOFF_TEST_DB' | tail -n 1 | grep -Eq '^[0-9]+ applied, [0-9]+ pending$'"
fi

remove
trap - EXIT
[[ ! -e /usr/bin/wyckoff ]] || die "removing the package left /usr/bin/wyckoff"
passed=$((passed + 1))
echo "test-deb: $passed passed, 0 failed"
