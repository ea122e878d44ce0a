# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Traces both ways between the C++ embedded store and Python MLflow 3.18's SQL store.

usage: trace_interop.py DB_URI CPP_EXPERIMENT_ID CPP_TRACE_ID PY_EXPERIMENT_NAME

1. Reads the trace C++ wrote (MlflowClient.get_trace, search_traces with a span filter and
   with spans, get_assessment) and describes what Python sees.
2. Writes a trace of its own with the fluent API (mlflow.start_span, @mlflow.trace, token
   usage, cost, an exception, update_current_trace, log_feedback, log_expectation,
   override_feedback) into a new experiment of the same file, and describes it as Python
   reads it back.
Prints one line "RESULT <json>".
"""

import json
import os
import sys

os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"

import mlflow  # noqa: E402
from mlflow.entities import AssessmentSource, SpanEvent  # noqa: E402


def describe_assessment(a):
    return {
        "assessment_id": a.assessment_id,
        "name": a.name,
        "kind": "feedback" if a.feedback is not None else "expectation",
        "value": a.value,
        "error": a.feedback.error.to_dictionary() if a.feedback and a.feedback.error else None,
        "source_type": a.source.source_type,
        "source_id": a.source.source_id,
        "rationale": a.rationale,
        "metadata": a.metadata,
        "span_id": a.span_id,
        "valid": a.valid,
        "overrides": a.overrides,
        "create_time_ms": a.create_time_ms,
    }


def describe(trace):
    info = trace.info
    return {
        "trace_id": info.trace_id,
        "experiment_id": info.experiment_id,
        "request_time": info.request_time,
        "execution_duration": info.execution_duration,
        "state": info.state.value,
        "request_preview": info.request_preview,
        "response_preview": info.response_preview,
        "client_request_id": info.client_request_id,
        "tags": info.tags,
        "metadata": info.trace_metadata,
        "token_usage": info.token_usage,
        "cost": info.cost,
        "assessments": sorted(
            (describe_assessment(a) for a in info.assessments), key=lambda a: a["name"]
        ),
        "spans": [
            {
                "span_id": s.span_id,
                "parent_id": s.parent_id,
                "name": s.name,
                "span_type": s.span_type,
                "start_time_ns": s.start_time_ns,
                "end_time_ns": s.end_time_ns,
                "status_code": s.status.status_code.value,
                "status_description": s.status.description,
                "inputs": s.inputs,
                "outputs": s.outputs,
                "attributes": s.attributes,
                "events": [
                    {"name": e.name, "timestamp": e.timestamp, "attributes": dict(e.attributes)}
                    for e in s.events
                ],
            }
            for s in trace.data.spans
        ],
    }


def write_python_trace(experiment_name):
    experiment_id = mlflow.set_experiment(experiment_name).experiment_id

    @mlflow.trace(span_type="LLM")
    def generate(prompt, temperature=0.7):
        span = mlflow.get_current_active_span()
        span.set_attribute(
            "mlflow.chat.tokenUsage", {"input_tokens": 12, "output_tokens": 30, "total_tokens": 42}
        )
        span.set_attribute(
            "mlflow.llm.cost", {"input_cost": 0.0012, "output_cost": 0.006, "total_cost": 0.0072}
        )
        span.set_attribute("mlflow.llm.model", "tiny-llama")
        span.add_event(SpanEvent("token", attributes={"index": 1, "text": "Grüße"}))
        return {"choices": [{"message": {"role": "assistant", "content": "Hallo ✓"}}]}

    with mlflow.start_span("agent", span_type="AGENT") as root:
        root.set_inputs({"messages": [{"role": "user", "content": "Sag hallo"}]})
        generate("Sag hallo")
        try:
            with mlflow.start_span("lookup", span_type="TOOL") as tool:
                tool.set_inputs({"key": 42})
                raise ValueError("not found")
        except ValueError:
            pass
        root.set_outputs({"answer": "Hallo ✓", "score": 0.5, "ok": True, "none": None})
        mlflow.update_current_trace(
            tags={"env": "interop"}, metadata={"origin": "python"}, session_id="py-s", user="py-u"
        )
    trace_id = mlflow.get_last_active_trace_id()
    feedback = mlflow.log_feedback(
        trace_id=trace_id,
        name="relevance",
        value=0.5,
        rationale="half right",
        source=AssessmentSource(source_type="LLM_JUDGE", source_id="judge-1"),
        metadata={"k": "v"},
    )
    mlflow.override_feedback(
        trace_id=trace_id, assessment_id=feedback.assessment_id, value=0.9, rationale="fixed"
    )
    mlflow.log_expectation(trace_id=trace_id, name="expected", value={"answer": ["Hallo"]})
    return experiment_id, trace_id


def main():
    uri, cpp_experiment, cpp_trace_id, py_experiment_name = sys.argv[1:5]
    mlflow.set_tracking_uri(uri)
    client = mlflow.MlflowClient(uri)

    cpp = client.get_trace(cpp_trace_id)
    found = client.search_traces(
        locations=[cpp_experiment], filter_string="span.name = 'generate'", include_spans=True
    )
    cpp_assessments = [
        describe_assessment(mlflow.get_assessment(cpp_trace_id, a.assessment_id))
        for a in cpp.info.assessments
    ]

    py_experiment, py_trace_id = write_python_trace(py_experiment_name)
    py = client.get_trace(py_trace_id)
    print(
        "RESULT "
        + json.dumps({
            "cpp": describe(cpp),
            "cpp_search": [describe(t) for t in found],
            "cpp_assessments": sorted(cpp_assessments, key=lambda a: a["name"]),
            "py_experiment": py_experiment,
            "py": describe(py),
        })
    )


if __name__ == "__main__":
    main()
