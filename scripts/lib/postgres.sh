# Starts (or reuses) throwaway PostgreSQL 15 clusters on free loopback ports:
#   ensure_postgres          .work/pg, the test cluster (fsync off: fast, loses data on a crash); ORCHESTRATOR_PG
#   ensure_durable_postgres  .work/pg-durable, for benchmarks (default durability: fsync, synchronous_commit and
#                            full_page_writes on, as users run it); ORCHESTRATOR_DURABLE_PG
# shellcheck shell=bash

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$WORK/pg"
PG_THROWAWAY_SETTINGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
PG_DURABLE_SETTINGS="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"

# pg_dir_for NAME: the folder of cluster NAME, $WORK/NAME. The server runs as the postgres user, which must be
# able to reach its data folder; a checkout in a folder it cannot enter (e.g. under /root) keeps the cluster
# under /var/tmp instead.
pg_dir_for() {
  if is_root && ! runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
    chmod o+x "$ROOT" "$WORK" 2>/dev/null || true
    if ! runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
      echo "/var/tmp/orchestrator-$1-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
      return 0
    fi
  fi
  echo "$WORK/$1"
}

pg_choose_dir() { PG_DIR="$(pg_dir_for pg)"; }

pg_run() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_postgres() {
  if [ -n "${ORCHESTRATOR_PG:-}" ]; then
    say "using the configured PostgreSQL (ORCHESTRATOR_PG)"
    return 0
  fi
  pg_choose_dir
  local port
  port="$(pg_ensure_cluster "$PG_DIR" "$PG_THROWAWAY_SETTINGS")" || exit 1
  echo "$port" >"$WORK/pg.port"
  export ORCHESTRATOR_PG="Host=127.0.0.1;Port=$port;Username=orchestrator;Database=orchestrator"
}

# ensure_durable_postgres: a second cluster, separate from the test cluster, with PostgreSQL's default durability;
# exports ORCHESTRATOR_DURABLE_PG (kept when it is already set).
ensure_durable_postgres() {
  if [ -n "${ORCHESTRATOR_DURABLE_PG:-}" ]; then
    say "using the configured durable PostgreSQL (ORCHESTRATOR_DURABLE_PG)"
    return 0
  fi
  local dir port
  dir="$(pg_dir_for pg-durable)"
  port="$(pg_ensure_cluster "$dir" "$PG_DURABLE_SETTINGS")" || exit 1
  [ "$(pg_setting "$port" fsync)/$(pg_setting "$port" synchronous_commit)/$(pg_setting "$port" full_page_writes)" = on/on/on ] \
    || die "the cluster in $dir does not run with fsync, synchronous_commit and full_page_writes on; stop it ($PG_BIN/pg_ctl -D $dir/data stop)"
  export ORCHESTRATOR_DURABLE_PG="Host=127.0.0.1;Port=$port;Username=orchestrator;Database=orchestrator"
}

pg_setting() { "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U orchestrator -d postgres -tAc "SHOW $2"; }

# pg_ensure_cluster DIR SETTINGS: starts (or reuses) the cluster in DIR with the server SETTINGS (-c options) on a
# free loopback port, with an 'orchestrator' superuser and database; prints the port.
pg_ensure_cluster() {
  local dir="$1" settings="$2" port
  if [ ! -x "$PG_BIN/pg_ctl" ]; then
    apt_install postgresql-15
  fi
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 server binaries not found in $PG_BIN"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing; install postgresql-15"
  fi
  if [ -f "$dir/port" ] && pg_run "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port="$(cat "$dir/port")"
  else
    mkdir -p "$dir"
    if is_root; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      pg_run "$PG_BIN/initdb" -D "$dir/data" -U orchestrator --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
        || die "initdb failed; see $dir/initdb.log"
    fi
    port="$(free_port)"
    pg_start_cluster "$dir" "$port" "$settings"
    echo "$port" | pg_run tee "$dir/port" >/dev/null
  fi
  wait_for "PostgreSQL on 127.0.0.1:$port ($dir)" 30 "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$port" \
    || die "PostgreSQL on port $port does not answer"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U orchestrator -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'orchestrator'" | grep -q 1 \
    || "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U orchestrator orchestrator
  echo "$port"
}

# pg_start_cluster DIR PORT SETTINGS: starts the cluster in DIR on 127.0.0.1:PORT with the server SETTINGS.
pg_start_cluster() {
  # shellcheck disable=SC2086 # SETTINGS is a list of -c options
  pg_run "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=300 $3" \
    start >/dev/null || die "PostgreSQL did not start; see $1/server.log"
}

# pg_start_server PORT: starts the test cluster in $PG_DIR on 127.0.0.1:PORT (throwaway settings: no fsync).
pg_start_server() { pg_start_cluster "$PG_DIR" "$1" "$PG_THROWAWAY_SETTINGS"; }

# pg_url CONNECTION_STRING [DATABASE]: the psql URL of an Npgsql connection string (its database unless DATABASE).
pg_url() {
  python3 - "$@" <<'PY'
import sys
p = dict(x.split("=", 1) for x in sys.argv[1].split(";") if x)
db = sys.argv[2] if len(sys.argv) > 2 else p.get("Database", "postgres")
print(f"postgresql://{p.get('Username', 'postgres')}@{p.get('Host', '127.0.0.1')}:{p.get('Port', '5432')}/{db}")
PY
}

stop_postgres() {
  pg_choose_dir
  [ -f "$PG_DIR/data/PG_VERSION" ] && pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
}

# pg_outage COMMAND...: stops the running cluster (fast shutdown: open connections are cut), runs COMMAND while it
# is down, and starts it again on the same port.
pg_outage() {
  pg_choose_dir
  local port
  port="$(cat "$PG_DIR/port")"
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null || die "PostgreSQL did not stop"
  "$@" || true
  pg_start_server "$port"
  wait_for "PostgreSQL (restarted)" 30 "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$port"
}
