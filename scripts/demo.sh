#!/usr/bin/env bash
# `make demo`: runs examples/quickstart on the embedded default store (sqlite:///mlflow.db in
# the repository root), or on MLFLOW_TRACKING_URI when it is set. No server, no Python needed.
set -euo pipefail
build="${1:-build/dev}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$build/examples/quickstart"
if [ -z "${MLFLOW_TRACKING_URI:-}" ]; then
  echo
  echo "The data is in $root/mlflow.db (MLflow's own schema). To look at it in the MLflow UI:"
  echo "  cd $root && mlflow ui --backend-store-uri sqlite:///mlflow.db"
fi
