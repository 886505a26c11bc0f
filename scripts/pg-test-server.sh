#!/usr/bin/env bash
# A throwaway PostgreSQL server for the integration tests (ctest label integration-db).
#
#   eval "$(scripts/pg-test-server.sh start)"    # prints export lines; also writes DIR/env
#   ctest --preset release -L integration-db
#   scripts/pg-test-server.sh stop               # stops it and removes its folder
#
#   scripts/pg-test-server.sh run -- ctest --preset release -L integration-db
#                                                # start, run the command, stop at exit;
#                                                # exits with the command's status
#
# The server lives in a fresh mktemp folder: initdb'd data, its log, and its Unix socket (no
# TCP port, so servers of parallel jobs never collide). Authentication is `trust` for the
# socket only, and durability is off (fsync, full_page_writes, synchronous_commit): it is
# fast and disposable, never for real data.
#
# PostgreSQL refuses to run as root, so when invoked as root the server runs as the
# unprivileged user $WYCKOFF_PG_USER (default: postgres) through runuser or su; otherwise it
# runs as the invoking user. The superuser inside the server is always `postgres`.
#
# Environment:
#   WYCKOFF_PG_BIN      folder of initdb/pg_ctl (default: the newest /usr/lib/postgresql/*/bin,
#                       then the PATH)
#   WYCKOFF_PG_USER     OS user for the server when invoked as root (default: postgres)
#   WYCKOFF_PG_TEST_DIR the folder of a running server: `start` reuses it, `stop` stops it
#
# Output of `start`:
#   export WYCKOFF_PG_TEST_DIR=/tmp/wyckoff-pg.XXXXXX
#   export WYCKOFF_TEST_DB='postgresql://postgres@/postgres?host=/tmp/wyckoff-pg.XXXXXX&port=5432'
set -euo pipefail

readonly kPort=5432  # only names the socket file; there is no TCP listener
readonly kSuperuser=postgres

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

usage() {
  cat >&2 <<'USAGE'
usage: pg-test-server.sh start            start a server, print its export lines
       pg-test-server.sh stop [DIR]       stop the server in DIR (or $WYCKOFF_PG_TEST_DIR)
       pg-test-server.sh run -- CMD...    start, run CMD with the variables set, stop
USAGE
  exit 2
}

find_bin() {
  if [[ -n ${WYCKOFF_PG_BIN:-} ]]; then
    [[ -x $WYCKOFF_PG_BIN/pg_ctl ]] || die "WYCKOFF_PG_BIN=$WYCKOFF_PG_BIN has no pg_ctl"
    echo "$WYCKOFF_PG_BIN"
    return
  fi
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -n $dir && -x $dir/pg_ctl ]]; then
    echo "$dir"
  elif command -v pg_ctl >/dev/null; then
    dirname "$(command -v pg_ctl)"
  else
    die "no PostgreSQL server binaries (initdb, pg_ctl) found;" \
      "install postgresql-15 or set WYCKOFF_PG_BIN"
  fi
}

# Runs a command as the server's OS user.
as_server_user() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u "$server_user" -- "$@"
  else
    su -s /bin/sh "$server_user" -c "$(printf '%q ' "$@")"
  fi
}

is_running() {  # DIR
  [[ -f $1/data/postmaster.pid ]] &&
    as_server_user "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

print_env() {  # DIR
  local url="postgresql://$kSuperuser@/postgres?host=$1&port=$kPort"
  printf 'export WYCKOFF_PG_TEST_DIR=%q\n' "$1"
  printf "export WYCKOFF_TEST_DB='%s'\n" "$url"
  printf 'export WYCKOFF_PG_TEST_DIR=%q\n' "$1" >"$1/env.tmp"
  printf "export WYCKOFF_TEST_DB='%s'\n" "$url" >>"$1/env.tmp"
  mv "$1/env.tmp" "$1/env"
}

make_dir() {
  local base=${TMPDIR:-/tmp}
  # A Unix socket path must fit in 107 bytes; a long TMPDIR would not leave room.
  ((${#base} <= 60)) || base=/tmp
  if [[ $(id -u) -eq 0 ]]; then
    id "$server_user" >/dev/null 2>&1 ||
      die "running as root, but the server user '$server_user' does not exist" \
        "(set WYCKOFF_PG_USER)"
    # The server user must be able to reach the folder (root's TMPDIR may be private).
    as_server_user test -x "$base" || base=/tmp
  fi
  local dir
  dir=$(mktemp -d "$base/wyckoff-pg.XXXXXX")
  chmod 0755 "$dir"
  [[ $(id -u) -ne 0 ]] || chown "$server_user" "$dir"
  echo "$dir"
}

start() {
  local dir=${WYCKOFF_PG_TEST_DIR:-}
  if [[ -n $dir && -d $dir ]] && is_running "$dir"; then
    print_env "$dir"  # already running: idempotent
    return
  fi
  dir=$(make_dir)
  if ! as_server_user "$bin/initdb" --pgdata="$dir/data" --username="$kSuperuser" \
    --auth=trust --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed (log above)"
  fi
  cat >>"$dir/data/postgresql.conf" <<CONF
# pg-test-server.sh: a disposable server, tuned for speed, reachable only by its socket.
listen_addresses = ''
unix_socket_directories = '$dir'
port = $kPort
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 128MB
max_wal_size = 1GB
log_min_messages = warning
log_min_error_statement = panic
CONF
  if ! as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
    --timeout=60 start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "the server did not start (log above)"
  fi
  print_env "$dir"
}

stop() {  # [DIR]
  local dir=${1:-${WYCKOFF_PG_TEST_DIR:-}}
  [[ -n $dir ]] || die "stop: no folder given and WYCKOFF_PG_TEST_DIR is not set"
  [[ -d $dir ]] || return 0  # already stopped: idempotent
  [[ -f $dir/env || -d $dir/data ]] || die "stop: $dir is not a pg-test-server folder"
  if is_running "$dir"; then
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null
  fi
  rm -rf "$dir"
}

run() {
  [[ ${1:-} == -- ]] && shift
  (($# > 0)) || usage
  local env_lines
  unset WYCKOFF_PG_TEST_DIR  # always a fresh server of our own
  env_lines=$(start)
  eval "$env_lines"
  # shellcheck disable=SC2064  # expand the folder now
  trap "stop '$WYCKOFF_PG_TEST_DIR'" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local status=0
  "$@" || status=$?
  return "$status"
}

bin=$(find_bin)
server_user=${WYCKOFF_PG_USER:-postgres}
[[ $(id -u) -ne 0 ]] && server_user=$(id -un)

case ${1:-} in
  start) start ;;
  stop) shift; stop "$@" ;;
  run) shift; run "$@" ;;
  *) usage ;;
esac
