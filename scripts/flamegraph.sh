#!/usr/bin/env bash
# A flame graph SVG from a gperftools CPU profile (docs/performance.md, "Profiling").
#
#   build/release/cli/wyckoff backtest ... --profile run.prof
#   scripts/flamegraph.sh run.prof                 # writes run.svg, and run.collapsed beside it
#   scripts/flamegraph.sh run.prof build/release/benchmarks/wyckoff_engine_benchmark out.svg
#
# Steps: `google-pprof --collapsed --no-auto-signal-frm BINARY PROFILE` gives one line per
# distinct stack ("main;...;Run;ProcessBar 42"; --no-auto-signal-frm keeps the frames of tight
# loops that would otherwise collapse to their leaf); the `<address>` suffixes pprof adds to
# some frames are stripped and equal stacks summed; scripts/flamegraph.py draws the SVG.
#
# Arguments: PROFILE, BINARY (default build/release/cli/wyckoff: the program that wrote the
# profile), OUT (default PROFILE without .prof, plus .svg); the collapsed stacks always go
# beside the profile (PROFILE without .prof, plus .collapsed). Environment: TITLE (the graph's
# title, default the profile's file name).
set -euo pipefail

die() {
  echo "flamegraph: $*" >&2
  exit 2
}

(($# >= 1 && $# <= 3)) || die "usage: scripts/flamegraph.sh PROFILE [BINARY] [OUT.svg]"
profile=$1
here=$(cd "$(dirname "$0")" && pwd)
binary=${2:-$here/../build/release/cli/wyckoff}
out=${3:-${profile%.prof}.svg}
collapsed=${profile%.prof}.collapsed
title=${TITLE:-$(basename "$profile")}

[[ -s $profile ]] || die "no profile at $profile (empty or missing)"
[[ -x $binary ]] || die "no executable at $binary (give the program that wrote the profile)"
command -v google-pprof >/dev/null || die "google-pprof not found (Debian package google-perftools)"

google-pprof --collapsed --no-auto-signal-frm "$binary" "$profile" 2>"$collapsed.log" |
  sed -E 's/ *<[0-9a-fA-Fx]+>//g' |
  awk '{ n = $NF; $NF = ""; sub(/ $/, ""); sum[$0] += n } END { for (s in sum) print s, sum[s] }' |
  LC_ALL=C sort >"$collapsed" || die "google-pprof failed; see $collapsed.log"
if [[ ! -s $collapsed ]]; then
  # A profile too short to hold a sample has its header and no stack: say that, not pprof's log.
  if grep -q "Total: 0 samples" "$collapsed.log" 2>/dev/null ||
    ! google-pprof --text "$binary" "$profile" 2>/dev/null | grep -q .; then
    die "$profile holds no samples: the run was too short to sample" \
      "(${CPUPROFILE_FREQUENCY:-100} samples a CPU second); profile a longer run," \
      "e.g. wyckoff backtest ... --repeat N --profile $profile"
  fi
  die "google-pprof gave no stacks; see $collapsed.log"
fi

samples=$(awk '{ n += $NF } END { print n }' "$collapsed")
python3 "$here/flamegraph.py" --title "$title" \
  --subtitle "$(basename "$binary"), $samples samples, $(date -u +%Y-%m-%d)" "$collapsed" >"$out"
echo "flamegraph: $out ($samples samples; stacks in $collapsed)" >&2
