#!/usr/bin/env bash
# A shell user's job: create a run, log a 10,000-point curve through `mlflow-cpp log batch`
# from stdin, end the run, and check the stored history point by point.
#   log_curve_test.sh MLFLOW_CPP_BINARY            on a fresh embedded store (a temp SQLite file)
#   log_curve_test.sh MLFLOW_CPP_BINARY server     on the ctest fixture's real MLflow server
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if [[ ${2:-} == server ]]; then
  export MLFLOW_TRACKING_URI=$(cat "${MLFLOW_TEST_SERVER_DIR:?run under ctest}/uri")
else
  export MLFLOW_TRACKING_URI="sqlite:///$work/mlflow.db"
fi

exp=$("$cli" experiments create -n "curve-$$-$RANDOM")
run=$("$cli" runs create -x "$exp" --run-name curve)
start=$(date +%s%N)
# %.0f for the timestamps: mawk clamps %d at 2^31 - 1.
seq 0 9999 | awk '{ printf "{\"key\": \"curve\", \"value\": %.6f, \"step\": %d, \"timestamp\": %.0f}\n", sin($1 / 100), $1, 1700000000000 + $1 }' \
  | "$cli" log batch -r "$run" -
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
"$cli" runs end -r "$run" >/dev/null
echo "logged 10000 points in ${elapsed_ms} ms ($MLFLOW_TRACKING_URI)"

"$cli" runs history -r "$run" curve --json > history.json
[[ $("$cli" runs get -r "$run" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["info"]["status"])') == FINISHED ]]
python3 - history.json <<'PY'
import json, math, sys
points = json.load(open(sys.argv[1]))
assert len(points) == 10000, f"{len(points)} points, expected 10000"
steps = sorted(p["step"] for p in points)
assert steps == list(range(10000)), "steps are not 0..9999 exactly once"
for p in points:
    expected = float(f"{math.sin(p['step'] / 100):.6f}")
    assert p["value"] == expected, f"step {p['step']}: {p['value']} != {expected}"
    assert p["timestamp"] == 1700000000000 + p["step"], f"step {p['step']}: timestamp {p['timestamp']}"
print("history checked: 10000 points, values and timestamps exact")
PY
