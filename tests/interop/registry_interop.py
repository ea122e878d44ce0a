# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of the model registry interop tests (run with the pinned MLflow).

  registry_interop.py read  <uri> <name>  -> JSON: the registered model and every version that
                                            MlflowClient().search_model_versions finds for it
  registry_interop.py write <uri> <name>  -> registers a model with two versions, tags, an
                                            alias and a stage through Python's MlflowClient
"""
import json
import sys
import warnings

warnings.filterwarnings("ignore")


def version_json(mv):
    return {
        "name": mv.name,
        "version": str(mv.version),
        "current_stage": mv.current_stage,
        "status": mv.status,
        "source": mv.source,
        "run_id": mv.run_id or "",
        "run_link": mv.run_link or "",
        "description": mv.description or "",
        "tags": dict(mv.tags),
        "aliases": sorted(mv.aliases),
        "creation_timestamp": mv.creation_timestamp,
    }


def read(uri, name):
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    rm = client.get_registered_model(name)
    versions = client.search_model_versions(f"name = '{name}'", order_by=["version_number ASC"])
    by_alias = {a: client.get_model_version_by_alias(name, a).version for a in rm.aliases}
    out = {
        "model": {
            "name": rm.name,
            "description": rm.description or "",
            "tags": dict(rm.tags),
            "aliases": {k: str(v) for k, v in rm.aliases.items()},
            "creation_timestamp": rm.creation_timestamp,
        },
        "versions": [version_json(client.get_model_version(name, v.version)) for v in versions],
        "by_alias": {k: str(v) for k, v in by_alias.items()},
        "found_by_search": [str(v.version) for v in versions],
    }
    print(json.dumps(out))


def write(uri, name):
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.create_registered_model(name, tags={"owner": "python"}, description="from python")
    client.create_model_version(name, "s3://bucket/py/1", tags={"k": "v1"}, description="one")
    client.create_model_version(name, "s3://bucket/py/2", run_link="http://x/run")
    client.set_registered_model_alias(name, "champion", "2")
    client.transition_model_version_stage(name, "1", "Staging")
    client.set_model_version_tag(name, "2", "quality", "good")
    print(json.dumps({"ok": True}))


if __name__ == "__main__":
    cmd, uri, name = sys.argv[1], sys.argv[2], sys.argv[3]
    {"read": read, "write": write}[cmd](uri, name)
