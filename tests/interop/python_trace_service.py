# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""A Python service in the middle of a distributed trace (tests/integration/
distributed_tracing_test.cpp), written the way MLflow documents it: it continues the caller's
trace with mlflow.tracing.set_tracing_context_from_http_request_headers(dict(headers)), records
"python-service-handle" (CHAIN) -> "python-service-call" (TOOL), and inside the latter calls the
DOWNSTREAM_URL service with mlflow.tracing.get_tracing_context_headers_for_http_request(). Its
spans go to MLFLOW_TRACKING_URI / MLFLOW_EXPERIMENT_ID before it answers (flushed inside the
context: see do_POST)
{"trace_id": ..., "span_id": <its handle span>, "downstream": <the downstream reply>}. A refused
request is answered 400 with Python's message.

usage: python_trace_service.py DOWNSTREAM_URL      prints "port <n>", serves until killed."""

import json
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import mlflow
from mlflow.entities import SpanType
from mlflow.exceptions import MlflowException
from mlflow.tracing import (
    get_tracing_context_headers_for_http_request,
    set_tracing_context_from_http_request_headers,
)

DOWNSTREAM = sys.argv[1]


def call_downstream(body):
    headers = dict(get_tracing_context_headers_for_http_request(),
                   **{"Content-Type": "text/plain"})
    request = urllib.request.Request(DOWNSTREAM, data=body.encode(), headers=headers,
                                     method="POST")
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read())


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        try:
            with set_tracing_context_from_http_request_headers(dict(self.headers)):
                with mlflow.start_span("python-service-handle", span_type=SpanType.CHAIN) as span:
                    span.set_inputs({"request": body})
                    with mlflow.start_span("python-service-call", span_type=SpanType.TOOL) as call:
                        downstream = call_downstream(body)
                        call.set_outputs(downstream)
                    span.set_outputs({"answer": "42"})
                    reply = {"trace_id": span.trace_id, "span_id": span.span_id,
                             "downstream": downstream}
                # Stored before the caller hears back. Inside the context on purpose: pinned
                # Python's batch span processor (MLFLOW_USE_BATCH_SPAN_PROCESSOR, default on)
                # exports later, and once the context is left the remote trace is forgotten
                # and its spans are silently dropped.
                mlflow.flush_trace_async_logging()
            self._answer(200, reply)
        except MlflowException as e:
            self._answer(400, {"error": e.message})

    def _answer(self, status, reply):
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    server = HTTPServer(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
