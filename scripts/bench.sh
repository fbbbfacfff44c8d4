#!/usr/bin/env bash
# Measures the numbers in docs/benchmarks.md on this machine, each against a fresh database and a silo process:
#   latency    commit -> job recorded at a steady 100 rows/s for 30 s (pgbench -R 100)
#   batch      one transaction of 10,000 rows -> 10,000 recorded jobs
#   containers container jobs per second at concurrency 1 and 4, next to `docker run` of the same container
# Usage: scripts/bench.sh [latency|batch|containers]...   (default: all three)
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

ensure_environment
cd "$ROOT"
dotnet build src/Orchestrator.Host -c Release -nologo -clp:ErrorsOnly >&2

server_url="$(python3 - "$ORCHESTRATOR_PG" <<'PY'
import sys
p = dict(x.split("=", 1) for x in sys.argv[1].split(";") if x)
print(f"postgresql://{p.get('Username', 'postgres')}@{p.get('Host', '127.0.0.1')}:{p.get('Port', '5432')}")
PY
)"
jobs_py="$ROOT/scripts/lib/bench_jobs.py"
host_pid=""

stop_host() {
  if [ -n "$host_pid" ]; then
    kill -9 "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
  fi
  docker ps -aq --filter label=orchestrator.managed=true | xargs -r docker rm -f >/dev/null 2>&1 || true
}
trap stop_host EXIT

# start_scenario NAME PROCESS_JSON: fresh database NAME with table bench, silo running bench -> PROCESS_JSON
start_scenario() {
  local name="$1" process="$2" db="bench_$1"
  psql "$server_url/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  DB_URL="$server_url/$db"
  psql "$DB_URL" -qc "CREATE TABLE bench (id bigserial PRIMARY KEY, v int)"
  local file="$WORK/bench-$name.json" port
  cat >"$file" <<JSON
{ "inputs": [ { "id": "bench", "tables": ["bench"] } ],
  "processes": [ $process ],
  "links": [ { "id": "bench-link", "input": "bench", "process": "p" } ] }
JSON
  port="$(free_port)"
  dotnet src/Orchestrator.Host/bin/Release/net10.0/Orchestrator.Host.dll --urls "http://127.0.0.1:$port" \
    --Orchestrator:ConnectionString="$ORCHESTRATOR_PG;Database=$db" --Orchestrator:PipelinesFile="$file" \
    --Orchestrator:ClusterId="bench-$name" --Orchestrator:SiloPort="$(free_port)" --Orchestrator:GatewayPort="$(free_port)" \
    --Logging:LogLevel:Default=Warning >"$WORK/bench-$name.log" 2>&1 &
  host_pid=$!
  wait_for "silo for $name" 120 curl -sf "http://127.0.0.1:$port/healthz" || die "the silo did not start; see $WORK/bench-$name.log"
}

wait_jobs() { # COUNT SECONDS
  local deadline=$((SECONDS + $2))
  until [ "$(python3 "$jobs_py" "$DB_URL" count)" -ge "$1" ]; do
    [ $SECONDS -lt $deadline ] || die "fewer than $1 jobs after $2 s"
    sleep 0.5
  done
}

bench_latency() {
  start_scenario latency "{ \"id\": \"p\", \"image\": \"$TEST_IMAGE\", \"command\": [\"true\"], \"maxConcurrency\": 1 }"
  echo "INSERT INTO bench (v) VALUES (1);" >"$WORK/bench-insert.sql"
  "$PG_BIN/pgbench" -n -f "$WORK/bench-insert.sql" -R 100 -T 30 -c 2 -j 1 "$DB_URL" >"$WORK/bench-pgbench.log" 2>&1
  local rows
  rows="$(psql "$DB_URL" -qAtc "SELECT count(*) FROM bench")"
  wait_jobs "$rows" 120
  echo "latency: rows=$rows rate=100/s $(python3 "$jobs_py" "$DB_URL" latency)"
  stop_host
}

bench_batch() {
  start_scenario batch "{ \"id\": \"p\", \"image\": \"$TEST_IMAGE\", \"command\": [\"true\"], \"maxConcurrency\": 1 }"
  psql "$DB_URL" -qc "INSERT INTO bench (v) SELECT g FROM generate_series(1, 10000) g"
  local committed
  committed="$(date +%s.%N)"
  wait_jobs 10000 600
  echo "batch: $(python3 "$jobs_py" "$DB_URL" span "$committed")"
  stop_host
}

bench_containers() {
  local n=40 c start end
  for c in 1 4; do
    start="$(date +%s.%N)"
    seq "$n" | xargs -P "$c" -I{} docker run --rm "$TEST_IMAGE" true
    end="$(date +%s.%N)"
    echo "containers: docker run --rm, concurrency=$c runs=$n $(python3 -c "print(f'seconds={$end-$start:.2f} jobs_per_s={$n/($end-$start):.2f}')")"
    start_scenario "containers$c" "{ \"id\": \"p\", \"image\": \"$TEST_IMAGE\", \"command\": [\"true\"], \"maxConcurrency\": $c }"
    psql "$DB_URL" -qc "INSERT INTO bench (v) SELECT g FROM generate_series(1, $n) g"
    local deadline=$((SECONDS + 600))
    until python3 "$jobs_py" "$DB_URL" runs 2>/dev/null | grep -q "^runs=$n "; do
      [ $SECONDS -lt $deadline ] || die "the container jobs did not finish"
      sleep 1
    done
    echo "containers: orchestrator, concurrency=$c $(python3 "$jobs_py" "$DB_URL" runs)"
    stop_host
  done
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(containers latency batch)
for s in "${scenarios[@]}"; do
  case "$s" in
    latency) bench_latency ;;
    batch) bench_batch ;;
    containers) bench_containers ;;
    *) die "unknown scenario $s" ;;
  esac
done
