# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""The trace of tests/ui/ui_trace_writer.cpp, written by Python's mlflow (the UI test compares
what the trace page shows for both).

usage: python_trace_writer.py TRACKING_URI EXPERIMENT_NAME
Prints {"experiment_id": ..., "trace_id": ...}."""

import json
import sys

import mlflow
from mlflow.entities import SpanType


def main():
    mlflow.set_tracking_uri(sys.argv[1])
    experiment_id = mlflow.set_experiment(sys.argv[2]).experiment_id
    question = "What is the capital of France?"
    with mlflow.start_span("answer", span_type=SpanType.AGENT) as root:
        root.set_inputs({"question": question})
        with mlflow.start_span("retrieve", span_type=SpanType.RETRIEVER) as retrieve:
            retrieve.set_inputs({"query": question})
            retrieve.set_outputs(["doc-paris", "doc-france"])
        with mlflow.start_span("chat", span_type=SpanType.CHAT_MODEL) as chat:
            chat.set_inputs({"messages": [{"role": "user", "content": question}]})
            chat.set_attribute("mlflow.llm.model", "sim-llm-1")
            chat.set_attribute("mlflow.llm.provider", "local")
            chat.set_attribute("mlflow.chat.tokenUsage",
                               {"input_tokens": 21, "output_tokens": 9, "total_tokens": 30})
            chat.set_attribute("mlflow.llm.cost",
                               {"input_cost": 0.0021, "output_cost": 0.0018,
                                "total_cost": 0.0039})
            chat.set_outputs({"role": "assistant", "content": "Paris."})
        try:
            with mlflow.start_span("lookup_weather", span_type=SpanType.TOOL):
                raise RuntimeError("weather service down")
        except RuntimeError:
            pass
        root.set_outputs({"answer": "Paris."})
        trace_id = root.trace_id
    mlflow.flush_trace_async_logging()
    print(json.dumps({"experiment_id": experiment_id, "trace_id": trace_id}))


if __name__ == "__main__":
    main()
