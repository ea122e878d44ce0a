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

bench_start_server
# shellcheck disable=SC2206
args=(${BENCH_PROMPTS_ARGS:-})

# One client at a time, so neither competes with the other for the 2 cores; each prints its
# own lines as it goes and its output is kept for the table.
echo "== mlflow-cpp (C++) against $uri"
"$bin" "$uri" "${args[@]}" | tee "$dir/cpp.out"
echo "== mlflow $("$py" -c 'import mlflow; print(mlflow.__version__)') (Python) against $uri"
"$py" "$root/bench/python/bench_prompts.py" "$uri" "${args[@]}" | tee "$dir/python.out"

echo "== results (wall time of the timed calls; one untimed warm-up call per variant)"
"$py" - "$dir/cpp.out" "$dir/python.out" <<'PY'
import json, sys

rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        if line.startswith("BENCH_JSON "):
            r = json.loads(line[len("BENCH_JSON "):])
            rows[(r["variant"], r["client"])] = r

hdr = (f"{'variant':<10} {'client':<7} {'calls':>7} {'wall s':>9} {'calls/s':>12} {'cpu s':>8} "
       f"{'verified':>9}")
print(hdr)
print("-" * len(hdr))
ok = True
for v in ("cached", "uncached"):
    for c in ("cpp", "python"):
        r = rows.get((v, c))
        if r is None:
            print(f"{v:<10} {c:<7} missing")
            ok = False
            continue
        ok &= bool(r["verified"])
        print(f"{v:<10} {c:<7} {r['calls']:>7} {r['wall_s']:>9.3f} {r['calls_per_s']:>12.0f} "
              f"{r['cpu_s']:>8.3f} {'OK' if r['verified'] else 'FAILED':>9}")
print()
if not ok:
    print("bench-prompts: a variant is missing or did not verify; no ratio printed", file=sys.stderr)
    sys.exit(1)
for v in ("cached", "uncached"):
    a, b = rows[(v, "cpp")], rows[(v, "python")]
    print(f"RATIO load_prompt_{v}_python_over_cpp {a['calls_per_s'] / b['calls_per_s']:.2f}")
PY
