# Orchestrator's benchmark scenarios, shared by scripts/bench.sh and scripts/bench-anchors.sh. Source it after
# all.sh; do not run it. Each scenario gets a fresh database (table bench) and its own silo process.
# shellcheck shell=bash

BENCH_JOBS_PY="$ROOT/scripts/lib/bench_jobs.py"
BENCH_INSERT_SQL='\set v random(1, 10000)
INSERT INTO bench (v) VALUES (:v);'
host_pid=""

# bench_prepare: the .NET SDK, Docker, the test image, the Release build of the host, and the cluster the
# scenarios run on: the durable one (ensure_durable_postgres) when BENCH_DURABLE=1, otherwise the test cluster.
# Sets BENCH_PG (connection string) and BENCH_SERVER_URL (psql URL without a database).
bench_prepare() {
  ensure_dotnet
  if [ "${BENCH_DURABLE:-0}" = 1 ]; then
    ensure_durable_postgres
    BENCH_PG="$ORCHESTRATOR_DURABLE_PG"
  else
    ensure_postgres
    BENCH_PG="$ORCHESTRATOR_PG"
  fi
  ensure_docker
  ensure_test_image
  BENCH_SERVER_URL="$(pg_url "$BENCH_PG" postgres)"
  BENCH_SERVER_URL="${BENCH_SERVER_URL%/postgres}"
  say "benchmark cluster: $BENCH_SERVER_URL (fsync=$(psql "$BENCH_SERVER_URL/postgres" -qAtc 'SHOW fsync'), synchronous_commit=$(psql "$BENCH_SERVER_URL/postgres" -qAtc 'SHOW synchronous_commit'))"
  (cd "$ROOT" && dotnet build src/Orchestrator.Host -c Release -nologo -clp:ErrorsOnly >&2)
  trap stop_host EXIT
}

# bench_fresh_db NAME: drops and creates database NAME with an empty table bench; sets DB_URL.
bench_fresh_db() {
  psql "$BENCH_SERVER_URL/postgres" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  DB_URL="$BENCH_SERVER_URL/$1"
  psql "$DB_URL" -qc "CREATE TABLE bench (id bigserial PRIMARY KEY, v int)"
}

# bench_insert_at_rate RATE SECONDS: single-row transactions into bench at a steady RATE per second (pgbench -R);
# says how long the inserts themselves took (a saturated server shows here first).
bench_insert_at_rate() {
  local log="$WORK/bench-pgbench-${DB_URL##*/}.log"
  echo "$BENCH_INSERT_SQL" >"$WORK/bench-insert.sql"
  "$PG_BIN/pgbench" -n -f "$WORK/bench-insert.sql" -R "$1" -T "$2" -c 2 -j 1 "$DB_URL" >"$log" 2>&1 \
    || die "pgbench failed; see $log"
  say "pgbench: $(grep -E '^(latency average|rate limit schedule lag)' "$log" | tr '\n' ';')"
}

# bench_insert_batch ROWS: one transaction of ROWS rows into bench; sets BENCH_COMMITTED (epoch seconds, taken
# when psql returned after the commit).
bench_insert_batch() {
  psql "$DB_URL" -qc "INSERT INTO bench (v) SELECT g FROM generate_series(1, $1) g"
  BENCH_COMMITTED="$(date +%s.%N)"
}

bench_rows() { psql "$DB_URL" -qAtc "SELECT count(*) FROM bench"; }

# wait_runs COUNT SECONDS: until COUNT runs of the scenario's jobs have finished.
wait_runs() {
  local deadline=$((SECONDS + $2))
  until python3 "$BENCH_JOBS_PY" "$DB_URL" runs 2>/dev/null | grep -q "^runs=$1 "; do
    [ $SECONDS -lt $deadline ] || die "fewer than $1 runs finished after $2 s"
    sleep 0.5
  done
}

