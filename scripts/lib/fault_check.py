"""Checks the fault suite's outcome: every committed change has exactly one job, no attempt had two containers, and
the per-row link ran each counter row's jobs one at a time in commit order.

Usage: fault_check.py PSQL PORT DATABASE LINK CREATES_FILE (--settled | --kills N --pg-restarts N --engine-restarts N)
  LINK        the link of the table items (one job per inserted row); LINK-rows is the per-row link of the table
              counters, whose rows are updated many times (n counts a row's commits: 0 for the insert, then 1, 2, ...)
  --settled   exit 0 when every committed change has a job and every job has finished, else 1 (prints nothing)
  otherwise   print the summary line and exit 1 unless lost, duplicated and out_of_order are 0 and every job finished
"""
import collections
import json
import subprocess
import sys
from datetime import datetime

TERMINAL = {"succeeded", "failed", "discarded"}


PSQL = sys.argv[1]


def psql(port, db, sql):
    cmd = [PSQL, "-h", "127.0.0.1", "-p", port, "-U", "orchestrator", "-d", db, "-qAt", "-c", sql]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()


def jobs_of(port, db, link):
    """Job records (their documents) of the link, from the job table."""
    literal = link.replace("'", "''")
    for line in psql(port, db, f"SELECT record::text FROM orchestrator.jobs WHERE link_id = '{literal}'"):
        yield json.loads(line)


def changes_of(jobs, key):
    """How many jobs each change (a key of the job's new row) has."""
    return collections.Counter(key(job["event"]["newRow"]) for job in jobs)


def out_of_order(jobs):
    """Jobs of a counter row that started before the job of the row's previous commit had finished its last run."""
    late = []
    by_row = collections.defaultdict(list)
    for job in jobs:
        if job["runs"]:
            by_row[int(job["event"]["newRow"]["id"])].append(job)
    for row, ran in by_row.items():
        ran.sort(key=lambda j: int(j["event"]["newRow"]["n"]))
        for before, after in zip(ran, ran[1:]):
            finished = before["runs"][-1].get("finishedAt")
            if finished is None or datetime.fromisoformat(after["runs"][0]["startedAt"]) < datetime.fromisoformat(finished):
                late.append((row, after["jobId"], before["jobId"]))
    return late


def main():
    port, db, link, creates_file = sys.argv[2:6]
    rows_link = f"{link}-rows"
    flags = sys.argv[6:]
    committed = [int(x) for x in psql(port, db, "SELECT id FROM items")]
    counters = {int(i): int(n) for i, n in (line.split("|") for line in psql(port, db, "SELECT id, n FROM counters"))}
    changes = [(i, n) for i, last in counters.items() for n in range(last + 1)]
    jobs = list(jobs_of(port, db, link))
    row_jobs = list(jobs_of(port, db, rows_link))
    jobs_by_row = changes_of(jobs, lambda r: int(r["id"]))
    jobs_by_change = changes_of(row_jobs, lambda r: (int(r["id"]), int(r["n"])))
    lost = [f"row {r}" for r in committed if jobs_by_row[r] == 0] + [f"counter {c}" for c in changes if jobs_by_change[c] == 0]
    doubled_rows = [f"row {r} has {n} jobs" for r, n in jobs_by_row.items() if n > 1]
    doubled_rows += [f"counter {c} has {n} jobs" for c, n in jobs_by_change.items() if n > 1]
    unfinished = [j["jobId"] for j in jobs + row_jobs if j["status"] not in TERMINAL]

    if "--settled" in flags:
        sys.exit(0 if not lost and not unfinished else 1)

    creates = collections.Counter()
    with open(creates_file, encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 2 and parts[0].startswith((f"job:{link}:", f"job:{rows_link}:")):
                creates[(parts[0], parts[1])] += 1
    doubled_attempts = [key for key, n in creates.items() if n > 1]
    late = out_of_order(row_jobs)
    everything = jobs + row_jobs
    succeeded = sum(1 for j in everything if j["status"] == "succeeded")
    statuses = collections.Counter(j["status"] if j["status"] in TERMINAL else "unfinished" for j in everything)
    attempts = sum(j["attempts"] for j in everything)
    opts = dict(zip(flags[::2], flags[1::2]))

    for what in lost[:10]:
        print(f"lost: {what} has no job", file=sys.stderr)
    for what in doubled_rows[:10]:
        print(f"duplicated: {what}", file=sys.stderr)
    for job_id, attempt in doubled_attempts[:10]:
        print(f"duplicated: attempt {attempt} of {job_id} had {creates[(job_id, attempt)]} containers", file=sys.stderr)
    for row, job_id, before in late[:10]:
        print(f"out of order: counter row {row}: {job_id} started before {before} had finished", file=sys.stderr)
    for job_id in unfinished[:10]:
        print(f"unfinished: {job_id}", file=sys.stderr)
    print(f"statuses: {dict(statuses)}; attempts={attempts}; containers created={sum(creates.values())}; "
          f"counter changes={len(changes)} ({len(row_jobs)} per-row jobs)", file=sys.stderr)
    duplicated = len(doubled_rows) + len(doubled_attempts)
    print(f"committed={len(committed) + len(changes)} jobs={len(everything)} succeeded={succeeded} lost={len(lost)} "
          f"duplicated={duplicated} out_of_order={len(late)} "
          f"kills={opts.get('--kills', 0)} pg_restarts={opts.get('--pg-restarts', 0)} engine_restarts={opts.get('--engine-restarts', 0)}")
    sys.exit(0 if not lost and duplicated == 0 and not late and not unfinished else 1)


main()
