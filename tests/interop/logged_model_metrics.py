# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python's side of TrackingLogging.LogMetricWithDatasetAndModelId: creates the logged model
that the C++ client logs a metric against, and reads that model's metrics back.
  logged_model_metrics.py create TRACKING_URI EXPERIMENT_ID RUN_ID   prints the model id
  logged_model_metrics.py read TRACKING_URI MODEL_ID                 prints the metrics as JSON
"""
import json
import sys

from mlflow import MlflowClient

command, tracking_uri = sys.argv[1], sys.argv[2]
client = MlflowClient(tracking_uri=tracking_uri)
if command == "create":
    model = client.create_logged_model(sys.argv[3], name="cpp-model", source_run_id=sys.argv[4])
    print(model.model_id)
elif command == "read":
    model = client.get_logged_model(sys.argv[3])
    print(json.dumps([{"key": x.key, "value": x.value, "timestamp": x.timestamp, "step": x.step,
                       "dataset_name": x.dataset_name, "dataset_digest": x.dataset_digest,
                       "run_id": x.run_id} for x in model.metrics]))
else:
    sys.exit(f"unknown command {command!r}")
