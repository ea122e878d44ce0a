#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-rest`: logs the same metric points to one fresh MLflow 3.18 server with mlflow-cpp
# (BUILD_DIR/bench/bench_rest) and with Python's mlflow.MlflowClient (bench/python/bench_rest.py),
# then prints both side by side and the RATIO lines. See bench/README.md.
#   bench-rest.sh BUILD_DIR
# Env: BENCH_REST_ARGS  extra arguments for both benches, e.g. "--keys 20 --steps 100
#                       --singles 200 --get-runs 200" for a quick run (default: 200 keys x
#                       1000 steps, 2000 single calls, 1000 get_run calls).
#      MLFLOW_TEST_SERVER_WORKERS  server workers (test-server.sh's default when unset).
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-rest "${1:-}"

bench_run_pair bench_rest.py BENCH_REST_ARGS

echo "== results (client CPU = user+sys of the client process around the logging calls only;"
echo "   warm-up: experiment, run and one small call per client before timing)"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import print_header, print_rows, read_rows, stop_unless, verdict

rows = read_rows(sys.argv[1:])
variants = [("log_batch", "log_batch (1 call)"), ("log_metric", "log_metric (singles)"),
            ("get_run", "get_run (sequential)")]
print_header(f"{'variant':<21} {'client':<7} {'points':>7} {'requests':>8} {'wall s':>9} "
             f"{'points/s':>10} {'cpu s':>8} {'cpu us/pt':>10} {'verified':>15}")


def row_line(left, r):
    ver = f"{r['verified_points']}/{r['points']} {verdict(r)}"
    return (f"{left} {r['points']:>7} {r['requests']:>8} {r['wall_s']:>9.3f} "
            f"{r['points_per_s']:>10.0f} {r['cpu_s']:>8.3f} {r['cpu_us_per_point']:>10.2f} "
            f"{ver:>15}")


ok = True
for v, label in variants:
    ok &= print_rows(rows, [(f"{label:<21} {c:<7}", (v, c)) for c in ("cpp", "python")], row_line)
    a, b = rows.get((v, "cpp")), rows.get((v, "python"))
    if a and b:
        wall = b["wall_s"] / a["wall_s"] if a["wall_s"] > 0 else float("inf")
        cpu = (b["cpu_us_per_point"] / a["cpu_us_per_point"]
               if a["cpu_us_per_point"] > 0 else float("inf"))
        print(f"{label:<21} python/cpp: wall x{wall:.2f}, client CPU per point x{cpu:.2f}")
print()

def ratio(v):
    a, b = rows.get((v, "cpp")), rows.get((v, "python"))
    if not a or not b or a["cpu_us_per_point"] <= 0:
        return None
    return b["cpu_us_per_point"] / a["cpu_us_per_point"]

stop_unless(ok, "bench-rest", "a variant is missing or its points did not verify")
r = ratio("log_metric")
if r is not None:
    print(f"RATIO single_log_metric_cpu_python_over_cpp {r:.2f}")
r = ratio("get_run")
if r is not None:
    print(f"RATIO get_run_cpu_python_over_cpp {r:.2f}")
r = ratio("log_batch")
print(f"RATIO client_cpu_python_over_cpp {r:.2f}")
PY
