#!/usr/bin/env bash
# Installs and runs Jaeger (v1.75.0, the all-in-one `jaeger` binary: an OpenTelemetry collector
# with Jaeger's memory storage and query API) as the OTLP receiver of the export tests.
#   jaeger.sh install          builds it once with the Go toolchain, prints the binary's path
#   jaeger.sh start DIR        free loopback ports, OTLP/HTTP receiver + query API, memory store;
#                              writes DIR/otlp (the OTLP/HTTP base URL), DIR/query (the query
#                              API's base URL) and DIR/pid
#   jaeger.sh stop DIR
# The build (several minutes: Jaeger pulls in most of the OpenTelemetry collector) is kept in
# $MLFLOW_CPP_CACHE (~/.cache/mlflow-cpp) so that later runs and CI reuse it; the module
# downloads come through the Go module proxy.
set -euo pipefail
JAEGER_VERSION="${JAEGER_VERSION:-v1.75.0}"
CACHE="${MLFLOW_CPP_CACHE:-$HOME/.cache/mlflow-cpp}"
MOD="$CACHE/jaeger-$JAEGER_VERSION"
BIN="$MOD/bin/jaeger"
cmd="${1:?install|start|stop}"

install() {
  if [ -x "$BIN" ]; then echo "$BIN"; return 0; fi
  command -v go >/dev/null 2>&1 || {
    echo "jaeger: the Go toolchain is needed to build Jaeger (https://go.dev/dl, or apt-get install golang)" >&2
    return 1
  }
  echo "jaeger: building Jaeger $JAEGER_VERSION into $MOD (one-time, several minutes)" >&2
  mkdir -p "$MOD"
  (
    cd "$MOD"
    [ -f go.mod ] || go mod init mlflow-cpp/jaeger-tool >&2
    go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_VERSION" >&2
    go build -o "$BIN.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
    mv "$BIN.tmp" "$BIN"
  )
  echo "$BIN"
}

stop() {
  local dir="$1"
  [ -f "$dir/pid" ] || return 0
  local pid; pid=$(cat "$dir/pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "$cmd" in
  install) install ;;
  start)
    dir="${2:?directory}"
    stop "$dir"
    bin=$(install)
    rm -rf "$dir"; mkdir -p "$dir"
    otlp_port=$(free_port); query_port=$(free_port); grpc_port=$(free_port)
    health_port=$(free_port); metrics_port=$(free_port)
    # Jaeger v2's configuration is an OpenTelemetry collector configuration: one pipeline
    # from the OTLP receiver (HTTP only, plus gRPC on a free port) to the memory storage,
    # which the query extension reads.
    cat >"$dir/config.yaml" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$health_port
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$query_port
    grpc:
      endpoint: 127.0.0.1:$grpc_port
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$otlp_port
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
    : "$metrics_port"
    ( exec "$bin" --config "$dir/config.yaml" ) >"$dir/jaeger.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 1 300); do
      if curl -fsS "http://127.0.0.1:$query_port/api/services" >/dev/null 2>&1 &&
         curl -sS -o /dev/null "http://127.0.0.1:$otlp_port/v1/traces" 2>/dev/null; then
        echo "http://127.0.0.1:$otlp_port" >"$dir/otlp"
        echo "http://127.0.0.1:$query_port" >"$dir/query"
        echo "jaeger: $JAEGER_VERSION, OTLP/HTTP at http://127.0.0.1:$otlp_port, query API at http://127.0.0.1:$query_port (log: $dir/jaeger.log)"
        exit 0
      fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "jaeger: Jaeger did not start; its log follows" >&2
    cat "$dir/jaeger.log" >&2 || true
    stop "$dir"; exit 1 ;;
  stop) stop "${2:?directory}" ;;
  *) echo "usage: $0 install|start DIR|stop DIR" >&2; exit 2 ;;
esac
