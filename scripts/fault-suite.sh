#!/usr/bin/env bash
# The fault-injection suite: runs the silo as a separate process while rows are committed at a steady rate, and
# meanwhile kills the silo with SIGKILL at random moments (restarting it), restarts PostgreSQL once and restarts
# the Docker engine once. At the end it checks every committed row against the job records and the engine's own
# container-create events, and prints
#   committed=N jobs=N succeeded=N lost=N duplicated=N out_of_order=N kills=N pg_restarts=N engine_restarts=N
# It exits non-zero unless lost, duplicated and out_of_order are 0, every job finished before the deadline, and the
# silo's log and /healthz reported the Postgres outage while it lasted. A second, per-row link gets the updates of
# 8 counter rows; out_of_order counts its jobs that ran before, or while, an earlier commit's job of their row.
#
# Usage: scripts/fault-suite.sh [--short]
#   full:    at least 5,000 committed changes (50 rows/s for as long as the faults last), 6 kills
#   --short: at least 300 changes (20 rows/s), 2 kills (the version scripts/test.sh runs)
#   FAULT_SUITE_ENGINE_RESTART=0: no engine restart (engine_restarts=0), for an engine shared with others
# Rows are committed until the last fault is over; every job runs a container, so the run ends when the engine
# has worked through them.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

mode=full
[ "${1:-}" = "--short" ] && mode=short
if [ "$mode" = short ]; then
  rows=300 batch=2 kills=2 settle=420
else
  rows=5000 batch=5 kills=6 settle=2400
fi

ensure_environment
cd "$ROOT"
dir="$WORK/fault-suite"
rm -rf "$dir"
mkdir -p "$dir"
host_dll="$ROOT/src/Orchestrator.Host/bin/Release/net10.0/Orchestrator.Host.dll"
if [ ! -f "$host_dll" ] || [ "${FAULT_SUITE_BUILD:-1}" = 1 ]; then
  say "building the host"
  dotnet build src/Orchestrator.Host -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

