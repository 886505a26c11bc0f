#!/usr/bin/env bash
# A PostgreSQL database of your own for wyckoff, in one command: a persistent local cluster
# that keeps its data between runs and restarts, listening on localhost only.
#
#   scripts/db.sh start     # create (first time) and start it; migrate; print its URL
#   export WYCKOFF_DB=$(scripts/db.sh url)   # every wyckoff command then uses it
#   scripts/db.sh status    # running or stopped, where, and its URL
#   scripts/db.sh stop      # stop it (the data stays)
#
# The first `start` runs initdb in the cluster folder, picks a free TCP port on 127.0.0.1,
# creates the superuser and database `wyckoff` with a random password (scram-sha-256), and
# writes the URL (postgresql://wyckoff:PASSWORD@127.0.0.1:PORT/wyckoff) to FOLDER/url, readable
# by you only. Every `start` then applies the pending migrations with `wyckoff db migrate`. When
# the port was taken by something else since, `start` moves to a free one (the URL changes, and
# `start` prints the new one).
#
# Cluster folder: $WYCKOFF_DB_DIR, else ${XDG_DATA_HOME:-$HOME/.local/share}/wyckoff/postgresql.
# PostgreSQL refuses to run as root: invoked as root, the server runs as the OS user
# $WYCKOFF_PG_USER (default postgres), as scripts/pg-test-server.sh does, and when that user
# cannot reach root's home the folder is /var/lib/wyckoff/postgresql instead.
#
# Environment: WYCKOFF_DB_DIR (the cluster folder), WYCKOFF_PG_BIN (folder of initdb and
# pg_ctl; default the newest /usr/lib/postgresql/*/bin, then the PATH), WYCKOFF_PG_USER,
# WYCKOFF_BIN (the wyckoff executable for `db migrate`; default `wyckoff` on the PATH, then
# build/release/cli/wyckoff of this checkout).
#
# Exit status: 0 done (`status`: running), 1 failed (`status`: not running), 2 usage.
set -euo pipefail

readonly kUser=wyckoff
readonly kDatabase=wyckoff
here=$(cd "$(dirname "$0")" && pwd)

die() {
  echo "db: $*" >&2
  exit 1
}

