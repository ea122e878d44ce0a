#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-async`: (a) ns per asynchronous log_metric call on the caller's thread, mlflow-cpp
# (BUILD_DIR/bench/bench_async) vs Python's mlflow.log_metric(..., synchronous=False)
# (bench/python/bench_async.py); (b) end-to-end points/s of mlflow-cpp's async logging into a
# fresh MLflow 3.18 server vs that server's ceiling (the same log-batch bodies replayed raw over
# keep-alive HTTP). Prints a table and the RATIO lines. See bench/README.md.
#   bench-async.sh BUILD_DIR
# Env: BENCH_ASYNC_CPP_ARGS  e.g. "--calls 50000 --points 25000 --keys 10 --rounds 4 --threads 8"
#                            (the defaults)
#      BENCH_ASYNC_PY_ARGS   e.g. "--calls 2000 --threads 8" (the defaults)
#      MLFLOW_TEST_SERVER_WORKERS  server workers (test-server.sh's default when unset).
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-async "${1:-}"

bench_run_split bench_async.py BENCH_ASYNC_CPP_ARGS BENCH_ASYNC_PY_ARGS "--calls 2000 --threads 8"

echo "== results"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import read_rows, stop_unless

rows = read_rows(sys.argv[1:], key=lambda r: (r["client"], r["variant"]))

cpp, py, e2e = rows.get(("cpp", "async_call")), rows.get(("python", "async_call")), \
    rows.get(("cpp", "end_to_end"))
client = rows.get(("cpp", "async_call_client"))
stop_unless(cpp and py and e2e, "bench-async", "a result is missing")
print(f"{'(a) async log_metric call':<36} {'calls':>8} {'median ns':>10} {'p99 ns':>10} "
      f"{'stored':>8}")
calls = [("mlflow-cpp mlflow::log_metric", cpp)]
if client:
    calls.append(("mlflow-cpp MlflowClient::log_metric", client))
calls.append(("python mlflow.log_metric", py))
for name, r in calls:
    print(f"{name:<36} {r['calls']:>8} {r['median_ns']:>10.0f} {r['p99_ns']:>10.0f} "
          f"{'OK' if r['verified'] else 'FAILED':>8}")
print()
threaded = [(n, rows.get(k)) for n, k in [
    ("mlflow-cpp mlflow::log_metric", ("cpp", "async_call_threads")),
    ("mlflow-cpp MlflowClient::log_metric", ("cpp", "async_call_client_threads")),
    ("python mlflow.log_metric", ("python", "async_call_threads"))] if rows.get(k)]
if threaded:
    n = threaded[0][1]["threads"]
    print(f"{f'(a) the same, {n} threads at once':<36} {'calls':>8} {'median ns':>10} "
          f"{'p99 ns':>10} {'calls/s':>11} {'stored':>8}")
    for name, r in threaded:
        print(f"{name:<36} {r['calls']:>8} {r['median_ns']:>10.0f} {r['p99_ns']:>10.0f} "
              f"{r['calls_per_s']:>11.0f} {'OK' if r['verified'] else 'FAILED':>8}")
    print()
print(f"{'(b) end-to-end into the server':<36} {'points':>8} {'points/s':>10}")
print(f"{'mlflow-cpp async (log + flush)':<36} {e2e['points'] * e2e.get('rounds', 1):>8} "
      f"{e2e['sdk_points_per_s']:>10.0f}")
print(f"{'ceiling (raw keep-alive replay)':<36} {e2e['points'] * e2e.get('rounds', 1):>8} "
      f"{e2e['ceiling_points_per_s']:>10.0f}")
print()
stop_unless(cpp["verified"] and py["verified"] and e2e["verified"], "bench-async",
            "points did not all arrive")
print(f"RATIO async_call_python_over_cpp {py['median_ns'] / max(cpp['median_ns'], 1):.1f}")
print(f"RATIO server_ceiling_fraction "
      f"{e2e['sdk_points_per_s'] / e2e['ceiling_points_per_s']:.3f}")
cpp_t, py_t = rows.get(("cpp", "async_call_threads")), rows.get(("python", "async_call_threads"))
if cpp_t and py_t and cpp_t["verified"] and py_t["verified"]:
    print(f"RATIO async_call_threads_python_over_cpp "
          f"{py_t['median_ns'] / max(cpp_t['median_ns'], 1):.1f}")
PY
