#!/usr/bin/env bash
# The main job on bundled real data: sets everything up, builds the CLI, and backtests the
# sma-cross strategy on 20 years of Oracle (ORCL) daily bars. Results go to results/orcl/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh wyckoff
build/release/cli/wyckoff backtest --data data/daily/orcl-1995-2014.csv --symbol ORCL \
  --strategy sma-cross --param fast=10 --param slow=30 --quantity 100 --cash 100000 \
  --out results/orcl
echo "report files: results/orcl/{trades,fills,orders,events,equity}.csv and summary.json"
