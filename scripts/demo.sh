#!/usr/bin/env bash
# `make demo`: runs examples/train_demo (a small MLP trained in plain C++, tracked with the
# fluent API) on the embedded default store: sqlite:///mlflow.db and ./mlruns in the directory
# `make demo` was started from (the repository root), or on MLFLOW_TRACKING_URI when it is set.
# No server, no Python needed.
set -euo pipefail
build="${1:-build/dev}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$build/examples/train_demo"
if [ -z "${MLFLOW_TRACKING_URI:-}" ]; then
  echo
  echo "The data is in $root/mlflow.db (MLflow's own schema) and $root/mlruns (artifacts)."
  echo "To look at it in the MLflow UI (Python's mlflow 3.x: pip install mlflow), run:"
  echo "  cd $root && mlflow ui --backend-store-uri sqlite:///mlflow.db"
  echo "and open http://127.0.0.1:5000 (experiment cpp-train-demo)."
fi
