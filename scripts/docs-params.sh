#!/usr/bin/env bash
# Regenerates docs/parameters.md from the strategies' parameter schemas (`wyckoff params
# --markdown`); tests/cli/params_cli_test.cc fails when the page and the schemas differ.
#   scripts/docs-params.sh [BUILD_DIR]      # default build/release
set -euo pipefail
cd "$(dirname "$0")/.."
wyckoff="${1:-build/release}/cli/wyckoff"
{
  cat <<'HEAD'
# Parameters

Every strategy parameter, generated from the strategies' parameter schemas by
`scripts/docs-params.sh` (`wyckoff params --strategy NAME --markdown`); a test fails when this
page and the code differ. Set them with `--param name=value` (backtest, detect, optimize,
walk-forward) or search them with `--grid`. Every run records all of them with their values
(`summary.json`, the database). Fractions are of price or volume (0.05 = 5%); price
fractions scale with the bar interval (`docs/detectors.md`).
HEAD
  for strategy in sma-cross wyckoff; do
    printf '\n## %s\n\n' "$strategy"
    "$wyckoff" params --strategy "$strategy" --markdown
  done
} > docs/parameters.md
echo "wrote docs/parameters.md"
