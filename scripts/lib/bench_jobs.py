"""Reads job records straight from Orleans' grain storage table and prints timing statistics.

Usage: bench_jobs.py PSQL_URL MODE [ARGS]
  count                         number of job records
  latency                       p50/p95/p99 of (job acknowledged - change captured), in ms
  span COMMIT_EPOCH_SECONDS     seconds from the commit to the last job's acknowledgement
  runs                          first run start to last run end (s), runs, jobs/s
"""
import datetime as dt
import json
import subprocess
import sys

from bench_stats import latency_summary, span_summary


def payloads(url):
    sql = "SELECT convert_from(payloadbinary, 'UTF8') FROM orleans.orleansstorage WHERE payloadbinary IS NOT NULL"
    out = subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if '"Transitions"' in line:
            yield json.loads(line)


def when(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def values(node):
    return node.get("$values", node) if isinstance(node, dict) else node


def main():
    url, mode = sys.argv[1], sys.argv[2]
    jobs = list(payloads(url))
    if mode == "count":
        print(len(jobs))
    elif mode == "latency":
        print(latency_summary((when(values(j["Transitions"])[0]["At"]) - when(j["Event"]["CapturedAt"])).total_seconds() * 1000 for j in jobs))
    elif mode == "span":
        commit = dt.datetime.fromtimestamp(float(sys.argv[3]), dt.timezone.utc)
        last = max(when(values(j["Transitions"])[0]["At"]) for j in jobs)
        span = (last - commit).total_seconds()
        print(span_summary(len(jobs), span))
    elif mode == "runs":
        runs = [r for j in jobs for r in values(j.get("Runs", [])) if r.get("FinishedAt")]
        start = min(when(r["StartedAt"]) for r in runs)
        end = max(when(r["FinishedAt"]) for r in runs)
        span = (end - start).total_seconds()
        ok = sum(1 for r in runs if r.get("ExitCode", 0) == 0 and not r.get("Error"))
        print(f"runs={len(runs)} ok={ok} seconds={span:.2f} jobs_per_s={len(runs) / span:.2f}")
    else:
        sys.exit(f"unknown mode {mode}")


main()
