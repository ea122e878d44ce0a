#!/usr/bin/env bash
# Provides the pinned MLflow (3.18.0) in a virtual environment outside the clone and prints
# the path of its python. Reused between runs; rebuilt when the stamp is missing.
#
# Why not a plain `pip install mlflow==3.18.0`: PyPI holds mlflow 3.18.0, but its exact-pinned
# companions mlflow-skinny==3.18.0 and mlflow-tracing==3.18.0 are not published there. The
# mlflow wheel itself carries the whole `mlflow` Python package, so we install it without
# dependencies and install the dependency closure that skinny/tracing would have brought
# (taken from their newest published release) plus mlflow's own requirements.
set -euo pipefail
MLFLOW_VERSION="${MLFLOW_VERSION:-3.18.0}"
COMPANION_VERSION="${MLFLOW_COMPANION_VERSION:-3.17.2}"
CACHE="${MLFLOW_CPP_CACHE:-$HOME/.cache/mlflow-cpp}"
VENV="$CACHE/venv-$MLFLOW_VERSION"
STAMP="$VENV/.mlflow-cpp-ready"

pick_python() {
  for p in python3.11 python3.12 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  echo "mlflow-venv: need Python >= 3.10 (apt-get install python3 python3-venv)" >&2
  return 1
}

if [ ! -f "$STAMP" ]; then
  py=$(pick_python)
  echo "mlflow-venv: creating $VENV with $py (one-time, a few minutes)" >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  "$py" -m venv "$VENV"
  pip="$VENV/bin/pip"
  "$pip" install -q --upgrade pip >&2 || true
  # 1. Dependencies of the companions (the packages themselves are removed again: their files
  #    would overlap with the mlflow wheel's).
  "$pip" install -q "mlflow-skinny==$COMPANION_VERSION" "mlflow-tracing==$COMPANION_VERSION" >&2
  "$pip" uninstall -q -y mlflow-skinny mlflow-tracing >&2
  # 2. The pinned mlflow itself, then its own (non-extra) requirements minus the companions.
  "$pip" install -q --no-deps "mlflow==$MLFLOW_VERSION" >&2
  reqs=$("$VENV/bin/python" - <<'PY'
import importlib.metadata as md
out = []
for r in md.requires("mlflow") or []:
    if "extra ==" in r:
        continue
    name = r.split(";")[0].strip()
    if name.startswith(("mlflow-skinny", "mlflow-tracing")):
        continue
    marker = r.split(";", 1)[1] if ";" in r else ""
    if "Windows" in marker and "!=" not in marker:
        continue
    out.append(name)
print("\n".join(out))
PY
)
  # shellcheck disable=SC2086
  echo "$reqs" | xargs -d '\n' "$pip" install -q >&2
  "$VENV/bin/python" -c "import mlflow, sys; assert mlflow.__version__ == '$MLFLOW_VERSION', mlflow.__version__" >&2
  touch "$STAMP"
fi
# psutil: Python's system metrics monitor needs it (tests/interop/system_metrics_parity_test.cpp
# compares its metric names with ours). Checked apart from the stamp so that an existing venv
# gets it too.
if ! "$VENV/bin/python" -c 'import psutil' >/dev/null 2>&1; then
  "$VENV/bin/pip" install -q "psutil==${PSUTIL_VERSION:-7.2.2}" >&2
fi
# Flask-WTF: mlflow[auth]'s one requirement, for the basic-auth server of
# tests/integration/setup_validation_test.cpp (`mlflow server --app-name basic-auth`).
if ! "$VENV/bin/python" -c 'import flask_wtf' >/dev/null 2>&1; then
  "$VENV/bin/pip" install -q "Flask-WTF==${FLASK_WTF_VERSION:-1.3.0}" >&2
fi
echo "$VENV/bin/python"
