#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-prompts`: load_prompt by alias, 10,000 calls with the prompt cache and 10,000
# without, against one fresh MLflow 3.18 server, with mlflow-cpp (BUILD_DIR/bench/bench_prompts)
# and with Python's mlflow.genai.load_prompt (bench/python/bench_prompts.py); prints calls/s side
# by side and the RATIO lines. See bench/README.md.
#   bench-prompts.sh BUILD_DIR
# Env: BENCH_PROMPTS_ARGS  extra arguments for both benches, e.g. "--calls 1000" for a quick run
#                          or "--uncached-calls 1000" on a loaded machine (server round
#                          trips per uncached call).
#      MLFLOW_TEST_SERVER_WORKERS  server workers (test-server.sh's default when unset).
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-prompts "${1:-}"

bench_run_pair bench_prompts.py BENCH_PROMPTS_ARGS

echo "== results (wall time of the timed calls; one untimed warm-up call per variant)"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import print_header, print_rows, read_rows, stop_unless, verdict

rows = read_rows(sys.argv[1:])
print_header(f"{'variant':<10} {'client':<7} {'calls':>7} {'wall s':>9} {'calls/s':>12} "
             f"{'cpu s':>8} {'verified':>9}")
ok = print_rows(
    rows, [(f"{v:<10} {c:<7}", (v, c)) for v in ("cached", "uncached") for c in ("cpp", "python")],
    lambda left, r: (f"{left} {r['calls']:>7} {r['wall_s']:>9.3f} {r['calls_per_s']:>12.0f} "
                     f"{r['cpu_s']:>8.3f} {verdict(r):>9}"))
print()
stop_unless(ok, "bench-prompts")
for v in ("cached", "uncached"):
    a, b = rows[(v, "cpp")], rows[(v, "python")]
    print(f"RATIO load_prompt_{v}_python_over_cpp {a['calls_per_s'] / b['calls_per_s']:.2f}")
PY
