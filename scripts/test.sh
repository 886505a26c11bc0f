#!/usr/bin/env bash
# Sets everything up and runs every test: installs the dependencies (as root), builds the
# Release tree, starts a throwaway PostgreSQL server for the database tests, and runs ctest
# (labels: unit, slow, integration-db, integration-mpi (mpirun -np 3), integration-metrics (a
# real Prometheus and promtool), browser, benchmark). Without arguments (the whole suite, as CI
# runs it) it then builds the Debian package, installs, runs and removes it
# (scripts/test-deb.sh; as root). Arguments go to ctest: scripts/test.sh -L unit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [[ -x scripts/pg-test-server.sh ]]; then
  scripts/pg-test-server.sh run -- ctest --preset release -j2 "$@"
else
  ctest --preset release -j2 "$@"
fi
if (($# == 0)); then
  scripts/test-deb.sh
fi
