# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Reads runs with Python's mlflow.MlflowClient and prints them as JSON on stdout.

Usage: crosscheck_read_runs.py TRACKING_URI RUN_ID [RUN_ID...]

Used by tests/interop/python_crosscheck_test.cpp: the C++ SDK writes runs to a real MLflow
server, this script reads them back with the pinned Python client, and the C++ test compares.
Non-finite metric values are written as the strings "NaN", "Infinity" and "-Infinity" (strict
JSON has no such numbers); finite values are JSON numbers written with repr(), which
round-trips doubles exactly.
"""

import json
import math
import sys

from mlflow import MlflowClient


def encode_value(value):
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def encode_point(metric):
    return {
        "key": metric.key,
        "value": encode_value(metric.value),
        "step": int(metric.step),
        "timestamp": int(metric.timestamp),
    }


def read_run(client, run_id):
    run = client.get_run(run_id)
    info = run.info
    latest = {}
    # RunData keeps the full latest points (step and timestamp) next to the value dict.
    for metric in run.data._metric_objs:
        latest[metric.key] = encode_point(metric)
    histories = {
        key: [encode_point(m) for m in client.get_metric_history(run_id, key)]
        for key in sorted(run.data.metrics)
    }
    datasets = []
    for dataset_input in run.inputs.dataset_inputs if run.inputs else []:
        ds = dataset_input.dataset
        datasets.append(
            {
                "name": ds.name,
                "digest": ds.digest,
                "source_type": ds.source_type,
                "source": ds.source,
                "schema": ds.schema,
                "profile": ds.profile,
                "tags": {t.key: t.value for t in dataset_input.tags},
            }
        )
    return {
        "info": {
            "run_id": info.run_id,
            "experiment_id": info.experiment_id,
            "run_name": info.run_name,
            "user_id": info.user_id,
            "status": info.status,
            "start_time": info.start_time,
            "end_time": info.end_time,
            "lifecycle_stage": info.lifecycle_stage,
            "artifact_uri": info.artifact_uri,
        },
        "params": dict(run.data.params),
        "tags": dict(run.data.tags),
        "latest_metrics": latest,
        "histories": histories,
        "datasets": datasets,
    }


def main(argv):
    if len(argv) < 3:
        print("usage: crosscheck_read_runs.py TRACKING_URI RUN_ID...", file=sys.stderr)
        return 2
    client = MlflowClient(tracking_uri=argv[1])
    runs = {run_id: read_run(client, run_id) for run_id in argv[2:]}
    json.dump({"runs": runs}, sys.stdout, allow_nan=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
