# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python MLflow's view of a run, for the CLI tests: run.to_dictionary() (what `mlflow runs
describe` prints) and the full history of one metric.

Usage: cli_run_dict.py TRACKING_URI RUN_ID METRIC_KEY
"""

import json
import sys

from mlflow import MlflowClient

uri, run_id, key = sys.argv[1:4]
client = MlflowClient(tracking_uri=uri)
run = client.get_run(run_id)
history = [
    {"key": m.key, "value": m.value, "timestamp": m.timestamp, "step": m.step}
    for m in client.get_metric_history(run_id, key)
]
print(json.dumps({"run": run.to_dictionary(), "history": history}))
