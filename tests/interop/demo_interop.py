# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Reads the demo's logged model through a tracking server's HTTP endpoints, as the MLflow UI
does, and loads its MLmodel with Python's mlflow.

usage: demo_interop.py SERVER_URI RUN_ID MODEL_ID [REGISTERED_NAME...]
Prints JSON: {"run_artifacts": [paths under the run's own artifacts],
              "listing": [{"path", "is_dir", "file_size"} of the logged model, depth-first],
              "files": {path: text of every file of the model, from artifacts/files},
              "model": logged-models/get's model, "run": runs/get's run,
              "registry": {name: {"model": registered-models/get's registered_model,
                                  "version_1": model-versions/get's model_version}},
              "signature": {"loaded": Model.load(models:/MODEL_ID).signature.to_dict(),
                            "equals_python": whether it equals the ModelSignature Python
                                             builds for the demo's inputs and outputs}}.
The wire is read with the standard library; only the signature goes through mlflow.
"""

import json
import sys
import urllib.parse
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def get_json(server, endpoint, **query):
    return json.loads(get(f"{server}/api/2.0/mlflow/{endpoint}?{urllib.parse.urlencode(query)}"))


def walk_model(server, model_id, path, out):
    query = {"artifact_directory_path": path} if path else {}
    endpoint = f"logged-models/{model_id}/artifacts/directories"
    for info in get_json(server, endpoint, **query).get("files", []):
        out.append(
            {"path": info["path"], "is_dir": info["is_dir"], "file_size": info.get("file_size")}
        )
        if info["is_dir"]:
            walk_model(server, model_id, info["path"], out)


def signature(server, model_id):
    import mlflow
    from mlflow.models import Model, ModelSignature
    from mlflow.types import ColSpec, Schema

    mlflow.set_tracking_uri(server)
    loaded = Model.load(f"models:/{model_id}").signature
    expected = ModelSignature(
        inputs=Schema([ColSpec("double", "x0"), ColSpec("double", "x1")]),
        outputs=Schema([ColSpec("double", "probability")]),
    )
    return {"loaded": loaded.to_dict() if loaded else None, "equals_python": loaded == expected}


def main():
    server, run_id, model_id = sys.argv[1:4]
    run_artifacts = [f["path"] for f in get_json(server, "artifacts/list", run_id=run_id)
                     .get("files", [])]
    listing = []
    walk_model(server, model_id, None, listing)
    files = {}
    for info in listing:
        if not info["is_dir"]:
            query = urllib.parse.urlencode({"artifact_file_path": info["path"]})
            files[info["path"]] = get(
                f"{server}/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files?{query}"
            ).decode("utf-8")
    registry = {}
    for name in sys.argv[4:]:
        registry[name] = {
            "model": get_json(server, "registered-models/get", name=name)["registered_model"],
            "version_1": get_json(server, "model-versions/get", name=name,
                                  version="1")["model_version"],
        }
    print(json.dumps({
        "run_artifacts": run_artifacts,
        "listing": listing,
        "files": files,
        "model": get_json(server, f"logged-models/{model_id}")["model"],
        "run": get_json(server, "runs/get", run_id=run_id)["run"],
        "registry": registry,
        "signature": signature(server, model_id),
    }))


if __name__ == "__main__":
    main()
