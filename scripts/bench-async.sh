#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-async`: (a) ns per asynchronous log_metric call on the caller's thread, mlflow-cpp
# (BUILD_DIR/bench/bench_async) vs Python's mlflow.log_metric(..., synchronous=False)
# (bench/python/bench_async.py); (b) end-to-end points/s of mlflow-cpp's async logging into a
# fresh MLflow 3.18 server vs that server's ceiling (the same log-batch bodies replayed raw over
# keep-alive HTTP). Prints a table and the RATIO lines. See bench/README.md.
#   bench-async.sh BUILD_DIR
# Env: BENCH_ASYNC_CPP_ARGS  e.g. "--calls 50000 --points 100000 --keys 10" (the defaults)
#      BENCH_ASYNC_PY_ARGS   e.g. "--calls 2000" (the default)
#      MLFLOW_TEST_SERVER_WORKERS  server workers (test-server.sh's default when unset).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:?usage: bench-async.sh BUILD_DIR}"
bin="$build/bench/bench_async"
if [ ! -x "$bin" ]; then
  echo "bench-async: $bin not found; build the bench_async target first" >&2
  exit 1
fi

py=$("$here/mlflow-venv.sh")
dir=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-bench-async.XXXXXX")
cleanup() {
  rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$dir/server/server.log" ]; then
    echo "bench-async: failed (exit $rc); last lines of the server log:" >&2
    tail -n 30 "$dir/server/server.log" >&2 || true
  fi
  "$here/test-server.sh" stop "$dir/server" || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$here/test-server.sh" start "$dir/server" 2>"$dir/server-start.err"; then
  cat "$dir/server-start.err" >&2
  exit 1
fi
uri=$(cat "$dir/server/uri")
# shellcheck disable=SC2206
cpp_args=(${BENCH_ASYNC_CPP_ARGS:-})
# shellcheck disable=SC2206
py_args=(${BENCH_ASYNC_PY_ARGS:-})

# One client at a time, so neither competes with the other for the cores.
echo "== mlflow-cpp (C++) against $uri"
"$bin" "$uri" "${cpp_args[@]}" | tee "$dir/cpp.out"
echo "== mlflow $("$py" -c 'import mlflow; print(mlflow.__version__)') (Python) against $uri"
"$py" "$root/bench/python/bench_async.py" "$uri" "${py_args[@]}" 2>"$dir/python.err" |
  tee "$dir/python.out"

echo "== results"
"$py" - "$dir/cpp.out" "$dir/python.out" <<'PY'
import json, sys

rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        if line.startswith("BENCH_JSON "):
            r = json.loads(line[len("BENCH_JSON "):])
            rows[(r["client"], r["variant"])] = r

cpp, py, e2e = rows.get(("cpp", "async_call")), rows.get(("python", "async_call")), \
    rows.get(("cpp", "end_to_end"))
client = rows.get(("cpp", "async_call_client"))
if not cpp or not py or not e2e:
    print("bench-async: a result is missing; no ratio printed", file=sys.stderr)
    sys.exit(1)
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
print(f"{'(b) end-to-end into the server':<36} {'points':>8} {'points/s':>10}")
print(f"{'mlflow-cpp async (log + flush)':<36} {e2e['points']:>8} "
      f"{e2e['sdk_points_per_s']:>10.0f}")
print(f"{'ceiling (raw keep-alive replay)':<36} {e2e['points']:>8} "
      f"{e2e['ceiling_points_per_s']:>10.0f}")
print()
if not (cpp["verified"] and py["verified"] and e2e["verified"]):
    print("bench-async: points did not all arrive; no ratio printed", file=sys.stderr)
    sys.exit(1)
print(f"RATIO async_call_python_over_cpp {py['median_ns'] / max(cpp['median_ns'], 1):.1f}")
print(f"RATIO server_ceiling_fraction "
      f"{e2e['sdk_points_per_s'] / e2e['ceiling_points_per_s']:.3f}")
PY
