# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python MLflow 3.18 reads a logged model that C++ logged, finds it, and registers it.

usage: logged_model_interop.py TRACKING_URI EXPERIMENT_ID MODEL_ID REGISTERED_NAME CPP_NAME
CPP_NAME is a registered model whose version 1 C++ registered from models:/<MODEL_ID>.
Prints one line "RESULT <json>" with what Python saw.
"""

import json
import sys

import mlflow
import numpy as np
from mlflow.models import Model, ModelSignature
from mlflow.types import Schema, TensorSpec


def main():
    uri, experiment_id, model_id, registered_name, cpp_name = sys.argv[1:6]
    mlflow.set_tracking_uri(uri)
    client = mlflow.MlflowClient(uri)

    loaded = Model.load(f"models:/{model_id}")
    # The signature C++ wrote: a batch of 2-vectors in, one float per row out.
    expected_signature = ModelSignature(
        inputs=Schema([TensorSpec(np.dtype("float32"), (-1, 2), "input")]),
        outputs=Schema([TensorSpec(np.dtype("float32"), (-1, 1), "output")]),
    )
    model = client.get_logged_model(model_id)
    found = client.search_logged_models([experiment_id], filter_string=f"name = '{model.name}'")
    by_metric = client.search_logged_models(
        [experiment_id], filter_string="metrics.accuracy > 0.5", order_by=[{"field_name": "name"}]
    )
    version = mlflow.register_model(f"models:/{model_id}", registered_name)
    run = client.get_run(model.source_run_id)
    cpp_version = client.get_model_version(cpp_name, "1")
    # Loading through the registry resolves the version's storage location.
    via_registry = Model.load(f"models:/{cpp_name}/1")

    print(
        "RESULT "
        + json.dumps({
            "mlmodel": {
                "flavors": loaded.flavors,
                "model_id": loaded.model_id,
                "model_uuid": loaded.model_uuid,
                "run_id": loaded.run_id,
                "artifact_path": loaded.artifact_path,
                "mlflow_version": loaded.mlflow_version,
                "utc_time_created": str(loaded.utc_time_created),
                "model_size_bytes": loaded.model_size_bytes,
                "signature": loaded.signature.to_dict() if loaded.signature else None,
                "signature_equals_python": loaded.signature == expected_signature,
            },
            "model": {
                "name": model.name,
                "status": str(model.status),
                "source_run_id": model.source_run_id,
                "artifact_location": model.artifact_location,
                "params": model.params,
                "tags": model.tags,
                "metrics": sorted(f"{m.key}={m.value}@{m.step}" for m in model.metrics or []),
            },
            "found": [m.model_id for m in found],
            "by_metric": [m.model_id for m in by_metric],
            "version": {
                "name": version.name,
                "version": str(version.version),
                "source": version.source,
                "model_id": version.model_id,
                "run_id": version.run_id,
            },
            "cpp_version": {
                "source": cpp_version.source,
                "run_id": cpp_version.run_id,
                "loaded_model_id": via_registry.model_id,
            },
            "run_outputs": [
                {"model_id": o.model_id, "step": o.step} for o in run.outputs.model_outputs
            ],
        })
    )


if __name__ == "__main__":
    main()
