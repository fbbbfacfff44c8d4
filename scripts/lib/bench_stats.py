"""Timing statistics shared by the benchmark scripts, and a reader for the times files of scripts/lib/anchors.

Usage: bench_stats.py MODE TIMES_FILE [ARGS]
  latency TIMES_FILE                 p50/p95/p99 of (job started - row captured), in ms
  span TIMES_FILE COMMIT_EPOCH_S     seconds from the commit to the moment no job was left, jobs/s

A times file has one line per job, "start CAPTURED STARTED" (epoch seconds: the trigger's clock_timestamp() and
the moment the task function began), and at most one "done EPOCH" line (when the queue was first seen empty).
"""
import sys


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def latency_summary(latencies_ms):
    lat = sorted(latencies_ms)
    return (f"jobs={len(lat)} p50_ms={percentile(lat, 50):.1f} p95_ms={percentile(lat, 95):.1f} "
            f"p99_ms={percentile(lat, 99):.1f} max_ms={lat[-1]:.1f}")


def span_summary(jobs, seconds):
    return f"jobs={jobs} seconds={seconds:.2f} jobs_per_s={jobs / seconds:.0f}"


def read_times(path):
    starts, done = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "start":
                starts.append((float(parts[1]), float(parts[2])))
            elif parts and parts[0] == "done":
                done = float(parts[1])
    return starts, done


def main():
    mode, path = sys.argv[1], sys.argv[2]
    starts, done = read_times(path)
    if mode == "latency":
        print(latency_summary((started - captured) * 1000 for captured, started in starts))
    elif mode == "span":
        if done is None:
            sys.exit(f"{path} records no moment the queue was empty")
        commit = float(sys.argv[3])
        last_start = max(started for _, started in starts)
        print(f"{span_summary(len(starts), done - commit)} last_start_s={last_start - commit:.2f}")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