usage() {
  cat >&2 <<'USAGE'
usage: scripts/db.sh start     create and start your local database; print its URL
       scripts/db.sh stop      stop it (the data stays)
       scripts/db.sh status    is it running, where, and its URL
       scripts/db.sh url       print its URL (postgresql://wyckoff:...@127.0.0.1:PORT/wyckoff)
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
      "install the Debian package postgresql-15 (scripts/install-deps.sh) or set WYCKOFF_PG_BIN"
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

# The cluster folder (see the header).
cluster_dir() {
  if [[ -n ${WYCKOFF_DB_DIR:-} ]]; then
    echo "$WYCKOFF_DB_DIR"
    return
  fi
  local dir=${XDG_DATA_HOME:-${HOME:?HOME is not set}/.local/share}/wyckoff/postgresql
  if [[ $(id -u) -eq 0 ]]; then
    # The server user must be able to walk down to the folder: the nearest existing parent.
    local parent=$dir
    while [[ ! -d $parent ]]; do parent=$(dirname "$parent"); done
    as_server_user test -x "$parent" 2>/dev/null || dir=/var/lib/wyckoff/postgresql
  fi
  echo "$dir"
}

wyckoff_bin() {
  if [[ -n ${WYCKOFF_BIN:-} ]]; then
    echo "$WYCKOFF_BIN"
  elif command -v wyckoff >/dev/null; then
    command -v wyckoff
  elif [[ -x $here/../build/release/cli/wyckoff ]]; then
    echo "$here/../build/release/cli/wyckoff"
  else
    die "no wyckoff executable: build it (scripts/build.sh), install it, or set WYCKOFF_BIN"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Whether something listens on 127.0.0.1:PORT. SO_REUSEADDR as the server sets it: the port of
# a server just stopped (connections in TIME_WAIT) is free for it again.
port_taken() {  # PORT
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
}

is_running() {
  [[ -f $dir/data/postmaster.pid ]] && as_server_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

url_of() {  # PORT PASSWORD
  echo "postgresql://$kUser:$2@127.0.0.1:$1/$kDatabase"
}

current_port() {
  sed -n 's/^port = \([0-9]*\).*/\1/p' "$dir/data/wyckoff.conf"
}

set_port() {  # PORT
  as_server_user tee "$dir/data/wyckoff.conf" >/dev/null <<CONF
# scripts/db.sh: your local wyckoff database, on localhost only.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = ''
log_min_messages = warning
CONF
  local password
  password=$(cat "$dir/password")
  (umask 077 && url_of "$1" "$password" >"$dir/url")
}

create() {
  echo "db: creating a PostgreSQL cluster in $dir" >&2
  mkdir -p "$dir"
  chmod 0711 "$dir"
  local password
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  (umask 077 && echo "$password" >"$dir/password")
  local pwfile=$dir/initdb.pw  # in the cluster folder: the server user reaches it there
  (umask 077 && echo "$password" >"$pwfile")
  if [[ $(id -u) -eq 0 ]]; then
    mkdir -p "$dir/data"
    chown "$server_user" "$dir/data" "$pwfile"
  fi
  if ! as_server_user "$bin/initdb" --pgdata="$dir/data" --username="$kUser" \
    --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    rm -f "$pwfile"
    cat "$dir/initdb.log" >&2
    die "initdb failed (log above; remove $dir to start over)"
  fi
  rm -f "$pwfile"
  echo "include_if_exists = 'wyckoff.conf'" | as_server_user tee -a "$dir/data/postgresql.conf" >/dev/null
  set_port "$(free_port)"
}

start() {
  [[ -f $dir/data/PG_VERSION ]] || create
  if ! is_running; then
    local port
    port=$(current_port)
    if port_taken "$port"; then
      port=$(free_port)
      echo "db: port $(current_port) is taken; moving to $port" >&2
      set_port "$port"
    fi
    [[ $(id -u) -ne 0 ]] || chown "$server_user" "$dir/data"
    touch "$dir/server.log"
    [[ $(id -u) -ne 0 ]] || chown "$server_user" "$dir/server.log"
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
      --timeout=60 start >/dev/null || {
      tail -n 20 "$dir/server.log" >&2
      die "the server did not start (end of $dir/server.log above)"
    }
  fi
  create_database
  local url
  url=$(cat "$dir/url")
  "$(wyckoff_bin)" db migrate --db "$url" >&2 || die "wyckoff db migrate failed"
  echo "$url"
}

# Creates the database `wyckoff` when it is not there yet (initdb makes only `postgres`).
create_database() {
  local -a psql=("$bin/psql" -X -q -A -t -h 127.0.0.1 -p "$(current_port)" -U "$kUser" -d postgres)
  local exists
  exists=$(PGPASSWORD=$(cat "$dir/password") "${psql[@]}" \
    -c "SELECT 1 FROM pg_database WHERE datname = '$kDatabase'") ||
    die "cannot reach the server on 127.0.0.1:$(current_port); see $dir/server.log"
  [[ $exists == 1 ]] && return
  PGPASSWORD=$(cat "$dir/password") "${psql[@]}" -c "CREATE DATABASE $kDatabase" >/dev/null ||
    die "cannot create the database $kDatabase; see $dir/server.log"
}

stop() {
  if is_running; then
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null
    echo "db: stopped (the data stays in $dir)" >&2
  else
    echo "db: not running" >&2
  fi
}

status() {
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    echo "db: no database yet; scripts/db.sh start creates one in $dir"
    return 1
  fi
  if is_running; then
    echo "db: running on 127.0.0.1:$(current_port), data in $dir"
    echo "db: URL $(cat "$dir/url")"
  else
    echo "db: stopped, data in $dir (scripts/db.sh start)"
    return 1
  fi
}

url() {
  [[ -f $dir/url ]] || die "no database yet; scripts/db.sh start creates one"
  cat "$dir/url"
}

(($# == 1)) || usage
bin=$(find_bin)
server_user=${WYCKOFF_PG_USER:-postgres}
[[ $(id -u) -ne 0 ]] && server_user=$(id -un)
if [[ $(id -u) -eq 0 ]] && ! id "$server_user" >/dev/null 2>&1; then
  die "running as root, but the server user '$server_user' does not exist (set WYCKOFF_PG_USER)"
fi
dir=$(cluster_dir)

case $1 in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) usage ;;
esac
