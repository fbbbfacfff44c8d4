"""Reads job records straight from the job table (orchestrator.jobs) and prints timing statistics.

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

from bench_stats import latency_summary, span_summary


def query(url, sql):
    return subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True).stdout.splitlines()


def payloads(url):
    for line in query(url, "SELECT record::text FROM orchestrator.jobs"):
        yield json.loads(line)


def when(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def main():
    url, mode = sys.argv[1], sys.argv[2]
    if mode == "count":
        print(query(url, "SELECT count(*) FROM orchestrator.jobs")[0])
        return
    jobs = list(payloads(url))
    if mode == "latency":
        print(latency_summary((when(j["transitions"][0]["at"]) - when(j["event"]["capturedAt"])).total_seconds() * 1000 for j in jobs))
    elif mode == "span":
        commit = dt.datetime.fromtimestamp(float(sys.argv[3]), dt.timezone.utc)
        last = max(when(j["transitions"][0]["at"]) for j in jobs)
        span = (last - commit).total_seconds()
        print(span_summary(len(jobs), span))
    elif mode == "runs":
        runs = [r for j in jobs for r in j["runs"] if r.get("finishedAt")]
        start = min(when(r["startedAt"]) for r in runs)
        end = max(when(r["finishedAt"]) for r in runs)
        span = (end - start).total_seconds()
        ok = sum(1 for r in runs if r.get("exitCode") == 0 and not r.get("error"))
        print(f"runs={len(runs)} ok={ok} seconds={span:.2f} jobs_per_s={len(runs) / span:.2f}")
    elif mode == "tails":
        for r in (r for j in jobs for r in j["runs"] if r.get("finishedAt")):
            out = r.get("stdoutTail", "")
            last = out.rstrip("\n").rsplit("\n", 1)[-1]
            print(f"exit={r.get('exitCode')} stdout_tail_bytes={len(out.encode())} last_line={last!r} truncated={r.get('logsTruncated', False)}")
    else:
        sys.exit(f"unknown mode {mode}")


main()