# stop_host: ends the scenario's silo and removes the containers it created (by their scope label, which names
# this scenario's database), never other containers on the engine.
stop_host() {
  if [ -n "$host_pid" ]; then
    kill -9 "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
  fi
  [ -n "${DB_URL:-}" ] || return 0
  scenario_containers | xargs -r docker rm -f >/dev/null 2>&1 || true
}

# scenario_containers [DOCKER PS FLAGS]: ids of the containers the scenario's silo created: their scope label ends
# with the scenario's database.
scenario_containers() {
  local scope_tail="@${DB_URL#postgresql://*@}"
  docker ps -a "$@" --filter label=orchestrator.managed=true --format '{{.ID}} {{.Label "orchestrator.scope"}}' 2>/dev/null \
    | awk -v tail="$scope_tail" 'length($2) >= length(tail) && substr($2, length($2) - length(tail) + 1) == tail { print $1 }'
}

# start_scenario NAME PROCESS_JSON [LINKS_JSON]: fresh database bench_NAME, silo running bench -> PROCESS_JSON
# (through LINKS_JSON when given, else one unfiltered link); BENCH_HOST_ARGS (split on spaces) adds host options,
# e.g. "--Orchestrator:JobStoreBatchWindow=00:00:00.002".
start_scenario() {
  local name="$1" process="$2" db="bench_$1"
  local links="${3:-{ \"id\": \"bench-link\", \"input\": \"bench\", \"process\": \"p\" \}}"
  bench_fresh_db "$db"
  local file="$WORK/bench-$name.json" port
  cat >"$file" <<JSON
{ "inputs": [ { "id": "bench", "tables": ["bench"] } ],
  "processes": [ $process ],
  "links": [ $links ] }
JSON
  port="$(free_port)"
  dotnet "$ROOT/src/Orchestrator.Host/bin/Release/net10.0/Orchestrator.Host.dll" --urls "http://127.0.0.1:$port" \
    --Orchestrator:ConnectionString="$BENCH_PG;Database=$db" --Orchestrator:PipelinesFile="$file" \
    --Orchestrator:ClusterId="bench-$name" --Orchestrator:SiloPort="$(free_port)" --Orchestrator:GatewayPort="$(free_port)" \
    --Logging:LogLevel:Default=Warning ${BENCH_HOST_ARGS:-} >"$WORK/bench-$name.log" 2>&1 &
  host_pid=$!
  BENCH_HTTP_PORT="$port"
  wait_for "silo for $name" 120 curl -sf "http://127.0.0.1:$port/healthz" || die "the silo did not start; see $WORK/bench-$name.log"
}

wait_jobs() { # COUNT SECONDS
  local deadline=$((SECONDS + $2))
  until [ "$(python3 "$BENCH_JOBS_PY" "$DB_URL" count)" -ge "$1" ]; do
    [ $SECONDS -lt $deadline ] || die "fewer than $1 jobs after $2 s"
    sleep 0.5
  done
}

true_process() { # MAX_CONCURRENCY: the process every scenario runs, busybox `true`
  echo "{ \"id\": \"p\", \"image\": \"$TEST_IMAGE\", \"command\": [\"true\"], \"maxConcurrency\": $1 }"
}

# bench_latency RATE [NAME LINKS_JSON]: commit -> job recorded at a steady RATE rows/s for 30 s, through one
# unfiltered link or LINKS_JSON. Each row's v is random in 1..10000, so a filter `v <= 5000` keeps about half.
bench_latency() {
  start_scenario "${2:-latency}" "$(true_process 1)" "${3:-}"
  bench_insert_at_rate "$1" 30
  local rows
  rows="$(bench_rows)"
  wait_jobs "$(expected_jobs "$rows")" 120
  echo "latency: ${2:-latency} rows=$rows rate=$1/s $(event_log_share "$rows") $(python3 "$BENCH_JOBS_PY" "$DB_URL" latency)"
  stop_host
}

