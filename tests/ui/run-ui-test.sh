#!/usr/bin/env bash
# Runs one of the UI tests of tests/ui with the pinned MLflow venv's Python (standard library
# and that venv's mlflow only; the venv's `mlflow server` serves the test's file).
#   run-ui-test.sh demo_ui_test.py TRAIN_DEMO SCREENSHOT_DIR
#   run-ui-test.sh trace_ui_test.py UI_TRACE_WRITER SCREENSHOT_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
py=$("$here/../../scripts/mlflow-venv.sh")
script="$1"
shift
exec "$py" "$here/$script" "$@"
