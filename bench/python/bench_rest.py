# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-rest`: the same points as bench/bench_rest.cpp, logged with
mlflow.MlflowClient to a real MLflow server.

usage: bench_rest.py TRACKING_URI [--keys N] [--steps N] [--singles N]

Prints human text plus one machine-readable line per variant:
  BENCH_JSON {"client": "python", "variant": ..., "points": ..., "wall_s": ..., ...}
The workload (keys, steps, values, timestamps, run layout) must stay identical to the C++
bench, or the ratios printed by scripts/bench-rest.sh mean nothing.
"""

import argparse
import json
import os
import sys
import time

# Imported before any clock starts: the import of mlflow is not part of logging.
from mlflow import MlflowClient
from bench_common import timed
from mlflow.entities import Metric

# Fixed timestamps, so both clients send byte-for-byte comparable payloads and the server
# stores identical rows (now() would make the two sides differ in size and ordering).
BASE_TS_MS = 1_700_000_000_000


def batch_points(keys, steps):
    """(key, value, timestamp, step) of the log_batch variant, key-major like the C++ bench."""
    for k in range(keys):
        name = f"m{k:03d}"
        for s in range(steps):
            yield name, k + s * 1e-3, BASE_TS_MS + s, s


def single_points(n, keys=20):
    """(key, value, timestamp, step) of the single log_metric variant: n calls over `keys` keys."""
    for i in range(n):
        k, s = i % keys, i // keys
        yield f"s{k:02d}", k + s * 1e-3, BASE_TS_MS + s, s


def verify(client, run_id, expected):
    """Counts what the server stored: every key's full history, compared with `expected`
    ({key: [(value, timestamp, step), ...]}). Returns (points_found, ok, detail)."""
    t0 = time.perf_counter()
    found, bad = 0, []
    for key, want in expected.items():
        hist = client.get_metric_history(run_id, key)
        found += len(hist)
        got = sorted((m.step, m.timestamp, m.value) for m in hist)
        exp = sorted((s, t, v) for v, t, s in want)
        if got != exp and len(bad) < 3:
            bad.append(f"{key}: {len(got)} points, expected {len(exp)}")
    want_total = sum(len(v) for v in expected.values())
    ok = found == want_total and not bad
    detail = f"{found}/{want_total} points on the server across {len(expected)} keys"
    if bad:
        detail += "; mismatches: " + "; ".join(bad)
    detail += f" (read back in {time.perf_counter() - t0:.1f} s, not timed)"
    return found, ok, detail


def report(variant, points, requests, wall_s, cpu_s, found, ok, detail):
    rec = {
        "client": "python",
        "variant": variant,
        "points": points,
        "requests": requests,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "points_per_s": points / wall_s if wall_s > 0 else 0.0,
        "cpu_us_per_point": cpu_s * 1e6 / points,
        "verified_points": found,
        "verified": ok,
    }
    print(
        f"python {variant:<11} {points:>7} points  wall {wall_s:8.3f} s  cpu {cpu_s:8.3f} s  "
        f"{rec['points_per_s']:10.0f} points/s  {rec['cpu_us_per_point']:9.2f} cpu us/point"
    )
    print(f"python {variant:<11} verify: {detail} -> {'OK' if ok else 'FAILED'}")
    print("BENCH_JSON " + json.dumps(rec), flush=True)
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tracking_uri")
    ap.add_argument("--keys", type=int, default=200)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--singles", type=int, default=2000)
    ap.add_argument("--get-runs", type=int, default=1000)
    args = ap.parse_args()

    client = MlflowClient(tracking_uri=args.tracking_uri)
    exp_id = client.create_experiment(f"bench-rest-python-{os.getpid()}-{time.time_ns()}")

    # Warm-up, not timed: the HTTP session and its connection pool are created by the first
    # request, and the first log call pays for lazy imports inside mlflow.
    warm = client.create_run(exp_id, run_name="warmup").info.run_id
    client.log_metric(warm, "warmup", 1.0, timestamp=BASE_TS_MS, step=0)
    client.log_batch(warm, metrics=[Metric("warmup_batch", 1.0, BASE_TS_MS, 0)])
    print("python: warm-up done (experiment, warm-up run, one log_metric, one log_batch; "
          "not timed)")

    all_ok = True

    # (a) one log_batch call with every point; MlflowClient splits it into 1000-metric requests.
    pts = list(batch_points(args.keys, args.steps))
    # Building the input list is the caller's data, not the client's work: outside the clock.
    metrics = [Metric(k, v, t, s) for k, v, t, s in pts]
    run_id = client.create_run(exp_id, run_name="python-log_batch").info.run_id
    wall, cpu = timed(lambda: client.log_batch(run_id, metrics=metrics))
    expected = {}
    for k, v, t, s in pts:
        expected.setdefault(k, []).append((v, t, s))
    found, ok, detail = verify(client, run_id, expected)
    all_ok &= report("log_batch", len(pts), -(-len(pts) // 1000), wall, cpu, found, ok, detail)

    # (c) the same number of single log_metric calls as the C++ side.
    pts = list(single_points(args.singles))
    run_id = client.create_run(exp_id, run_name="python-log_metric").info.run_id

    def singles():
        for k, v, t, s in pts:
            client.log_metric(run_id, k, v, timestamp=t, step=s)

    wall, cpu = timed(singles)
    expected = {}
    for k, v, t, s in pts:
        expected.setdefault(k, []).append((v, t, s))
    found, ok, detail = verify(client, run_id, expected)
    all_ok &= report("log_metric", len(pts), len(pts), wall, cpu, found, ok, detail)

    # (d) sequential get_run of the singles run on one client, every answer checked.
    singles_keys = min(20, len(pts))
    good = [0]

    def get_runs():
        for _ in range(args.get_runs):
            run = client.get_run(run_id)
            if run.info.run_id == run_id and len(run.data.metrics) == singles_keys:
                good[0] += 1

    wall, cpu = timed(get_runs)
    all_ok &= report("get_run", args.get_runs, args.get_runs, wall, cpu, good[0],
                     good[0] == args.get_runs,
                     f"{good[0]}/{args.get_runs} answers with the run's {singles_keys} metrics")

    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
