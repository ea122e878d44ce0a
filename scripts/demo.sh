#!/usr/bin/env bash
# `make demo`: runs examples/train_demo (a small MLP trained in plain C++, tracked with the
# fluent API) on the embedded default store: sqlite:///mlflow.db and ./mlruns in the directory
# `make demo` was started from (the repository root), or on MLFLOW_TRACKING_URI when it is set.
# No server, no Python needed.
set -euo pipefail
build="${1:-build/dev}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
"$build/examples/train_demo"  # prints where the data went and the command for the UI
