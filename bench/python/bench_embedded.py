# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-embedded` (see bench/README.md, section bench-embedded).

  bench_embedded.py ingest DB [--keys N] [--points N] [--batch N]
      logs the first --points points of the C++ bench's workload (keys x steps, step-major)
      into a fresh DB through mlflow.MlflowClient("sqlite:///DB").log_batch, one call per
      --batch points. Python is slow, so it logs a fraction and reports points/s.
  bench_embedded.py search DB EXPERIMENT_ID IDS_PREFIX [--reps N]
      times search_runs (first page, and all pages) on the file mlflow-cpp filled; writes the
      returned run ids to IDS_PREFIX.first and IDS_PREFIX.all.

Prints human text plus one `BENCH_JSON {...}` line. The workload must stay identical to
bench/bench_embedded.cpp.
"""

import argparse
import json
import sqlite3
import statistics
import time

import mlflow
from mlflow.entities import Metric, ViewType

BASE_TS_MS = 1700000000000
FILTER = "metrics.acc > 0.5"
ORDER = "metrics.acc DESC"
PAGE_SIZE = 1000


def key_step(args, i):
    # As the C++ bench: step-major (key i % keys at step i // keys) or key-major.
    if args.order == "key":
        return i // args.steps, i % args.steps
    return i % args.keys, i // args.keys


def batch_points(args, first, count):
    out = []
    for i in range(first, first + count):
        k, s = key_step(args, i)
        out.append(Metric(f"m{k:04d}", k + s * 1e-3, BASE_TS_MS + s, s))
    return out


def verify(path, run_id, args, points):
    # Reads the file directly, so a path that dropped rows cannot look fast.
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT COUNT(*) FROM metrics WHERE run_uuid = ?", (run_id,)).fetchone()[0]
        latest, step_sum = con.execute(
            "SELECT COUNT(*), SUM(step) FROM latest_metrics WHERE run_uuid = ?", (run_id,)
        ).fetchone()
        journal = con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()
    # Each key's latest point is its greatest step.
    last = {}
    for i in range(points):
        k, s = key_step(args, i)
        last[k] = max(last.get(k, -1), s)
    ok = rows == points and latest == len(last) and step_sum == sum(last.values())
    return rows, latest, ok, journal


def ingest(args):
    client = mlflow.MlflowClient(f"sqlite:///{args.db}")
    exp = client.create_experiment("ingest")
    run_id = client.create_run(exp, start_time=BASE_TS_MS).info.run_id
    # Warm-up outside the timing (engine, session, first statements), on another run.
    warm_exp = client.create_experiment("warmup")
    warm = client.create_run(warm_exp).info.run_id
    client.log_batch(warm, metrics=[Metric("w", 1.0, BASE_TS_MS, 0)])

    points, calls = args.points, 0
    t0 = time.perf_counter()
    for first in range(0, points, args.batch):
        client.log_batch(run_id, metrics=batch_points(args, first, min(args.batch, points - first)))
        calls += 1
    wall = time.perf_counter() - t0
    rows, latest, ok, journal = verify(args.db, run_id, args, points)
    pps = points / wall if wall > 0 else 0.0
    print(
        f"ingest-python: {points} points (a fraction of the C++ workload: Python is slow) in "
        f"{calls} calls of {args.batch} ({args.order}-major): {wall:.3f} s, {pps:.0f} points/s "
        f"(journal {journal})"
    )
    print(f"ingest-python: verify metrics rows {rows}/{points}, latest_metrics rows {latest}: "
          f"{'OK' if ok else 'FAILED'}")
    print("BENCH_JSON " + json.dumps({
        "mode": "ingest-python", "points": points, "transactions": calls, "batch": args.batch,
        "order": args.order, "wall_s": wall, "points_per_s": pps, "verified_rows": rows, "verified": ok,
        "journal_mode": journal,
    }), flush=True)
    return 0 if ok else 1


def search(args):
    client = mlflow.MlflowClient(f"sqlite:///{args.db}")

    def page(token=None):
        return client.search_runs(
            experiment_ids=[args.experiment_id], filter_string=FILTER,
            run_view_type=ViewType.ACTIVE_ONLY, max_results=PAGE_SIZE, order_by=[ORDER],
            page_token=token,
        )

    def all_pages():
        out, token = [], None
        while True:
            p = page(token)
            out.extend(p)
            token = p.token
            if not token:
                return out

    # Warm-up (engine, schema check, page cache), then the timed repetitions.
    first, allr = list(page()), []
    t_first, t_all = [], []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        first = list(page())
        t_first.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        allr = all_pages()
        t_all.append(time.perf_counter() - t0)
    for suffix, runs in ((".first", first), (".all", allr)):
        with open(args.ids_prefix + suffix, "w") as f:
            f.writelines(r.info.run_id + "\n" for r in runs)
    data_ok = bool(allr) and all(
        r.data.metrics.get("acc", 0) > 0.5 and "lr" in r.data.params for r in allr
    )
    m_first, m_all = statistics.median(t_first), statistics.median(t_all)
    print(f"search-python: '{FILTER}' order by {ORDER}, max_results {PAGE_SIZE}, {args.reps} reps")
    print(f"search-python: first page {len(first)} runs, median {m_first:.4f} s; all pages "
          f"{len(allr)} runs, median {m_all:.4f} s; runs carry acc and lr: "
          f"{'OK' if data_ok else 'FAILED'}")
    print("BENCH_JSON " + json.dumps({
        "mode": "search", "client": "python", "reps": args.reps, "first_runs": len(first),
        "first_median_s": m_first, "all_runs": len(allr), "all_median_s": m_all,
        "data_ok": data_ok,
    }), flush=True)
    return 0 if data_ok else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("ingest")
    a.add_argument("db")
    a.add_argument("--keys", type=int, default=1000)
    a.add_argument("--steps", type=int, default=1000)
    a.add_argument("--order", choices=("step", "key"), default="step")
    a.add_argument("--points", type=int, default=50000)
    a.add_argument("--batch", type=int, default=1000)
    s = sub.add_parser("search")
    s.add_argument("db")
    s.add_argument("experiment_id")
    s.add_argument("ids_prefix")
    s.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    return ingest(args) if args.mode == "ingest" else search(args)


if __name__ == "__main__":
    raise SystemExit(main())
