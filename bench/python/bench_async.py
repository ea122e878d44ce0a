# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-async`: nanoseconds per mlflow.log_metric(..., synchronous=False)
call on the caller's thread, each call timed on its own (as bench/bench_async.cpp times
mlflow::log_metric with synchronous=false), against a real MLflow server.

With --threads N (> 1), N threads log --calls points in all at the same time, each to its own
run (Python's active-run stack is per thread), each call timed alone, as bench_async.cpp's
threaded fluent row.

usage: bench_async.py TRACKING_URI [--calls N] [--threads N]

Prints a human line and one BENCH_JSON line (two with --threads).
"""

import argparse
import json
import sys
import threading
import time

import mlflow  # imported before any clock starts
from bench_common import CLOCK, percentile, timer_overhead_ns


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("uri")
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    mlflow.set_tracking_uri(args.uri)
    mlflow.set_experiment(f"bench-async-python-{int(time.time())}")
    clock = CLOCK
    overhead = timer_overhead_ns()

    with mlflow.start_run() as run:
        # Warm-up: starts the async queue, its threads and the HTTP session.
        mlflow.log_metric("warmup", 0.0, synchronous=False)
        mlflow.flush_async_logging()
        ns = []
        for i in range(args.calls):
            t0 = clock()
            mlflow.log_metric("loss", 0.001 * i, step=i, synchronous=False)
            t1 = clock()
            ns.append(t1 - t0 - overhead)
        drain_start = time.perf_counter()
        mlflow.flush_async_logging()
        drain_s = time.perf_counter() - drain_start
    stored = len(mlflow.MlflowClient().get_metric_history(run.info.run_id, "loss"))
    median, p99 = percentile(ns, 0.5), percentile(ns, 0.99)
    print(f"async log_metric call (python fluent): {args.calls} calls, median {median:.0f} ns, "
          f"p99 {p99:.0f} ns (timer overhead {overhead:.0f} ns subtracted); drain {drain_s:.2f} s; "
          f"stored {stored}/{args.calls}")
    print("BENCH_JSON " + json.dumps({"client": "python", "variant": "async_call",
                                      "calls": args.calls, "median_ns": median, "p99_ns": p99,
                                      "verified": stored == args.calls}))
    sys.stdout.flush()
    if args.threads > 1:
        bench_threads(args.threads, args.calls, overhead, clock)


def bench_threads(threads, calls, overhead, clock):
    per_thread = max(1, calls // threads)
    ns = [[] for _ in range(threads)]
    run_ids = [None] * threads
    done = [0.0] * threads
    ready = threading.Barrier(threads + 1)
    go = threading.Event()

    def worker(t):
        with mlflow.start_run() as run:
            run_ids[t] = run.info.run_id
            mlflow.log_metric("warmup", 0.0, synchronous=False)
            ready.wait()
            go.wait()
            mine = ns[t]
            for i in range(per_thread):
                t0 = clock()
                mlflow.log_metric("loss", 0.001 * i, step=i, synchronous=False)
                t1 = clock()
                mine.append(t1 - t0 - overhead)
            done[t] = time.perf_counter()

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    ready.wait()
    start = time.perf_counter()
    go.set()
    for th in pool:
        th.join()
    wall = max(done) - start
    mlflow.flush_async_logging()
    client = mlflow.MlflowClient()
    stored = sum(len(client.get_metric_history(r, "loss")) for r in run_ids)
    every = [v for mine in ns for v in mine]
    total = per_thread * threads
    median, p99 = percentile(every, 0.5), percentile(every, 0.99)
    print(f"async log_metric call, {threads} threads (python fluent): {total} calls, median "
          f"{median:.0f} ns, p99 {p99:.0f} ns, {total / wall:.0f} calls/s in all; "
          f"stored {stored}/{total}")
    print("BENCH_JSON " + json.dumps({"client": "python", "variant": "async_call_threads",
                                      "threads": threads, "calls": total, "median_ns": median,
                                      "p99_ns": p99, "calls_per_s": total / wall,
                                      "verified": stored == total}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
