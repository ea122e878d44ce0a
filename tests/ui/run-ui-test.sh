#!/usr/bin/env bash
# Runs tests/ui/demo_ui_test.py with the pinned MLflow venv's Python (standard library only;
# the venv's `mlflow server` serves the demo's file).
#   run-ui-test.sh TRAIN_DEMO SCREENSHOT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py=$("$here/../../scripts/mlflow-venv.sh")
exec "$py" "$here/demo_ui_test.py" "$@"
