#!/usr/bin/env bash
# The project's own PostgreSQL for `make run` (database dora_demo) and `make serve` (dora): data under .local/postgres (git-ignored), on
# 127.0.0.1:${DORA_PG_PORT:-55432}, reused across runs. PostgreSQL refuses to run as root, so
# as root it runs as the `postgres` user.
# usage: scripts/postgres.sh start|fresh|stop|status|url   (fresh: start, then recreate the database empty)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${DORA_PG_PORT:-55432}
database=${DORA_PG_DATABASE:-dora}
data=${DORA_PG_DATA:-$root/.local/postgres}

bindir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && { dirname "$initdb"; return; }
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() {
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
}

start() {
  "$root/scripts/deps.sh" postgresql
  local bin; bin=$(bindir)
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$data"
    chown postgres: "$data"
    if ! runuser -u postgres -- test -w "$data"; then
      echo "error: the postgres user cannot reach $data; set DORA_PG_DATA to a folder it can use" >&2
      exit 1
    fi
  fi

  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  fi

  if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # Running already: on this port, or every command below would reach another server.
    local running; running=$(as_owner sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$running" ] && [ "$running" != "$port" ]; then
      echo "error: the PostgreSQL of $data runs on port $running, not $port (DORA_PG_PORT); stop it with '$0 stop' or set DORA_PG_PORT=$running" >&2
      exit 1
    fi
  else
    # Another server on the port (another checkout's, say) would refuse this one with a log line only.
    if "$bin/pg_isready" -h 127.0.0.1 -p "$port" -q 2>/dev/null || [ $? -eq 1 ]; then
      echo "error: another server already listens on 127.0.0.1:$port; set DORA_PG_PORT to a free port for $data" >&2
      exit 1
    fi
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null
  fi

  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE \"$database\"" >/dev/null
  fi
  echo "PostgreSQL is up: $(url)" >&2
}

fresh() {
  start
  local psql=("$(bindir)/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA -d postgres)
  "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null
  "${psql[@]}" -c "CREATE DATABASE \"$database\"" >/dev/null
}

stop() {
  local bin; bin=$(bindir) || exit 0
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  fresh) fresh ;;
  stop) stop ;;
  status) as_owner "$(bindir)/pg_ctl" -D "$data" status ;;
  url) url ;;
  *) echo "usage: $0 start|fresh|stop|status|url" >&2; exit 64 ;;
esac
