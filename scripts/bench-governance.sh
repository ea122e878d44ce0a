#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-governance`: per-call time of plain vs governed MlflowClient calls (log_metric,
# set_tag, log_param), on the embedded store and on a fresh MLflow 3.18 server, in one run of
# BUILD_DIR/bench/bench_governance (ADR 0027). Prints a table and
# `RATIO governance_plain_over_governed <value>`: the geometric mean of plain time / governed
# time over every store and call (1.0 = no overhead; the target is at least 0.98). See
# bench/README.md.
#   bench-governance.sh BUILD_DIR
# Env: BENCH_GOVERNANCE_ARGS  e.g. "--rounds 20 --calls 25" (the defaults)
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-governance "${1:-}"

bench_start_server
# shellcheck disable=SC2206
args=(${BENCH_GOVERNANCE_ARGS:-})
bench_run_cpp "${args[@]}"

echo "== results"
bench_report "$dir/cpp.out" <<'PY'
import math
import sys
from bench_report import read_rows, stop_unless

rows = read_rows(sys.argv[1:], key=lambda r: r["variant"])
expected = [f"{store}/{op}" for store in ("embedded", "server")
            for op in ("log_metric", "set_tag", "log_param")]
stop_unless(all(k in rows for k in expected), "bench-governance", "a variant is missing")
print(f"{'store/call':<22} {'plain ns':>12} {'governed ns':>12} {'plain/governed':>15}")
for k in expected:
    r = rows[k]
    print(f"{k:<22} {r['plain_ns']:>12.0f} {r['governed_ns']:>12.0f} {r['ratio']:>15.4f}")
mean = math.exp(sum(math.log(rows[k]["ratio"]) for k in expected) / len(expected))
print(f"RATIO governance_plain_over_governed {mean:.4f}")
PY
