# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python's MlflowClient reads the tables and images C++ logged, and logs its own.

usage: media_interop.py TRACKING_URI EXPERIMENT_ID RUN_ID
Prints JSON: {"table": {columns, data} from load_table("cpp_table.json"),
              "images": {artifact path: {"mode", "size", "hex"} decoded by Pillow},
              "python_images": [paths Python's log_image(key="py/key", step=5) wrote],
              "tags": the run's tags after that}.
"""

import json
import sys
import tempfile

import numpy as np
from PIL import Image

import mlflow


def main():
    uri, exp, run_id = sys.argv[1:4]
    client = mlflow.MlflowClient(uri)
    table = client.load_table(exp, "cpp_table.json", run_ids=[run_id])
    split = table.to_dict(orient="split")
    images = {}
    before = [f.path for f in client.list_artifacts(run_id, "images")]
    with tempfile.TemporaryDirectory() as tmp:
        for path in before:
            local = client.download_artifacts(run_id, path, tmp)
            with Image.open(local) as img:
                img.load()
                images[path] = {"mode": img.mode, "size": list(img.size),
                                "format": img.format, "hex": img.tobytes().hex()}
    client.log_image(run_id, np.zeros((4, 6, 3), dtype=np.uint8), key="py/key", step=5)
    client.log_table(run_id, {"q": ["from python"], "n": [7]}, "py_table.json")
    after = [f.path for f in client.list_artifacts(run_id, "images") if f.path not in before]
    print(json.dumps({"table": {"columns": split["columns"], "data": split["data"]},
                      "images": images, "python_images": sorted(after),
                      "tags": client.get_run(run_id).data.tags}))


if __name__ == "__main__":
    main()
