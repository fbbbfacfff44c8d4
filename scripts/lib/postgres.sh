# Starts (or reuses) a throwaway PostgreSQL 15 cluster in .work/pg on a free loopback port.
# After `ensure_postgres`, ORCHESTRATOR_PG holds a connection string for it.
# shellcheck shell=bash

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$WORK/pg"

# The server runs as the postgres user, which must be able to reach its data folder; a checkout in a
# folder it cannot enter (e.g. under /root) keeps the cluster under /var/tmp instead.
pg_choose_dir() {
  if is_root && ! runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
    chmod o+x "$ROOT" "$WORK" 2>/dev/null || true
    if ! runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
      PG_DIR="/var/tmp/orchestrator-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
    fi
  fi
}

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
  if [ ! -x "$PG_BIN/pg_ctl" ]; then
    apt_install postgresql-15
  fi
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 server binaries not found in $PG_BIN"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing; install postgresql-15"
  fi
  pg_choose_dir
  local port
  if [ -f "$PG_DIR/port" ] && pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    port="$(cat "$PG_DIR/port")"
  else
    mkdir -p "$PG_DIR"
    is_root && chown postgres "$PG_DIR"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
      pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U orchestrator --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
        || die "initdb failed; see $PG_DIR/initdb.log"
    fi
    port="$(free_port)"
    pg_start_server "$port"
    echo "$port" | pg_run tee "$PG_DIR/port" >/dev/null
  fi
  wait_for "PostgreSQL on 127.0.0.1:$port" 30 "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$port" \
    || die "PostgreSQL on port $port does not answer"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U orchestrator -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'orchestrator'" | grep -q 1 \
    || "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U orchestrator orchestrator
  echo "$port" >"$WORK/pg.port"
  export ORCHESTRATOR_PG="Host=127.0.0.1;Port=$port;Username=orchestrator;Database=orchestrator"
}

# pg_start_server PORT: starts the cluster in $PG_DIR on 127.0.0.1:PORT (throwaway settings: no fsync).
pg_start_server() {
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $1 -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "PostgreSQL did not start; see $PG_DIR/server.log"
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
