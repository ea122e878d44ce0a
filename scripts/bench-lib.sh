#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# Sourced by the scripts/bench-*.sh that measure against a real server: one fresh MLflow 3.18
# server per bench run, the pinned Python, a scratch directory, and a cleanup that keeps the
# evidence (the server log's tail) when a client fails.
#   bench_setup NAME BUILD_DIR   sets here, root, bin (BUILD_DIR/bench/<NAME with _>), py, dir
#   bench_start_server           starts the server in $dir/server, waits until its start-up
#                                work is done, and sets uri
#   bench_run_pair PY ARGS_VAR   starts the server, then runs the C++ bench and bench/python/PY
#                                with the same arguments: the words of the variable ARGS_VAR
#   bench_run_split PY CPP_VAR PY_VAR PY_DEFAULT
#                                the same with each side's own arguments
#   bench_run_rounds N PY ARGS...  both sides N times, interleaved, on the running server

bench_setup() {
  bench_name="$1"
  local build="${2:?usage: $1.sh BUILD_DIR}"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  root="$(cd "$here/.." && pwd)"
  bin="$build/bench/${bench_name//-/_}"
  if [ ! -x "$bin" ]; then
    echo "$bench_name: $bin not found; build the ${bench_name//-/_} target first" >&2
    exit 1
  fi
  py=$("$here/mlflow-venv.sh")
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-$bench_name.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$dir/server/server.log" ]; then
    # A client error is often the server dying or erroring.
    if [ -f "$dir/server/pid" ] && ! kill -0 "$(cat "$dir/server/pid")" 2>/dev/null; then
      echo "$bench_name: the MLflow server is no longer running" >&2
    fi
    echo "$bench_name: failed (exit $rc); last lines of the server log:" >&2
    tail -n 30 "$dir/server/server.log" >&2 || true
  fi
  "$here/test-server.sh" stop "$dir/server" || true
  rm -rf "$dir"
}

bench_start_server() {
  # The server's stderr (and the shell's notice when stop() has to SIGKILL it) goes to a file,
  # so nothing lands after the RATIO lines, which must end the output.
  if ! "$here/test-server.sh" start "$dir/server" 2>"$dir/server-start.err"; then
    cat "$dir/server-start.err" >&2
    exit 1
  fi
  uri=$(cat "$dir/server/uri")
  bench_wait_server_idle
}

# CPU time (clock ticks) used so far by every process of the server's process group.
bench_server_cpu_ticks() {
  local pg total=0 p stat
  pg=$(cat "$dir/server/pid")
  for p in $(ps -o pid= -g "$pg" 2>/dev/null); do
    # utime and stime are fields 14 and 15 of /proc/PID/stat (comm has no spaces here).
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    total=$((total + $(echo "$stat" | awk '{print $14 + $15}')))
  done
  echo "$total"
}

# The server answers /health long before it is done starting: its job runner and huey
# consumers import MLflow for another ~20-60 s of CPU on a 2-core machine. A client measured
# in that window competes with them (bench-artifacts saw 16 MB/s instead of ~300 for the C++
# side, which always runs first). Wait until the server's processes use less than 5% of a
# core over two seconds (at most BENCH_SERVER_SETTLE_MAX seconds, default 180).
bench_wait_server_idle() {
  local max="${BENCH_SERVER_SETTLE_MAX:-180}" hz start before after waited=0
  hz=$(getconf CLK_TCK)
  start=$(bench_server_cpu_ticks)
  before=$start
  while [ "$waited" -lt "$max" ]; do
    sleep 2
    waited=$((waited + 2))
    after=$(bench_server_cpu_ticks)
    if [ $((after - before)) -le $((hz / 10)) ]; then break; fi
    before=$after
  done
  echo "== server settled after ${waited} s (start-up work: $(((after - start) / hz)) s of CPU" \
    "after /health answered)"
}

# The two clients run one at a time, so neither competes with the other for the cores; each
# prints its lines as it goes, and its output is kept ($dir/cpp.out, $dir/python.out) for the
# table.
#   bench_run_cpp ARGS...                 runs $bin against $uri
#   bench_run_python SCRIPT ARGS...       runs bench/python/SCRIPT against $uri
bench_run_cpp() {
  echo "== mlflow-cpp (C++) against $uri"
  "$bin" "$uri" "$@" | tee "$dir/cpp.out"
}

bench_run_python() {
  local script="$1"
  shift
  echo "== mlflow $("$py" -c 'import mlflow; print(mlflow.__version__)') (Python) against $uri"
  "$py" "$root/bench/python/$script" "$uri" "$@" | tee "$dir/python.out"
}

bench_run_pair() {
  local script="$1" args_var="$2"
  bench_start_server
  # shellcheck disable=SC2206
  local args=(${!args_var:-})
  bench_run_cpp "${args[@]}"
  bench_run_python "$script" "${args[@]}"
}

# Starts the server, then runs the C++ bench with the words of the variable CPP_VAR and
# bench/python/PY with those of PY_VAR (PY_DEFAULT when it is unset); Python's stderr (its
# library's warnings) goes to $dir/python.err.
bench_run_split() {
  local script="$1" cpp_var="$2" py_var="$3" py_default="$4"
  bench_start_server
  local cpp_args py_args
  read -r -a cpp_args <<<"${!cpp_var:-}"
  read -r -a py_args <<<"${!py_var:-$py_default}"
  bench_run_cpp "${cpp_args[@]}"
  bench_run_python "$script" "${py_args[@]}" 2>"$dir/python.err"
}

# Runs both sides N times on the server already started, interleaved (C++, Python, C++, ...),
# so that the drift of a busy machine or server falls on both alike; $dir/cpp.out and
# $dir/python.out then hold every round's lines (bench_report.read_row_lists).
#   bench_run_rounds N PY ARGS...
bench_run_rounds() {
  local rounds="$1" script="$2" i
  shift 2
  : >"$dir/cpp-rounds.out"
  : >"$dir/python-rounds.out"
  for ((i = 1; i <= rounds; i++)); do
    echo "== round $i of $rounds"
    bench_run_cpp "$@"
    cat "$dir/cpp.out" >>"$dir/cpp-rounds.out"
    bench_run_python "$script" "$@"
    cat "$dir/python.out" >>"$dir/python-rounds.out"
  done
  mv "$dir/cpp-rounds.out" "$dir/cpp.out"
  mv "$dir/python-rounds.out" "$dir/python.out"
}

# Runs the Python report read from stdin with ARGS; it can `import bench_report` (the row
# reader and table printer every bench shares).
bench_report() {
  PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" "$py" - "$@"
}
