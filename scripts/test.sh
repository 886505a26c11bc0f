#!/usr/bin/env bash
# Sets everything up and runs every test: installs the dependencies (as root), builds the
# Release tree, starts a throwaway PostgreSQL server for the database tests, and runs ctest
# (labels: unit, slow, integration-db, benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [[ -x scripts/pg-test-server.sh ]]; then
  scripts/pg-test-server.sh run -- ctest --preset release -j2 "$@"
else
  ctest --preset release -j2 "$@"
fi
