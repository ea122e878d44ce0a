# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-sync`: copies the experiment of bench/bench_sync.cpp's source
file to a real MLflow server with mlflow.MlflowClient, the way mlflow-export-import copies runs
(per run: create_run with the source's start time and tags, the full history of each metric
with log_batch, params, download_artifacts + log_artifacts, set_terminated).

usage: bench_sync.py TRACKING_URI SOURCE_DB

Prints BENCH_JSON {"client": "python", "variant": "sync", ...} as the C++ side does.
"""

import json
import os
import sys
import tempfile
import time

# Imported before any clock starts: the import of mlflow is not part of the copy.
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

EXPERIMENT = "bench-sync"


def copy_run(src, dst, run, experiment_id):
    tags = {k: v for k, v in run.data.tags.items()}
    tags["mlflow.cpp.sync.source_run_id"] = run.info.run_id
    copy = dst.create_run(experiment_id, start_time=run.info.start_time, tags=tags,
                          run_name=run.info.run_name)
    run_id = copy.info.run_id
    metrics = []
    for key in run.data.metrics:
        metrics += [Metric(m.key, m.value, m.timestamp, m.step)
                    for m in src.get_metric_history(run.info.run_id, key)]
    params = [Param(k, v) for k, v in run.data.params.items()]
    dst.log_batch(run_id, metrics=metrics, params=params)
    with tempfile.TemporaryDirectory() as tmp:
        local = src.download_artifacts(run.info.run_id, "", tmp)
        dst.log_artifacts(run_id, local)
    dst.set_terminated(run_id, run.info.status, run.info.end_time)
    return len(metrics)


def main():
    uri, db = sys.argv[1:3]
    src = MlflowClient("sqlite:///" + db)
    dst = MlflowClient(uri)
    w0, c0 = time.perf_counter(), time.process_time()
    source_exp = src.get_experiment_by_name(EXPERIMENT)
    experiment_id = dst.create_experiment(EXPERIMENT + "-python")
    runs = src.search_runs([source_exp.experiment_id], max_results=50000)
    points = sum(copy_run(src, dst, run, experiment_id) for run in runs)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0

    copies = dst.search_runs([experiment_id], max_results=50000)
    verified = len(copies) == len(runs) and len(runs) > 0
    for copy in (copies[0], copies[-1]):
        source_id = copy.data.tags["mlflow.cpp.sync.source_run_id"]
        verified &= len(dst.get_metric_history(copy.info.run_id, "loss")) == len(
            src.get_metric_history(source_id, "loss"))
        verified &= len(dst.list_artifacts(copy.info.run_id, "outputs")) == len(
            src.list_artifacts(source_id, "outputs"))
    artifacts = sum(len(src.list_artifacts(r.info.run_id, "outputs")) for r in runs)
    print(f"python sync {len(runs)} runs {points} points {artifacts} artifacts  wall {wall:8.2f} s  "
          f"cpu {cpu:7.2f} s  {'verified' if verified else 'NOT VERIFIED'}")
    print("BENCH_JSON " + json.dumps({"client": "python", "variant": "sync", "runs": len(runs),
                                      "points": points, "artifacts": artifacts, "wall_s": wall,
                                      "cpu_s": cpu, "verified": bool(verified)}), flush=True)
    return 0 if verified else 1


if __name__ == "__main__":
    sys.exit(main())
