#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-sync`: (1) an embedded file of RUNS runs x POINTS metric points and ARTIFACTS
# files, copied to one fresh MLflow 3.18 server by mlflow::sync (BUILD_DIR/bench/bench_sync) and
# by Python's MlflowClient (bench/python/bench_sync.py, the mlflow-export-import way);
# (2) one CLI call against an embedded file: `mlflow-cpp log metric` (process start-up, store
# open, one insert) vs the Python CLI's nearest writing command, `mlflow runs create` (the
# Python CLI has no `log metric`). Prints the table and the RATIO lines (python / mlflow-cpp).
#   bench-sync.sh BUILD_DIR
# Env: BENCH_SYNC_RUNS (default 100), BENCH_SYNC_POINTS (per run, default 100000),
#      BENCH_SYNC_ARTIFACTS (default 1000), BENCH_SYNC_CLI_CALLS (default 10).
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-sync "${1:-}"
runs="${BENCH_SYNC_RUNS:-100}"
points="${BENCH_SYNC_POINTS:-100000}"
artifacts="${BENCH_SYNC_ARTIFACTS:-1000}"
calls="${BENCH_SYNC_CLI_CALLS:-10}"
cli="$(cd "$1" && pwd)/tools/mlflow-cpp/mlflow-cpp"

echo "== generating ${runs} runs x ${points} points and ${artifacts} artifacts under $dir"
"$bin" generate "$dir/source.db" "$runs" "$points" "$artifacts"

bench_start_server
echo "== mlflow-cpp (C++) sync against $uri"
"$bin" sync "$uri" "$dir/source.db" | tee "$dir/cpp.out"
bench_run_python bench_sync.py "$dir/source.db"

# One CLI call, repeated: wall time per call, each on its own embedded file.
cli_calls() {  # CLIENT then the command (run in $dir/cli-CLIENT with MLFLOW_TRACKING_URI set)
  local client="$1" i t0 t1
  shift
  mkdir -p "$dir/cli-$client"
  t0=$(date +%s%N)
  for ((i = 0; i < calls; i++)); do (cd "$dir/cli-$client" && "$@" >/dev/null); done
  t1=$(date +%s%N)
  awk -v c="$client" -v n="$calls" -v t0="$t0" -v t1="$t1" 'BEGIN { printf \
    "BENCH_JSON {\"client\":\"%s\",\"variant\":\"cli_call\",\"calls\":%d,\"wall_s\":%.4f,\"verified\":true}\n",
    c, n, (t1 - t0) / 1e9 / n }' | tee -a "$dir/$client.out"
}
export MLFLOW_TRACKING_URI="sqlite:///$dir/cli.db"
run_id=$("$cli" runs create -x 0 --json | "$py" -c 'import json,sys; print(json.load(sys.stdin)["info"]["run_id"])')
cli_calls cpp "$cli" log metric -r "$run_id" loss 0.5
"$py" -m mlflow runs create --experiment-id 0 >/dev/null  # the database's first open, untimed
cli_calls python "$py" -m mlflow runs create --experiment-id 0
unset MLFLOW_TRACKING_URI

echo "== results ($(uptime | sed 's/.*load/load/'))"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import print_header, print_rows, read_rows, stop_unless, verdict

rows = read_rows(sys.argv[1:])
print_header(f"{'variant':<9} {'client':<7} {'runs':>5} {'points':>10} {'files':>6} {'wall s':>9} "
             f"{'cpu s':>7} {'verified':>9}")


def row_line(left, r):
    return (f"{left} {r.get('runs', ''):>5} {r.get('points', ''):>10} {r.get('artifacts', ''):>6} "
            f"{r['wall_s']:>9.3f} {r.get('cpu_s', 0):>7.2f} {verdict(r):>9}")


ok = print_rows(rows, [(f"{v:<9} {c:<7}", (v, c)) for v in ("sync", "cli_call")
                       for c in ("cpp", "python")], row_line)
print()
stop_unless(ok, "bench-sync")
print(f"RATIO sync_python_over_cpp {rows[('sync', 'python')]['wall_s'] / rows[('sync', 'cpp')]['wall_s']:.2f}")
print(f"RATIO cli_call_python_over_cpp "
      f"{rows[('cli_call', 'python')]['wall_s'] / rows[('cli_call', 'cpp')]['wall_s']:.2f}")
PY
