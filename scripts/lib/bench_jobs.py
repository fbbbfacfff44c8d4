"""Reads job records straight from Orleans' grain storage table and prints timing statistics.

Usage: bench_jobs.py PSQL_URL MODE [ARGS]
  count                         number of job records
  latency                       p50/p95/p99 of (job acknowledged - change captured), in ms
  span COMMIT_EPOCH_SECONDS     seconds from the commit to the last job's acknowledgement
  runs                          first run start to last run end (s), runs, jobs/s
  tails                         per run: exit code, stored stdout tail size and its last line, truncation flag
"""
import datetime as dt
import json
import subprocess
import sys


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
        lat = sorted((when(values(j["Transitions"])[0]["At"]) - when(j["Event"]["CapturedAt"])).total_seconds() * 1000 for j in jobs)
        print(f"jobs={len(lat)} p50_ms={percentile(lat, 50):.1f} p95_ms={percentile(lat, 95):.1f} p99_ms={percentile(lat, 99):.1f} max_ms={lat[-1]:.1f}")
    elif mode == "span":
        commit = dt.datetime.fromtimestamp(float(sys.argv[3]), dt.timezone.utc)
        last = max(when(values(j["Transitions"])[0]["At"]) for j in jobs)
        span = (last - commit).total_seconds()
        print(f"jobs={len(jobs)} seconds={span:.2f} jobs_per_s={len(jobs) / span:.0f}")
    elif mode == "runs":
        runs = [r for j in jobs for r in values(j.get("Runs", [])) if r.get("FinishedAt")]
        start = min(when(r["StartedAt"]) for r in runs)
        end = max(when(r["FinishedAt"]) for r in runs)
        span = (end - start).total_seconds()
        ok = sum(1 for r in runs if r.get("ExitCode", 0) == 0 and not r.get("Error"))
        print(f"runs={len(runs)} ok={ok} seconds={span:.2f} jobs_per_s={len(runs) / span:.2f}")
    elif mode == "tails":
        for r in (r for j in jobs for r in values(j.get("Runs", [])) if r.get("FinishedAt")):
            out = r.get("StdoutTail", "")
            last = out.rstrip("\n").rsplit("\n", 1)[-1]
            print(f"exit={r.get('ExitCode')} stdout_tail_bytes={len(out.encode())} last_line={last!r} truncated={r.get('LogsTruncated', False)}")
    else:
        sys.exit(f"unknown mode {mode}")


main()
