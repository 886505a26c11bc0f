#!/usr/bin/env bash
# Runs the README's examples as a reader would: every ```sh block, in order, in one shell, from a
# fresh temporary folder that holds links to the repository's data/ and scripts/ and to the
# executable's build tree as build/release (so every output lands there, never in the
# repository), with the build's wyckoff first on the PATH and HOME inside the folder.
#
#   scripts/readme-examples.sh                   # every example
#   scripts/readme-examples.sh --no-database     # the examples that need no database
#   scripts/readme-examples.sh --database        # only those that do (scripts/db.sh, --db, ...)
#   scripts/readme-examples.sh --list            # print the blocks it would run, run nothing
#
# A block right after a line `<!-- readme-test: skip (why) -->` is not run (the two set-up
# commands, which build and test everything, and the benchmarks). A block is a database block
# when it mentions scripts/db.sh, WYCKOFF_DB, --db, postgresql: or `wyckoff db`; the database
# is the one of scripts/db.sh, created inside the temporary folder (XDG_DATA_HOME there) and
# stopped at the end.
#
# After the run, every path the examples created must be ignored by the repository's
# .gitignore (had they run in the repository's root).
#
# Environment: WYCKOFF_BIN (the wyckoff executable; default build/release/cli/wyckoff),
# README (default README.md of this checkout), KEEP=1 keeps the temporary folder.
# Exit status: 0 every example ran, 1 one failed (its block and output are shown), 2 usage.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
readme=${README:-$repo/README.md}
bin=${WYCKOFF_BIN:-$repo/build/release/cli/wyckoff}
mode=all

die() {
  echo "readme-examples: $*" >&2
  exit "${2:-1}"
}

case ${1:-} in
  "") ;;
  --database) mode=database ;;
  --no-database) mode=no-database ;;
  --list) mode=list ;;
  *) die "usage: scripts/readme-examples.sh [--database|--no-database|--list]" 2 ;;
esac
[[ -f $readme ]] || die "no README at $readme" 2

# The blocks, each as "LINE<TAB>KIND" on one line, then its text, then a line holding only
# \x1e. KIND is db or plain.
extract() {
  awk '
    /^<!-- readme-test: skip/ { skip = 1; next }
    !inside && /^```sh[[:space:]]*$/ { inside = 1; start = NR + 1; text = ""; next }
    inside && /^```/ {
      inside = 0
      if (!skip) {
        kind = (text ~ /scripts\/db\.sh|WYCKOFF_DB|--db|postgresql:|wyckoff db /) ? "db" : "plain"
        printf "%d\t%s\n%s\x1e\n", start, kind, text
      }
      skip = 0
      next
    }
    inside { text = text $0 "\n"; next }
    /[^[:space:]]/ { skip = 0 }
  ' "$readme"
}

script=$(mktemp)
trap 'rm -f "$script"' EXIT
count=0
{
  echo 'set -euo pipefail'
  echo 'readme_block() { echo "readme: block at README.md:$1" >&2; }'
} >"$script"
while IFS=$'\t' read -r line kind; do
  text=
  while IFS= read -r row; do
    [[ $row == $'\x1e' ]] && break
    text+=$row$'\n'
  done
  case $mode in
    database) [[ $kind == db ]] || continue ;;
    no-database) [[ $kind == plain ]] || continue ;;
  esac
  count=$((count + 1))
  if [[ $mode == list ]]; then
    printf -- '--- README.md:%s (%s)\n%s' "$line" "$kind" "$text"
    continue
  fi
  printf 'readme_block %s\n%s\n' "$line" "$text" >>"$script"
done < <(extract)
[[ $mode == list ]] && exit 0
((count > 0)) || die "no sh blocks to run in $readme"

[[ -x $bin ]] || die "no wyckoff executable at $bin (build it, or set WYCKOFF_BIN)"
# As root the server runs as postgres, which may not reach a private TMPDIR: /tmp then.
base=${TMPDIR:-/tmp}
[[ $(id -u) -ne 0 ]] || base=/tmp
work=$(mktemp -d "$base/wyckoff-readme.XXXXXX")
chmod 0755 "$work"  # the database server's OS user (as root: postgres) must reach its folder
ln -s "$repo/data" "$work/data"
ln -s "$repo/scripts" "$work/scripts"
# build/release: the build tree of the executable (for the install example).
mkdir -p "$work/.bin" "$work/.xdg" "$work/.home" "$work/build"
ln -s "$(cd "$(dirname "$bin")/.." && pwd)" "$work/build/release"
ln -s "$bin" "$work/.bin/wyckoff"
cleanup() {
  rm -f "$script"
  if [[ -d $work/.xdg/wyckoff/postgresql ]]; then
    XDG_DATA_HOME=$work/.xdg "$repo/scripts/db.sh" stop >/dev/null 2>&1 || true
  fi
  [[ ${KEEP:-0} == 1 ]] && echo "readme-examples: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

status=0
(
  cd "$work"
  unset WYCKOFF_DB WYCKOFF_DB_DIR WYCKOFF_BIN PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
  export HOME=$work/.home XDG_DATA_HOME=$work/.xdg PATH="$work/.bin:$PATH"
  bash -x "$script" >"$work/.log" 2>&1
) || status=$?
if ((status != 0)); then
  tail -n 40 "$work/.log" >&2
  die "an example failed (exit $status); the output's end is above"
fi

# What the examples wrote must be ignored by git, had they run in the repository.
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  unignored=()
  while IFS=$'\t' read -r path type; do
    [[ $type == d ]] && path+=/
    git -C "$repo" check-ignore -q --no-index "$path" || unignored+=("$path")
  done < <(cd "$work" && find . -mindepth 1 -maxdepth 1 ! -name data ! -name scripts ! -name build \
    ! -name '.bin' ! -name '.xdg' ! -name '.home' ! -name '.log' -printf '%P\t%y\n' | sort)
  ((${#unignored[@]} == 0)) ||
    die "the examples wrote paths that .gitignore does not cover: ${unignored[*]}"
fi
echo "readme-examples: $count blocks ran ($mode)"
