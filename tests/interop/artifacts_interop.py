# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python's MlflowClient reads the artifacts C++ uploaded, and writes one back.

usage: artifacts_interop.py TRACKING_URI RUN_ID DST_DIR
Prints JSON: {"listing": [every FileInfo, all levels, depth-first], "downloaded": path}.
"""

import json
import sys

import mlflow


def walk(client, run_id, path, out):
    for info in client.list_artifacts(run_id, path):
        out.append({"path": info.path, "is_dir": info.is_dir, "file_size": info.file_size})
        if info.is_dir:
            walk(client, run_id, info.path, out)


def main():
    uri, run_id, dst = sys.argv[1:4]
    client = mlflow.MlflowClient(uri)
    listing = []
    walk(client, run_id, None, listing)
    downloaded = client.download_artifacts(run_id, "", dst)
    client.log_text(run_id, "written by python \u2713", "from_python/hello.txt")
    print(json.dumps({"listing": listing, "downloaded": downloaded}))


if __name__ == "__main__":
    main()