port="$(cat "$WORK/pg.port")"
psql_base=("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U orchestrator -v ON_ERROR_STOP=1 -qAt)
run_id="$(date +%s)-$$"
db="fault_${run_id//-/_}"
"${psql_base[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null
psql_db=("${psql_base[@]}" -d "$db")
"${psql_db[@]}" -c "CREATE TABLE items (id bigserial PRIMARY KEY, n int NOT NULL)" >/dev/null
# Per-row ordering: a few rows that the writer updates again and again (n counts a row's commits), on a per-row link.
"${psql_db[@]}" -c "CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)" >/dev/null
connection="Host=127.0.0.1;Port=$port;Username=orchestrator;Database=$db"
link="fault-$run_id"
cat >"$dir/pipelines.json" <<JSON
{
  "inputs": [ { "id": "items", "tables": ["items"] }, { "id": "counters", "tables": ["counters"] } ],
  "processes": [ {
    "id": "work", "image": "$TEST_IMAGE", "command": ["sh", "-c", "sleep 0.3; echo done"],
    "maxConcurrency": 8, "timeoutSeconds": 120,
    "retry": { "maxAttempts": 20, "initialDelaySeconds": 1, "maxDelaySeconds": 10 }
  } ],
  "links": [ { "id": "$link", "input": "items", "process": "work" },
             { "id": "$link-rows", "input": "counters", "process": "work", "ordering": "per-row" } ]
}
JSON

silo_port="$(free_port)" gateway_port="$(free_port)" http_port="$(free_port)"
host_pid=""
start_host() {
  dotnet "$host_dll" --urls "http://127.0.0.1:$http_port" \
    "--Orchestrator:ConnectionString=$connection" "--Orchestrator:PipelinesFile=$dir/pipelines.json" \
    "--Orchestrator:ClusterId=$link" "--Orchestrator:SiloPort=$silo_port" "--Orchestrator:GatewayPort=$gateway_port" \
    "--Orchestrator:JobRescuePeriod=00:00:05" >>"$dir/host.log" 2>&1 &
  host_pid=$!
  wait_for "silo (pid $host_pid)" 120 curl -fsS "http://127.0.0.1:$http_port/healthz" || die "the silo did not start; see $dir/host.log"
}

events_pid=""
collect_events() {
  # The engine's own record of every container it creates for this run's jobs ("job-id attempt" per line).
  docker events --since "$1" --filter type=container --filter event=create --filter label=orchestrator.managed=true \
    --format '{{index .Actor.Attributes "orchestrator.job-id"}} {{index .Actor.Attributes "orchestrator.attempt"}}' \
    >>"$dir/creates.txt" 2>>"$dir/events.err" &
  events_pid=$!
}

writer_pid=""
cleanup() {
  [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
  [ -n "$host_pid" ] && kill -9 "$host_pid" 2>/dev/null || true
  [ -n "$events_pid" ] && kill "$events_pid" 2>/dev/null || true
}
trap cleanup EXIT

started="$(date +%s)"
collect_events "$started"
start_host

# The writer commits `batch` rows every 100 ms until every fault is done and at least `rows` are committed; a
# failed commit (Postgres down) is simply tried again, so the committed count is whatever the table holds at the end.
# Every other round it also updates one of 8 counter rows (the per-row link's), so each gets several updates.
"${psql_db[@]}" -c "INSERT INTO counters SELECT g, 0 FROM generate_series(1, 8) g" >/dev/null
(
  committed=0 round=0
  while [ "$committed" -lt "$rows" ] || [ ! -e "$dir/faults-done" ]; do
    if "${psql_db[@]}" -c "INSERT INTO items (n) SELECT g FROM generate_series(1, $batch) g" >/dev/null 2>>"$dir/writer.err"; then
      committed=$((committed + batch))
    fi
    round=$((round + 1))
    if [ $((round % 2)) -eq 0 ]; then
      "${psql_db[@]}" -c "UPDATE counters SET n = n + 1 WHERE id = $((RANDOM % 8 + 1))" >/dev/null 2>>"$dir/writer.err" || true
    fi
    sleep 0.1
  done
) &
writer_pid=$!

kills_done=0 pg_restarts=0 engine_restarts=0 health_failures=0
health_degraded() { curl -fsS "http://127.0.0.1:$http_port/healthz" | grep -q '"status":"degraded"'; }
observe_degraded() { if wait_for "/healthz reporting Postgres unreachable" 20 health_degraded; then saw_degraded=1; fi; }
# The faults, in a shuffled order, each after a random pause while the writer commits.
faults=(pg)
# FAULT_SUITE_ENGINE_RESTART=0 leaves the Docker engine alone (on a machine whose engine others are using).
[ "${FAULT_SUITE_ENGINE_RESTART:-1}" = 1 ] && faults+=(engine)
for _ in $(seq "$kills"); do faults+=(kill); done
mapfile -t faults < <(printf '%s\n' "${faults[@]}" | shuf)
for fault in "${faults[@]}"; do
  sleep "$((RANDOM % 5 + 2)).$((RANDOM % 10))"
  case "$fault" in
    kill)
      say "fault: SIGKILL the silo (pid $host_pid)"
      kill -9 "$host_pid"
      wait "$host_pid" 2>/dev/null || true
      kills_done=$((kills_done + 1))
      start_host
      ;;
    pg)
      say "fault: restart PostgreSQL (the silo must say it is degraded while it is down)"
      saw_degraded=0
      pg_outage observe_degraded
      pg_restarts=$((pg_restarts + 1))
      if [ "$saw_degraded" -ne 1 ] || ! grep -q "Health: postgres is unreachable" "$dir/host.log"; then
        say "the silo did not report the Postgres outage"
        health_failures=$((health_failures + 1))
      fi
      ;;
    engine)
      say "fault: restart the Docker engine"
      kill "$events_pid" 2>/dev/null || true
      restart_docker
      collect_events "$(($(date +%s) - 2))"
      engine_restarts=$((engine_restarts + 1))
      ;;
  esac
done

touch "$dir/faults-done"
say "faults done; waiting for the writer"
wait "$writer_pid"
writer_pid=""
committed="$("${psql_db[@]}" -c "SELECT count(*) FROM items")"
say "$committed rows committed; waiting up to ${settle} s for every job to finish"
check() { python3 "$ROOT/scripts/lib/fault_check.py" "$PG_BIN/psql" "$port" "$db" "$link" "$dir/creates.txt" "$@"; }
deadline=$((SECONDS + settle))
until check --settled >/dev/null 2>&1; do
  if [ $SECONDS -ge $deadline ]; then
    say "not every job finished in time"
    break
  fi
  sleep 2
done
sleep 1
kill "$events_pid" 2>/dev/null || true
check --kills "$kills_done" --pg-restarts "$pg_restarts" --engine-restarts "$engine_restarts" || exit 1
[ "$health_failures" -eq 0 ] || { say "the silo's health did not report an outage"; exit 1; }
