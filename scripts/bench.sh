#!/usr/bin/env bash
# Measures the numbers in docs/benchmarks.md on this machine, each against a fresh database and a silo process:
#   latency    commit -> job recorded at a steady rate (BENCH_RATE, default 100 rows/s) for 30 s (pgbench -R)
#   batch      one transaction of 10,000 rows -> 10,000 recorded jobs
#   containers container jobs per second at concurrency 1 and 4, next to `docker run` of the same container
#   chatty     jobs whose container writes 200 MiB of short lines, next to `docker run` of the same container with
#              the same log settings (local 3 × 10 MiB; then json-file 2 × 1 GiB, as unbounded for this output),
#              the silo's peak RSS before and after each job, and the engine's files per container
#   queries    the 50 newest failed jobs of a link among BENCH_QUERY_ROWS (default 1,000,000) job records, over HTTP
#   links      the batch of 10,000 rows and the latency at BENCH_RATE (default 100 rows/s), each through one unfiltered
#              link, 1 and 3 links whose filter keeps half of the rows (the trigger's WHEN keeps the other half out of
#              the event log; the share kept out is printed), and one per-row link
# Usage: scripts/bench.sh [latency|batch|containers|chatty|queries|links]...   (default: all but chatty, queries and links)
#   BENCH_DURABLE=1  run on the durable benchmark cluster (.work/pg-durable: fsync, synchronous_commit and
#                    full_page_writes on) instead of the test cluster (fsync off)
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"
source "$(dirname "$0")/lib/bench.sh"

bench_prepare


scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(containers latency batch)
for s in "${scenarios[@]}"; do
  case "$s" in
    latency) bench_latency "${BENCH_RATE:-100}" ;;
    batch) bench_batch 10000 ;;
    containers) bench_containers ;;
    chatty) bench_chatty ;;
    queries) bench_queries "${BENCH_QUERY_ROWS:-1000000}" ;;
    links) bench_links "${BENCH_RATE:-100}" ;;
    *) die "unknown scenario $s" ;;
  esac
done
