#!/usr/bin/env bash
# Orchestrator next to graphile-worker, in one run on one durable PostgreSQL 15 cluster (.work/pg-durable: fsync,
# synchronous_commit and full_page_writes on). graphile-worker is installed with npm into .work/anchors (never
# committed); its harness is scripts/lib/anchors/graphile-worker.mjs. Each scenario gets a fresh database:
#   batch    one transaction of BENCH_ROWS rows into a table whose row trigger creates one job per row ->
#            graphile-worker: commit -> every job done (queue empty); Orchestrator: commit -> every job recorded
#   latency  single-row transactions at a steady BENCH_RATE rows/s for 30 s (pgbench -R); per job, the trigger's
#            clock_timestamp() -> graphile-worker: the task function starts; Orchestrator: the job's acknowledged
#            transition
# then prints both, the ratios and the goals (batch >= 1.5x graphile-worker's jobs/s; p50 <= 5 ms, p99 <= 25 ms).
# Usage: scripts/bench-anchors.sh
#   GRAPHILE_WORKER_VERSION (default 0.18.0), GRAPHILE_WORKER_CONCURRENCY (default 10),
#   BENCH_ROWS (default 10000), BENCH_RATE (default 200)
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"
source "$(dirname "$0")/lib/bench.sh"

gw_version="${GRAPHILE_WORKER_VERSION:-0.18.0}"
gw_concurrency="${GRAPHILE_WORKER_CONCURRENCY:-10}"
rows="${BENCH_ROWS:-10000}"
rate="${BENCH_RATE:-200}"
gw_dir="$WORK/anchors/graphile-worker-$gw_version"
gw_script="$ROOT/scripts/lib/anchors/graphile-worker.mjs"
stats_py="$ROOT/scripts/lib/bench_stats.py"
gw_pid=""

# ensure_graphile_worker: Node.js (20 or newer) and graphile-worker $gw_version installed with npm into $gw_dir.
ensure_graphile_worker() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js $(node --version) is too old for graphile-worker $gw_version; install Node.js 20 or newer"
  if [ "$(node -p "require('$gw_dir/node_modules/graphile-worker/package.json').version" 2>/dev/null)" = "$gw_version" ]; then
    return 0
  fi
  say "installing graphile-worker $gw_version with npm into $gw_dir"
  mkdir -p "$gw_dir"
  echo '{ "private": true }' >"$gw_dir/package.json"
  npm install --prefix "$gw_dir" --no-audit --no-fund "graphile-worker@$gw_version" >"$gw_dir/npm.log" 2>&1 \
    || die "npm install graphile-worker@$gw_version failed; see $gw_dir/npm.log"
}

# gw_start TIMES_FILE [EXPECTED_JOBS]: graphile-worker's schema and job trigger in $DB_URL, and a worker running.
gw_start() {
  rm -f "$1" "$1.ready" "$1.done"
  GRAPHILE_WORKER_DIR="$gw_dir" node "$gw_script" install "$DB_URL" || die "could not install graphile-worker's schema"
  GRAPHILE_WORKER_DIR="$gw_dir" node "$gw_script" work "$DB_URL" "$gw_concurrency" "$@" >"$1.log" 2>&1 &
  gw_pid=$!
  wait_for "graphile-worker $gw_version (concurrency $gw_concurrency)" 60 test -f "$1.ready" \
    || die "graphile-worker did not start; see $1.log"
}

gw_stop() {
  [ -n "$gw_pid" ] || return 0
  kill -TERM "$gw_pid" 2>/dev/null || true
  wait "$gw_pid" || say "graphile-worker exited with status $?"
  gw_pid=""
}

gw_batch() {
  local times="$WORK/anchors/batch.times"
  bench_fresh_db bench_gw_batch
  gw_start "$times" "$rows"
  bench_insert_batch "$rows"
  wait_for "graphile-worker's queue (empty)" 600 test -f "$times.done" || die "graphile-worker's jobs did not finish; see $times.log"
  gw_stop
  echo "batch: $(python3 "$stats_py" span "$times" "$BENCH_COMMITTED")"
}

