# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""The server side of tests/conformance/trace_conformance_test.cpp.

usage: trace_conformance.py TRACKING_URI SCENARIO_JSON

Runs the scenario the C++ test wrote (traces as span dicts and trace infos, assessments, tags,
links, searches and calls) against the real server through Python's REST store (OTLP span
upload, StartTraceV3, SearchTracesV3, ...), without client-side checks, and prints one line
{"lines": [...]}, the transcript lines, in the format the C++ side writes for its own runs
(the embedded store and the C++ REST store).
"""

import json
import sys

import mlflow
from mlflow.entities import (
    AssessmentError,
    AssessmentSource,
    Expectation,
    Feedback,
    Span,
    TraceInfo,
    TraceLocation,
    TraceState,
)
from mlflow.entities.model_registry import PromptVersion
from mlflow.exceptions import MlflowException


class Transcript:
    def __init__(self, labels):
        self.lines = []
        self.labels = labels  # trace id -> label

    def add(self, line):
        self.lines.append(line)

    def label(self, trace_id):
        return self.labels.get(trace_id, "?" + trace_id)


def fill(text, ids):
    for label, trace_id in ids.items():
        text = text.replace("{" + label + "}", trace_id)
    return text


def describe_info(t, info):
    tags = ";".join(
        f"{k}={'<set>' if k == 'mlflow.artifactLocation' else v}"
        for k, v in sorted(info.tags.items())
    )
    metadata = ";".join(f"{k}={v}" for k, v in sorted(info.trace_metadata.items()))
    # Python's Expectation.from_proto drops `valid` (its REST reads say None where its SQL
    # store says True), so an expectation's validity is printed as "-" on every side.
    assessments = ";".join(
        sorted(
            f"{a.name}:{'feedback' if a.feedback is not None else 'expectation'}:"
            f"{json.dumps(a.value)}:{a.valid if a.feedback is not None else '-'}:{a.rationale}:"
            f"{a.feedback.error.error_code if a.feedback and a.feedback.error else None}:"
            f"{json.dumps(a.metadata, sort_keys=True) if a.metadata else None}"
            for a in info.assessments
        )
    )
    return (
        f"info {t.label(info.trace_id)}: state={info.state.value} time={info.request_time} "
        f"dur={info.execution_duration} client={info.client_request_id} "
        f"req={info.request_preview} resp={info.response_preview} tags={{{tags}}} "
        f"metadata={{{metadata}}} assessments=[{assessments}]"
    )


def error_line(label, e):
    return f"{label}: {e.error_code}"


def main():
    uri, scenario_path = sys.argv[1:3]
    with open(scenario_path) as f:
        scenario = json.load(f)
    client = mlflow.MlflowClient(uri)
    store = client._tracking_client.store
    experiment_id = client.create_experiment(scenario["experiment_name"])
    ids = scenario["trace_ids"]  # label -> trace id
    t = Transcript({v: k for k, v in ids.items()})

    for trace in scenario["traces"]:
        if trace["spans"]:
            spans = [Span.from_dict(json.loads(content)) for content in trace["spans"]]
            store.log_spans(experiment_id, spans)
        info = trace["info"]
        store.start_trace(
            TraceInfo(
                trace_id=ids[trace["label"]],
                trace_location=TraceLocation.from_experiment_id(experiment_id),
                request_time=info["request_time"],
                execution_duration=info.get("execution_duration"),
                state=TraceState(info["state"]),
                request_preview=info.get("request_preview"),
                response_preview=info.get("response_preview"),
                client_request_id=info.get("client_request_id"),
                trace_metadata=info["metadata"],
                tags=info["tags"],
            )
        )

    assessment_ids = {}
    for a in scenario["assessments"]:
        source = AssessmentSource(source_type=a["source_type"], source_id=a["source_id"])
        if a["kind"] == "feedback":
            error = AssessmentError(error_code=a["error"]) if a.get("error") else None
            entity = Feedback(
                name=a["name"],
                value=a.get("value"),
                error=error,
                source=source,
                rationale=a.get("rationale"),
                metadata=a.get("metadata"),
            )
        else:
            entity = Expectation(
                name=a["name"], value=a["value"], source=source, metadata=a.get("metadata")
            )
        entity.trace_id = ids[a["trace"]]
        if a.get("overrides"):
            entity.overrides = assessment_ids[a["overrides"]]
        assessment_ids[a["label"]] = store.create_assessment(entity).assessment_id

    for tag in scenario["tags"]:
        store.set_trace_tag(ids[tag["trace"]], tag["key"], tag["value"])
    store.link_traces_to_run([ids[x] for x in scenario["run_links"]], scenario["run_id"])
    for trace_label, name, version in scenario["prompt_links"]:
        store.link_prompts_to_trace(
            ids[trace_label], [PromptVersion(name=name, version=int(version), template="")]
        )

    for label in sorted(ids):
        t.add(describe_info(t, store.get_trace_info(ids[label])))

    for q in scenario["queries"]:
        token = q.get("page_token")
        for page in range(q.get("pages", 1)):
            try:
                infos, token = store.search_traces(
                    locations=[experiment_id],
                    filter_string=fill(q["filter"], ids),
                    max_results=q["max_results"],
                    order_by=q["order_by"],
                    page_token=token,
                )
            except MlflowException as e:
                t.add(error_line(f"search {q['label']}", e))
                break
            labels = ",".join(t.label(i.trace_id) for i in infos)
            t.add(f"search {q['label']} page {page}: [{labels}] next={token}")
            if not token:
                break

    for call in scenario["calls"]:
        op = call["op"]
        trace_id = ids.get(call.get("trace"), call.get("trace"))
        name = f"call {call['label']}"
        try:
            if op == "get_trace":
                trace = store.get_trace(trace_id, allow_partial=call.get("allow_partial", False))
                spans = ",".join(
                    f"{s.name}/{s.span_type}/{s.status.status_code.value}" for s in trace.data.spans
                )
                t.add(f"{name}: [{spans}]")
                continue
            if op == "get_trace_info":
                t.add(name + ": " + describe_info(t, store.get_trace_info(trace_id)))
                continue
            if op == "set_trace_tag":
                store.set_trace_tag(trace_id, call["key"], call["value"])
            elif op == "delete_trace_tag":
                store.delete_trace_tag(trace_id, call["key"])
            elif op == "get_assessment":
                a = store.get_assessment(trace_id, assessment_ids.get(call["id"], call["id"]))
                t.add(f"{name}: {a.name} {json.dumps(a.value)} valid={a.valid}")
                continue
            elif op == "delete_assessment":
                store.delete_assessment(trace_id, assessment_ids.get(call["id"], call["id"]))
            elif op == "update_feedback":
                from mlflow.entities.assessment import FeedbackValue

                a = store.update_assessment(
                    trace_id,
                    assessment_ids[call["id"]],
                    name=call.get("name"),
                    feedback=FeedbackValue(value=call["value"]),
                    rationale=call.get("rationale"),
                    metadata=call.get("metadata"),
                )
                t.add(f"{name}: {a.name} {json.dumps(a.value)} {a.rationale} {a.metadata}")
                continue
            elif op == "update_expectation":
                from mlflow.entities.assessment import ExpectationValue

                store.update_assessment(
                    trace_id, assessment_ids[call["id"]], expectation=ExpectationValue(1)
                )
            elif op == "delete_traces":
                n = store.delete_traces(
                    experiment_id=experiment_id,
                    max_timestamp_millis=call.get("max_timestamp_millis"),
                    max_traces=call.get("max_traces"),
                    trace_ids=[ids.get(x, x) for x in call.get("trace_ids", [])] or None,
                )
                t.add(f"{name}: deleted {n}")
                continue
            elif op == "link_many":
                store.link_traces_to_run([trace_id] * call["count"], "r")
            elif op == "log_spans_unknown_experiment":
                spans = [Span.from_dict(json.loads(content)) for content in call["spans"]]
                store.log_spans("987654321", spans)
            elif op == "search_experiment":
                store.search_traces(locations=[call["experiment"]], max_results=5)
            elif op == "search_all":
                infos, _ = store.search_traces(locations=[experiment_id], max_results=50)
                t.add(f"{name}: [{','.join(t.label(i.trace_id) for i in infos)}]")
                continue
            t.add(f"{name}: ok")
        except MlflowException as e:
            t.add(error_line(name, e))

    print(json.dumps({"lines": t.lines}))


if __name__ == "__main__":
    main()
