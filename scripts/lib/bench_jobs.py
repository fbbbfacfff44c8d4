"""Reads job records straight from the job table (orchestrator.jobs) and prints timing statistics.

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


def payloads(url):
    sql = "SELECT record::text FROM orchestrator.jobs"
    out = subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        yield json.loads(line)


def when(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def main():
    url, mode = sys.argv[1], sys.argv[2]
    jobs = list(payloads(url))
    if mode == "count":
        print(len(jobs))
    elif mode == "latency":
        lat = sorted((when(j["transitions"][0]["at"]) - when(j["event"]["capturedAt"])).total_seconds() * 1000 for j in jobs)
        print(f"jobs={len(lat)} p50_ms={percentile(lat, 50):.1f} p95_ms={percentile(lat, 95):.1f} p99_ms={percentile(lat, 99):.1f} max_ms={lat[-1]:.1f}")
    elif mode == "span":
        commit = dt.datetime.fromtimestamp(float(sys.argv[3]), dt.timezone.utc)
        last = max(when(j["transitions"][0]["at"]) for j in jobs)
        span = (last - commit).total_seconds()
        print(f"jobs={len(jobs)} seconds={span:.2f} jobs_per_s={len(jobs) / span:.0f}")
    elif mode == "runs":
        runs = [r for j in jobs for r in j["runs"] if r.get("finishedAt")]
        start = min(when(r["startedAt"]) for r in runs)
        end = max(when(r["finishedAt"]) for r in runs)
        span = (end - start).total_seconds()
        ok = sum(1 for r in runs if r.get("exitCode") == 0 and not r.get("error"))
        print(f"runs={len(runs)} ok={ok} seconds={span:.2f} jobs_per_s={len(runs) / span:.2f}")
    else:
        sys.exit(f"unknown mode {mode}")


main()
