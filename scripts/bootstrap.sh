#!/usr/bin/env bash
# Installs what the build and the tests need: Debian packages (apt-get when root, otherwise a
# clear message naming them), the pinned MLflow test server in a virtual environment outside
# the clone (scripts/mlflow-venv.sh) and Jaeger for the OTLP tests (scripts/jaeger.sh).
# Idempotent and quiet when all is present.
# --build-only: only what building needs (`make demo`: no Python, no MLflow venv, no browser).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build_only=false
[ "${1:-}" = --build-only ] && build_only=true

# Debian package -> a file that proves it is installed.
declare -A probe=(
  [cmake]=/usr/bin/cmake
  [ninja-build]=/usr/bin/ninja
  [g++]=/usr/bin/g++
  [ccache]=/usr/bin/ccache
  [pkg-config]=/usr/bin/pkg-config
  [libcurl4-openssl-dev]=/usr/include/x86_64-linux-gnu/curl/curl.h
  [libsqlite3-dev]=/usr/include/sqlite3.h
  [sqlite3]=/usr/bin/sqlite3
  [zlib1g-dev]=/usr/include/zlib.h
  [nlohmann-json3-dev]=/usr/include/nlohmann/json.hpp
  [libgtest-dev]=/usr/include/gtest/gtest.h
  [libgmock-dev]=/usr/include/gmock/gmock.h
  [libbenchmark-dev]=/usr/include/benchmark/benchmark.h
  [libcli11-dev]=/usr/include/CLI/CLI.hpp
  [python3-venv]=/usr/lib/python3/dist-packages/venv
  [clang-format]=/usr/bin/clang-format
  # The UI test (tests/ui): a real browser. Not needed to build or for `make demo`.
  [chromium]=/usr/bin/chromium
)
# curl.h lives in a multiarch directory; accept any architecture.
missing=()
for pkg in "${!probe[@]}"; do
  f="${probe[$pkg]}"
  # Only the tests need these: `make demo` and --build-only go without.
  case "$pkg" in python3-venv | chromium) $build_only && continue ;; esac
  if [ "$pkg" = libcurl4-openssl-dev ]; then
    compgen -G '/usr/include/*/curl/curl.h' >/dev/null || [ -e /usr/include/curl/curl.h ] ||
      missing+=("$pkg")
  elif [ "$pkg" = python3-venv ]; then
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=("$pkg")
  elif [ ! -e "$f" ]; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
    echo "bootstrap: run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

$build_only && exit 0
"$here/mlflow-venv.sh" >/dev/null
# The OTLP export tests' receiver (tests/otlp): Jaeger, built once with the Go toolchain and
# cached in ~/.cache/mlflow-cpp (several minutes the first time). Fails loudly without Go.
"$here/jaeger.sh" install >/dev/null
