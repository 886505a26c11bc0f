#!/usr/bin/env bash
# Installs the dependencies (when run as root) and builds the Release tree in build/release.
# Usage: scripts/build.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -eq 0 ]]; then
  scripts/install-deps.sh
fi
cmake --preset release >/dev/null
if (($# > 0)); then
  cmake --build --preset release --target "$@"
else
  cmake --build --preset release
fi
