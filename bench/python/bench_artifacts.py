# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-artifacts`: the same files as bench/bench_artifacts.cpp, moved
with mlflow.MlflowClient through a real MLflow server.

usage: bench_artifacts.py TRACKING_URI LARGE_FILE SMALL_DIR WORK_DIR

Prints one machine-readable line per variant:
  BENCH_JSON {"client": "python", "variant": ..., "files": ..., "bytes": ..., "wall_s": ...}
"""

import json
import os
import shutil
import sys
import time

# Imported before any clock starts: the import of mlflow is not part of the transfers.
from mlflow import MlflowClient
from bench_common import timed


def count_remote(client, run_id, path):
    files = size = 0
    for info in client.list_artifacts(run_id, path):
        if info.is_dir:
            f, s = count_remote(client, run_id, info.path)
            files, size = files + f, size + s
        else:
            files, size = files + 1, size + (info.file_size or 0)
    return files, size


def report(variant, files, size, wall, cpu, verified):
    print(f"python {variant:<15} {files:6d} files {size:12d} bytes  wall {wall:8.2f} s  "
          f"cpu {cpu:7.2f} s  {'verified' if verified else 'NOT VERIFIED'}")
    print("BENCH_JSON " + json.dumps({"client": "python", "variant": variant, "files": files,
                                      "bytes": size, "wall_s": wall, "cpu_s": cpu,
                                      "verified": verified}), flush=True)


def main():
    uri, large, small, work = sys.argv[1:5]
    client = MlflowClient(uri)
    exp = client.create_experiment(f"bench-artifacts-python-{os.getpid()}-{time.time_ns()}")
    large_size = os.path.getsize(large)

    run1 = client.create_run(exp).info.run_id
    client.log_text(run1, "warm-up", "warm-up.txt")
    wall, cpu = timed(lambda: client.log_artifact(run1, large))
    files, size = count_remote(client, run1, "")
    report("large_upload", 1, large_size, wall, cpu, files == 2 and size == large_size + 7)

    dst = os.path.join(work, "python-download")
    os.makedirs(dst)
    got = []
    wall, cpu = timed(lambda: got.append(client.download_artifacts(run1, os.path.basename(large),
                                                                   dst)))
    report("large_download", 1, large_size, wall, cpu, os.path.getsize(got[0]) == large_size)
    shutil.rmtree(dst)

    small_files = small_size = 0
    for root, _, names in os.walk(small):
        for n in names:
            small_files += 1
            small_size += os.path.getsize(os.path.join(root, n))
    run2 = client.create_run(exp).info.run_id
    client.log_text(run2, "warm-up", "warm-up.txt")
    wall, cpu = timed(lambda: client.log_artifacts(run2, small, "small"))
    files, size = count_remote(client, run2, "small")
    report("small_upload", small_files, small_size, wall, cpu,
           files == small_files and size == small_size)


if __name__ == "__main__":
    main()
