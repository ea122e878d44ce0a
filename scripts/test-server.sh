#!/usr/bin/env bash
# Starts or stops the pinned MLflow server for the integration tests.
#   test-server.sh start DIR [extra mlflow server args...]
#   test-server.sh stop DIR
# start: free loopback port, SQLite backend and artifact store inside DIR, waits for /health,
# then writes DIR/uri (tracking URI), DIR/python (the venv's python) and DIR/pid.
# MLFLOW_TEST_SERVER_BACKEND_URI serves an existing database instead (interop tests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:?start|stop}"; dir="${2:?directory}"; shift 2

stop() {
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  # The server runs as its own session leader (pid = process group), with uvicorn workers in
  # that group: signal the whole group. uvicorn may take a while on SIGTERM, so SIGKILL after 3 s.
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

case "$cmd" in
  start)
    stop
    rm -rf "$dir"; mkdir -p "$dir"
    py=$("$here/mlflow-venv.sh")
    port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    prefix=""
    prev=""
    for a in "$@"; do
      [ "$prev" = "--static-prefix" ] && prefix="$a"
      case "$a" in --static-prefix=*) prefix="${a#--static-prefix=}" ;; esac
      prev="$a"
    done
    # setsid: the server gets its own session and process group, whose id the inner shell
    # writes (it then execs the server, keeping that pid), so stop() reaches the workers too.
    mlflow_bin="$(dirname "$py")/mlflow"
    # The whole subshell gets its own stdout/stderr/stdin: nothing may keep the caller's pipes
    # open (ctest and `| tail` wait for them to close). `exec` leaves no shell waiting behind.
    (
      cd "$dir" || exit 1
      export MLFLOW_ALLOW_FILE_STORE=false
      # The job runner (huey consumers for GenAI scorer jobs) doubles the server's memory
      # (~2 GB per server with it); no test uses server-side jobs.
      export MLFLOW_SERVER_ENABLE_JOB_EXECUTION="${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false}"
      exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/pid" "$mlflow_bin" server \
        --host 127.0.0.1 --port "$port" \
        --backend-store-uri "${MLFLOW_TEST_SERVER_BACKEND_URI:-sqlite:///$dir/mlflow.db}" \
        --artifacts-destination "$dir/mlartifacts" \
        --workers "${MLFLOW_TEST_SERVER_WORKERS:-2}" "$@"
    ) >"$dir/server.log" 2>&1 </dev/null &
    for _ in $(seq 1 50); do [ -s "$dir/pid" ] && break; sleep 0.1; done
    for _ in $(seq 1 600); do
      if "$py" -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port$prefix/health', timeout=1).read()==b'OK' else 1)" 2>/dev/null; then
        echo "http://127.0.0.1:$port$prefix" >"$dir/uri"; echo "$py" >"$dir/python"
        echo "test-server: MLflow $("$py" -c 'import mlflow; print(mlflow.__version__)') at http://127.0.0.1:$port$prefix (log: $dir/server.log)"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/pid" 2>/dev/null || echo 0)" 2>/dev/null; then break; fi
      sleep 0.2
    done
    echo "test-server: the MLflow server did not start; its log follows" >&2
    cat "$dir/server.log" >&2 || true
    stop; exit 1 ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