gw_queue_empty() { [ "$(psql "$DB_URL" -qAtc 'SELECT count(*) FROM graphile_worker.jobs')" = 0 ]; }

gw_latency() {
  local times="$WORK/anchors/latency.times" n
  bench_fresh_db bench_gw_latency
  gw_start "$times"
  bench_insert_at_rate "$rate" 30
  n="$(bench_rows)"
  wait_for "graphile-worker's queue (empty)" 120 gw_queue_empty || die "graphile-worker's jobs did not finish; see $times.log"
  gw_stop
  echo "latency: rows=$n rate=$rate/s $(python3 "$stats_py" latency "$times")"
}

ensure_graphile_worker
BENCH_DURABLE=1
bench_prepare
trap 'gw_stop; stop_host' EXIT
mkdir -p "$WORK/anchors"
results="$WORK/anchors/results.txt"
: >"$results"

# run_scenario WHO COMMAND...: runs a scenario in this shell (so the EXIT trap still sees its processes) and
# keeps its result line, prefixed with WHO, with the machine's 1-minute load average before and after (the
# machine may be shared).
run_scenario() {
  local who="$1" out="$WORK/anchors/scenario.out" load
  shift
  load="$(cut -d' ' -f1 /proc/loadavg)"
  "$@" >"$out"
  load="$load..$(cut -d' ' -f1 /proc/loadavg)"
  grep -E '^(batch|latency): ' "$out" | sed "s/^/$who /; s/\$/ load1=$load/" | tee -a "$results"
}

say "graphile-worker $gw_version on Node.js $(node --version), concurrency $gw_concurrency"
run_scenario graphile gw_batch
run_scenario graphile gw_latency
say "Orchestrator (Release build, one silo)"
run_scenario orchestrator bench_batch "$rows"
run_scenario orchestrator bench_latency "$rate"

python3 - "$results" "$gw_version" "$gw_concurrency" "$rows" "$rate" <<'PY'
import sys

path, version, concurrency, rows, rate = sys.argv[1:]
r = {}
for line in open(path, encoding="utf-8"):
    who, scenario, *fields = line.split()
    r[(who, scenario.rstrip(":"))] = dict(f.split("=", 1) for f in fields if "=" in f)
g_b, o_b = r[("graphile", "batch")], r[("orchestrator", "batch")]
g_l, o_l = r[("graphile", "latency")], r[("orchestrator", "latency")]
ratio = float(o_b["jobs_per_s"]) / float(g_b["jobs_per_s"])
p50, p99 = float(o_l["p50_ms"]), float(o_l["p99_ms"])
verdict = lambda ok: "PASS" if ok else "FAIL"
rows_fmt = f"{int(rows):,}"
print()
print(f"{'':44} {'graphile-worker ' + version:>22} {'orchestrator':>14}   ours vs theirs   goal")
print(f"{rows_fmt + '-row batch, jobs/s':44} {g_b['jobs_per_s']:>22} {o_b['jobs_per_s']:>14}   {ratio:>13.2f}x   >= 1.50x    {verdict(ratio >= 1.5)}")
print(f"{'  seconds (theirs: done; ours: recorded)':44} {g_b['seconds']:>22} {o_b['seconds']:>14}")
for p, goal in (("p50", 5.0), ("p95", None), ("p99", 25.0)):
    g, o = float(g_l[f"{p}_ms"]), float(o_l[f"{p}_ms"])
    goal_text = f"<= {goal:.0f} ms" if goal else ""
    result = verdict(o <= goal) if goal else ""
    print(f"{f'commit -> job, {rate} rows/s, {p} ms':44} {g:>22.1f} {o:>14.1f}   {o / g:>13.1f}x   {goal_text:<10} {result}".rstrip())
print(f"{'  jobs measured':44} {g_l['jobs']:>22} {o_l['jobs']:>14}")
print(f"{'1-min load average, batch (before..after)':44} {g_b['load1']:>22} {o_b['load1']:>14}")
print(f"{'1-min load average, latency (before..after)':44} {g_l['load1']:>22} {o_l['load1']:>14}")
print(f"(graphile-worker: concurrency {concurrency}, latency to the task function's start; "
      f"Orchestrator: latency to the job's acknowledged transition)")
PY
