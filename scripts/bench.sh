#!/usr/bin/env bash
# Measures the numbers in docs/benchmarks.md on this machine, each against a fresh database and a silo process:
#   latency    commit -> job recorded at a steady 100 rows/s for 30 s (pgbench -R 100)
#   batch      one transaction of 10,000 rows -> 10,000 recorded jobs
#   containers container jobs per second at concurrency 1 and 4, next to `docker run` of the same container
#   chatty     jobs whose container writes 200 MiB of short lines, next to `docker run` of the same container with
#              the same log settings (local 3 × 10 MiB; then json-file 2 × 1 GiB, as unbounded for this output),
#              the silo's peak RSS before and after each job, and the engine's files per container
# Usage: scripts/bench.sh [latency|batch|containers|chatty]...   (default: all but chatty)
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
  # Only the benchmark's own containers: the engine may be shared.
  docker ps -aq --filter label=orchestrator.managed=true --filter label=orchestrator.link-id=bench-link \
    | xargs -r docker rm -f >/dev/null 2>&1 || true
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

wait_runs() { # COUNT SECONDS
  local deadline=$((SECONDS + $2))
  until python3 "$jobs_py" "$DB_URL" runs 2>/dev/null | grep -q "^runs=$1 "; do
    [ $SECONDS -lt $deadline ] || die "fewer than $1 runs finished after $2 s"
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
    wait_runs "$n" 600
    echo "containers: orchestrator, concurrency=$c $(python3 "$jobs_py" "$DB_URL" runs)"
    stop_host
  done
}

peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$host_pid/status"; }

# chatty_case NAME DRIVER MAX_SIZE_MB MAX_FILES JOBS: `docker run` of the 200 MiB writer with these log settings,
# then JOBS jobs of it one after another in a fresh silo (the first job's time is compared).
chatty_case() {
  local name="$1" driver="$2" size="$3" files="$4" jobs="$5"
  local script='yes 0123456789abcdef | head -c 209715200' start end docker_s peaks i
  start="$(date +%s.%N)"
  docker run --rm --log-driver "$driver" --log-opt max-size="${size}m" --log-opt max-file="$files" "$TEST_IMAGE" sh -c "$script" >/dev/null
  end="$(date +%s.%N)"
  docker_s="$(python3 -c "print(f'{$end-$start:.2f}')")"
  echo "$name: docker run --rm --log-driver $driver --log-opt max-size=${size}m --log-opt max-file=$files seconds=$docker_s"
  start_scenario "$name" "{ \"id\": \"p\", \"image\": \"$TEST_IMAGE\", \"command\": [\"sh\", \"-c\", \"$script\"],
    \"removeContainers\": false, \"logs\": { \"driver\": \"$driver\", \"maxSizeMegabytes\": $size, \"maxFiles\": $files } }"
  peaks="before=$(peak_rss_kib)"
  for i in $(seq "$jobs"); do
    psql "$DB_URL" -qc "INSERT INTO bench (v) VALUES ($i)"
    wait_runs "$i" 900
    peaks="$peaks after_job_$i=$(peak_rss_kib)"
    if [ "$i" = 1 ]; then
      local run ratio
      run="$(python3 "$jobs_py" "$DB_URL" runs)"
      ratio="$(python3 -c "import sys; print(f'{float(sys.argv[1].split(\"seconds=\")[1].split()[0]) / $docker_s:.2f}')" "$run")"
      echo "$name: orchestrator job 1 $run ratio_to_docker_run=$ratio"
    fi
  done
  python3 "$jobs_py" "$DB_URL" tails | sed "s/^/$name: /"
  echo "$name: silo peak RSS (VmHWM) KiB $peaks"
  local root id
  root="$(docker info --format '{{.DockerRootDir}}')"
  for id in $(docker ps -aq --no-trunc --filter label=orchestrator.managed=true --filter label=orchestrator.link-id=bench-link); do
    echo "$name: engine files of container ${id:0:12}: $(du -sb "$root/containers/$id" | cut -f1) bytes"
  done
  stop_host
}

bench_chatty() {
  chatty_case chatty local 10 3 2
  # As large as the engine's default (json-file without max-size) lets this output grow: what a process got before.
  chatty_case chatty_json json-file 1024 2 1
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(containers latency batch)
for s in "${scenarios[@]}"; do
  case "$s" in
    latency) bench_latency ;;
    batch) bench_batch ;;
    containers) bench_containers ;;
    chatty) bench_chatty ;;
    *) die "unknown scenario $s" ;;
  esac
done