# bench_batch ROWS [NAME LINKS_JSON]: one transaction of ROWS rows (v = 1..ROWS) -> recorded jobs, through one
# unfiltered link or LINKS_JSON.
bench_batch() {
  start_scenario "${2:-batch}" "$(true_process 1)" "${3:-}"
  bench_insert_batch "$1"
  wait_jobs "$(expected_jobs "$1")" 600
  echo "batch: ${2:-batch} rows=$1 $(event_log_share "$1") $(python3 "$BENCH_JOBS_PY" "$DB_URL" span "$BENCH_COMMITTED")"
  stop_host
}

# expected_jobs ROWS: how many jobs the scenario's rows make: one per row and link whose filter keeps it.
expected_jobs() {
  if [ "${BENCH_FILTERED_LINKS:-0}" = 0 ]; then echo "$1"; return; fi
  echo $(($(psql "$DB_URL" -qAtc "SELECT count(*) FROM bench WHERE v <= 5000") * BENCH_FILTERED_LINKS))
}

# event_log_share ROWS: how many events the triggers wrote to the event log for ROWS rows (its identity's last value),
# i.e. how many the trigger's WHEN kept out.
event_log_share() {
  local events
  events="$(psql "$DB_URL" -qAtc "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('orchestrator.event_log', 'id')), 0)")"
  python3 -c "import sys; r, e = int(sys.argv[1]), int(sys.argv[2]); print(f'event_log_rows={e} kept_out={100 * (r - e) / r:.1f}%')" "$1" "$events"
}

# filtered_links COUNT: COUNT links that each keep the rows with v <= 5000 (half of a 10,000-row batch, about half of
# the latency scenario's rows); every link filters, so the trigger's WHEN keeps the other rows out of the event log.
filtered_links() {
  local links="" i
  for i in $(seq 1 "$1"); do
    links+="${links:+, }{ \"id\": \"bench-f$i\", \"input\": \"bench\", \"process\": \"p\", \"filter\": { \"when\": \"v <= 5000\" } }"
  done
  echo "$links"
}

PER_ROW_LINK='{ "id": "bench-rows", "input": "bench", "process": "p", "ordering": "per-row" }'

# bench_links RATE: the batch of 10,000 rows and commit -> job latency at RATE rows/s, each through one unfiltered
# link, 1 and 3 filtered links, and one per-row link, in one run.
bench_links() {
  local n
  bench_batch 10000
  for n in 1 3; do BENCH_FILTERED_LINKS=$n bench_batch 10000 "filtered$n" "$(filtered_links $n)"; done
  bench_batch 10000 per_row "$PER_ROW_LINK"
  bench_latency "$1"
  for n in 1 3; do BENCH_FILTERED_LINKS=$n bench_latency "$1" "latency_filtered$n" "$(filtered_links $n)"; done
  bench_latency "$1" latency_per_row "$PER_ROW_LINK"
}

# bench_containers: container jobs per second at concurrency 1 and 4, next to `docker run` of the same container.
bench_containers() {
  local n=40 c start end
  for c in 1 4; do
    start="$(date +%s.%N)"
    seq "$n" | xargs -P "$c" -I{} docker run --rm "$TEST_IMAGE" true
    end="$(date +%s.%N)"
    echo "containers: docker run --rm, concurrency=$c runs=$n $(python3 -c "print(f'seconds={$end-$start:.2f} jobs_per_s={$n/($end-$start):.2f}')")"
    start_scenario "containers$c" "$(true_process "$c")"
    psql "$DB_URL" -qc "INSERT INTO bench (v) SELECT g FROM generate_series(1, $n) g"
    wait_runs "$n" 600
    echo "containers: orchestrator, concurrency=$c $(python3 "$BENCH_JOBS_PY" "$DB_URL" runs)"
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
      run="$(python3 "$BENCH_JOBS_PY" "$DB_URL" runs)"
      ratio="$(python3 -c "import sys; print(f'{float(sys.argv[1].split(\"seconds=\")[1].split()[0]) / $docker_s:.2f}')" "$run")"
      echo "$name: orchestrator job 1 $run ratio_to_docker_run=$ratio"
    fi
  done
  python3 "$BENCH_JOBS_PY" "$DB_URL" tails | sed "s/^/$name: /"
  echo "$name: silo peak RSS (VmHWM) KiB $peaks"
  local root id
  root="$(docker info --format '{{.DockerRootDir}}')"
  for id in $(scenario_containers --no-trunc); do
    echo "$name: engine files of container ${id:0:12}: $(du -sb "$root/containers/$id" | cut -f1) bytes"
  done
  stop_host
}

