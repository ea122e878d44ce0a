# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Reads a run's artifacts through a tracking server's HTTP endpoints, as the MLflow UI does.

usage: demo_interop.py SERVER_URI RUN_ID [REGISTERED_NAME...]
Prints JSON: {"listing": [{"path", "is_dir", "file_size"}, all levels, depth-first],
              "files": {path: text of every file, fetched from /get-artifact},
              "registry": {name: {"model": registered-models/get's registered_model,
                                  "version_1": model-versions/get's model_version}}}.
Only the standard library: what goes over the wire is checked, not a client's reading of it.
"""

import json
import sys
import urllib.parse
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def walk(server, run_id, path, out):
    query = {"run_id": run_id}
    if path:
        query["path"] = path
    url = f"{server}/api/2.0/mlflow/artifacts/list?{urllib.parse.urlencode(query)}"
    for info in json.loads(get(url)).get("files", []):
        out.append(
            {"path": info["path"], "is_dir": info["is_dir"], "file_size": info.get("file_size")}
        )
        if info["is_dir"]:
            walk(server, run_id, info["path"], out)


def main():
    server, run_id = sys.argv[1:3]
    listing = []
    walk(server, run_id, None, listing)
    files = {}
    for info in listing:
        if not info["is_dir"]:
            query = urllib.parse.urlencode({"path": info["path"], "run_uuid": run_id})
            files[info["path"]] = get(f"{server}/get-artifact?{query}").decode("utf-8")
    registry = {}
    for name in sys.argv[3:]:
        model = json.loads(get(f"{server}/api/2.0/mlflow/registered-models/get?"
                               + urllib.parse.urlencode({"name": name})))
        version = json.loads(get(f"{server}/api/2.0/mlflow/model-versions/get?"
                                 + urllib.parse.urlencode({"name": name, "version": "1"})))
        registry[name] = {"model": model["registered_model"], "version_1": version["model_version"]}
    print(json.dumps({"listing": listing, "files": files, "registry": registry}))


if __name__ == "__main__":
    main()
