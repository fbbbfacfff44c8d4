"""Checks the fault suite's outcome: every committed row has exactly one job, and no attempt had two containers.

Usage: fault_check.py PSQL PORT DATABASE LINK CREATES_FILE (--settled | --kills N --pg-restarts N --engine-restarts N)
  --settled   exit 0 when every committed row has a job and every job has finished, else 1 (prints nothing)
  otherwise   print the summary line and exit 1 unless lost and duplicated are 0 and every job finished
"""
import collections
import json
import subprocess
import sys

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


def main():
    port, db, link, creates_file = sys.argv[2:6]
    flags = sys.argv[6:]
    committed = [int(x) for x in psql(port, db, "SELECT id FROM items")]
    jobs = list(jobs_of(port, db, link))
    jobs_by_row = collections.Counter()
    for job in jobs:
        row = job["event"]["newRow"]
        jobs_by_row[int(row["id"])] += 1
    lost = [r for r in committed if jobs_by_row[r] == 0]
    doubled_rows = [r for r, n in jobs_by_row.items() if n > 1]
    unfinished = [j["jobId"] for j in jobs if j["status"] not in TERMINAL]

    if "--settled" in flags:
        sys.exit(0 if not lost and not unfinished else 1)

    creates = collections.Counter()
    with open(creates_file, encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 2 and parts[0].startswith(f"job:{link}:"):
                creates[(parts[0], parts[1])] += 1
    doubled_attempts = [key for key, n in creates.items() if n > 1]
    succeeded = sum(1 for j in jobs if j["status"] == "succeeded")
    statuses = collections.Counter(j["status"] if j["status"] in TERMINAL else "unfinished" for j in jobs)
    attempts = sum(j["attempts"] for j in jobs)
    opts = dict(zip(flags[::2], flags[1::2]))

    for row in lost[:10]:
        print(f"lost: row {row} has no job", file=sys.stderr)
    for row in doubled_rows[:10]:
        print(f"duplicated: row {row} has {jobs_by_row[row]} jobs", file=sys.stderr)
    for job_id, attempt in doubled_attempts[:10]:
        print(f"duplicated: attempt {attempt} of {job_id} had {creates[(job_id, attempt)]} containers", file=sys.stderr)
    for job_id in unfinished[:10]:
        print(f"unfinished: {job_id}", file=sys.stderr)
    print(f"statuses: {dict(statuses)}; attempts={attempts}; containers created={sum(creates.values())}", file=sys.stderr)
    duplicated = len(doubled_rows) + len(doubled_attempts)
    print(f"committed={len(committed)} jobs={len(jobs)} succeeded={succeeded} lost={len(lost)} duplicated={duplicated} "
          f"kills={opts.get('--kills', 0)} pg_restarts={opts.get('--pg-restarts', 0)} engine_restarts={opts.get('--engine-restarts', 0)}")
    sys.exit(0 if not lost and duplicated == 0 and not unfinished else 1)


main()