bench_chatty() {
  chatty_case chatty local 10 3 2
  # As large as the engine's default (json-file without max-size) lets this output grow: what a process got before.
  chatty_case chatty_json json-file 1024 2 1
}

# bench_queries ROWS: ROWS finished job records in orchestrator.jobs (20 links, one job every 100 ms, 80 %
# succeeded, 12 % failed, 8 % discarded, records of about 600 bytes), then the query for the 50 newest failed
# jobs of one link, 200 times over HTTP (GET /api/jobs, as the CLI and a UI ask it) and once under EXPLAIN ANALYZE.
bench_queries() {
  local rows="$1"
  start_scenario queries "$(true_process 1)"
  psql "$DB_URL" -qc "
    INSERT INTO orchestrator.jobs (service_id, job_id, link_id, process_id, input_id, schema_name, table_name, event_id,
                                   status, attempts, created_at, updated_at, finished_at, last_exit_code, version, record)
    SELECT 'orchestrator', 'job:link-' || (g % 20) || ':' || g, 'link-' || (g % 20), 'p', 'bench', 'public', 'bench', g,
           s.status, 1, t.at, t.at + interval '1 second', t.at + interval '1 second',
           CASE s.status WHEN 'succeeded' THEN 0 ELSE 1 END, 3,
           jsonb_build_object('jobId', 'job:link-' || (g % 20) || ':' || g, 'status', s.status,
                              'event', jsonb_build_object('id', g, 'new', jsonb_build_object('id', g, 'note', repeat('x', 480))))
      FROM generate_series(1, $rows) AS g
     CROSS JOIN LATERAL (SELECT now() - ($rows - g) * interval '100 milliseconds' AS at) AS t
     CROSS JOIN LATERAL (SELECT CASE WHEN g % 25 < 3 THEN 'failed' WHEN g % 25 < 5 THEN 'discarded' ELSE 'succeeded' END AS status) AS s" \
    -c "VACUUM ANALYZE orchestrator.jobs"
  say "$(psql "$DB_URL" -qAtc "SELECT count(*) || ' job records, table and indexes ' || pg_size_pretty(pg_total_relation_size('orchestrator.jobs')) FROM orchestrator.jobs")"
  local sql="SELECT job_id FROM orchestrator.jobs WHERE service_id = 'orchestrator' AND link_id = 'link-7' AND status = 'failed' ORDER BY created_at DESC, job_id DESC LIMIT 51"
  say "EXPLAIN ANALYZE: $(psql "$DB_URL" -qAtc "EXPLAIN (ANALYZE, BUFFERS) $sql" | grep -E 'Execution Time|Index Scan' | head -2 | tr '\n' ';')"
  python3 - "http://127.0.0.1:$BENCH_HTTP_PORT/api/jobs?link=link-7&status=failed&limit=50" <<'PY'
import json, statistics, sys, time, urllib.request

url = sys.argv[1]
times = []
for i in range(220):
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        page = json.load(response)
    elapsed = (time.perf_counter() - start) * 1000
    if i >= 20:  # the first calls warm the grain, the plan and the connection pool
        times.append(elapsed)
assert len(page["jobs"]) == 50 and all(j["status"] == "failed" and j["linkId"] == "link-7" for j in page["jobs"])
times.sort()
q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
print(f"queries: requests={len(times)} jobs_per_page={len(page['jobs'])} p50_ms={q(0.5):.1f} p95_ms={q(0.95):.1f} p99_ms={q(0.99):.1f} max_ms={times[-1]:.1f}")
PY
  stop_host
}
