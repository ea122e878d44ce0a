# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python's system metrics monitor on one run, for the names C++ must log too.

usage: system_metrics_parity.py TRACKING_URI EXPERIMENT_ID SECONDS
The sampling settings come from the environment (MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL,
MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING), as the caller sets them for both languages.
Prints JSON: {"run_id", "metrics": {key: number of points}, "psutil": version}.
"""

import json
import sys
import time

import mlflow
import psutil  # fails loudly here, not as a silent "no system metrics" warning later


def main():
    uri, experiment_id, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    mlflow.set_tracking_uri(uri)
    with mlflow.start_run(experiment_id=experiment_id, log_system_metrics=True) as run:
        time.sleep(seconds)
    client = mlflow.MlflowClient(uri)
    keys = client.get_run(run.info.run_id).data.metrics.keys()
    counts = {k: len(client.get_metric_history(run.info.run_id, k)) for k in keys}
    print(json.dumps({"run_id": run.info.run_id, "metrics": counts, "psutil": psutil.__version__}))


if __name__ == "__main__":
    main()
