# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python MLflow 3.18 side of the tracing interop tests.

usage:
  tracing_interop.py read TRACKING_URI TRACE_ID
      mlflow.get_trace + mlflow.search_traces of a trace C++ wrote; prints "RESULT <json>".
  tracing_interop.py write TRACKING_URI EXPERIMENT_ID
      records a trace with @mlflow.trace / mlflow.start_span (nested spans, token usage, an
      exception, events), logs a feedback and an expectation on it, and prints
      "RESULT <json>" of what Python itself reads back.
  tracing_interop.py service TRACKING_URI EXPERIMENT_ID PORT DOWNSTREAM_URL
      an HTTP service: continues the caller's traceparent, records a span, calls DOWNSTREAM_URL
      (if not "-") with its own traceparent, answers. Stops after one request.

The JSON is the same shape the C++ test builds from its own reads: the span tree with names,
types, inputs, outputs, attributes, token usage, status and timings, and the assessments.
"""

import json
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import mlflow
from mlflow.entities import AssessmentSource, SpanEvent


def span_dict(span):
    return {
        "name": span.name,
        "span_id": span.span_id,
        "parent_id": span.parent_id,
        "span_type": span.span_type,
        "inputs": span.inputs,
        "outputs": span.outputs,
        "attributes": span.attributes,
        "status": span.status.status_code.value
        if hasattr(span.status.status_code, "value")
        else str(span.status.status_code),
        "status_description": span.status.description,
        "start_time_ns": span.start_time_ns,
        "end_time_ns": span.end_time_ns,
        "events": [
            {"name": e.name, "timestamp": e.timestamp, "attributes": dict(e.attributes)}
            for e in span.events
        ],
    }


def assessment_dict(a):
    out = {
        "assessment_id": a.assessment_id,
        "name": a.name,
        "source_type": a.source.source_type,
        "source_id": a.source.source_id,
        "span_id": a.span_id,
        "rationale": a.rationale,
        "metadata": a.metadata or {},
        "overrides": a.overrides,
        "valid": a.valid,
    }
    if a.feedback is not None:
        out["kind"] = "feedback"
        out["value"] = a.feedback.value
        out["error_code"] = a.feedback.error.error_code if a.feedback.error else None
        out["error_message"] = a.feedback.error.error_message if a.feedback.error else None
    else:
        out["kind"] = "expectation"
        out["value"] = a.expectation.value
    return out


def trace_dict(trace):
    info = trace.info
    return {
        "trace_id": info.trace_id,
        "experiment_id": info.experiment_id,
        "state": str(info.state.value if hasattr(info.state, "value") else info.state),
        "request_time": info.request_time,
        "execution_duration": info.execution_duration,
        "request_preview": info.request_preview,
        "response_preview": info.response_preview,
        "client_request_id": info.client_request_id,
        "tags": dict(info.tags),
        "metadata": dict(info.trace_metadata),
        "token_usage": info.token_usage,
        "spans": [span_dict(s) for s in trace.data.spans],
        "assessments": [assessment_dict(a) for a in info.assessments],
    }


def read(uri, trace_id):
    mlflow.set_tracking_uri(uri)
    trace = mlflow.get_trace(trace_id)
    found = mlflow.search_traces(
        locations=[trace.info.experiment_id],
        filter_string=f"trace.request_id = '{trace_id}'",
        return_type="list",
    )
    result = trace_dict(trace)
    result["found_by_search"] = [t.info.trace_id for t in found]
    print("RESULT " + json.dumps(result))


def write(uri, experiment_id):
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(experiment_id=experiment_id)

    @mlflow.trace(span_type="TOOL")
    def lookup(city):
        raise ValueError(f"no weather for {city}")

    @mlflow.trace(name="agent", span_type="AGENT")
    def agent(question, top_k=2):
        with mlflow.start_span("llm", span_type="LLM") as s:
            s.set_inputs({"messages": [{"role": "user", "content": question}]})
            s.set_attribute(
                "mlflow.chat.tokenUsage",
                {"input_tokens": 12, "output_tokens": 7, "total_tokens": 19},
            )
            s.set_attribute("mlflow.llm.model", "py-model")
            s.add_event(SpanEvent("chunk", attributes={"index": 1, "text": "he"}))
            s.set_outputs({"content": "hello é"})
        try:
            lookup("Paris")
        except ValueError:
            pass
        mlflow.update_current_trace(tags={"origin": "python"}, session_id="py-session")
        return {"answer": "hello é", "score": 0.5}

    agent("hi there")
    trace_id = mlflow.get_last_active_trace_id()
    mlflow.flush_trace_async_logging()
    feedback = mlflow.log_feedback(
        trace_id=trace_id,
        name="helpful",
        value=True,
        source=AssessmentSource(source_type="HUMAN", source_id="alice"),
        rationale="clear",
        metadata={"k": "v"},
    )
    mlflow.log_expectation(
        trace_id=trace_id, name="expected", value={"answer": "hello", "n": [1, 2]}
    )
    result = trace_dict(mlflow.get_trace(trace_id))
    result["feedback_id"] = feedback.assessment_id
    print("RESULT " + json.dumps(result))


def service(uri, experiment_id, port, downstream):
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(experiment_id=experiment_id)
    from mlflow.tracing import (
        get_tracing_context_headers_for_http_request,
        set_tracing_context_from_http_request_headers,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with set_tracing_context_from_http_request_headers(dict(self.headers)):
                with mlflow.start_span("python-service", span_type="CHAIN") as span:
                    span.set_inputs({"body": body.decode()})
                    answer = "python"
                    if downstream != "-":
                        req = urllib.request.Request(
                            downstream,
                            data=b"from python",
                            headers=get_tracing_context_headers_for_http_request(),
                            method="POST",
                        )
                        answer += "+" + urllib.request.urlopen(req, timeout=60).read().decode()
                    span.set_outputs(answer)
            mlflow.flush_trace_async_logging()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(answer.encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", int(port)), Handler)
    print("READY", flush=True)
    server.handle_request()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "read":
        read(sys.argv[2], sys.argv[3])
    elif command == "write":
        write(sys.argv[2], sys.argv[3])
    elif command == "service":
        service(*sys.argv[2:6])
    else:
        raise SystemExit(f"unknown command {command}")
