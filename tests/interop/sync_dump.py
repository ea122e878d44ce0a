# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Dumps experiments canonically with Python's MlflowClient, for the sync tests.

Usage: sync_dump.py EXPERIMENT_NAME [--db SQLITE_FILE] SIDE...

Each SIDE is a tracking URI, or copy:URI for the destination of a sync; the output is
{"sides": [dump of each SIDE]} (one Python start for all of them).

Runs are keyed by their id, or with --copy (the destination of a sync) by the
mlflow.cpp.sync.source_run_id tag, and a parent link is written the same way, so the dump of a
source and of its copy are equal when the copy is whole. A copy run without the tag, or two with
the same tag, are listed under "untagged" and "duplicates". Metric histories are full (every
point with its step and timestamp), artifacts are (path, size) of every file. With --db, the
rows of those experiments' runs in each table of that MLflow database are counted too.
"""

import json
import math
import sqlite3
import sys

from mlflow import MlflowClient
from mlflow.entities import ViewType

SYNC_TAG = "mlflow.cpp.sync.source_run_id"
PARENT_TAG = "mlflow.parentRunId"


def value(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def files(client, run_id, path=None):
    out = []
    for f in client.list_artifacts(run_id, path):
        if f.is_dir:
            out.extend(files(client, run_id, f.path))
        else:
            out.append([f.path, f.file_size or 0])
    return out


def dump_run(client, run, copy, key_of):
    tags = dict(run.data.tags)
    tags.pop(SYNC_TAG, None)
    if PARENT_TAG in tags:
        tags[PARENT_TAG] = key_of.get(tags[PARENT_TAG], "unknown:" + tags[PARENT_TAG])
    metrics = {}
    for key in run.data.metrics:
        points = client.get_metric_history(run.info.run_id, key)
        metrics[key] = sorted([p.step, p.timestamp, value(p.value)] for p in points)
    inputs = sorted(
        json.dumps(
            {
                "name": d.dataset.name,
                "digest": d.dataset.digest,
                "source_type": d.dataset.source_type,
                "source": d.dataset.source,
                "schema": d.dataset.schema,
                "profile": d.dataset.profile,
                "tags": sorted([t.key, t.value] for t in d.tags),
            },
            sort_keys=True,
        )
        for d in (run.inputs.dataset_inputs if run.inputs else [])
    )
    return {
        "run_name": run.info.run_name,
        "user_id": run.info.user_id,
        "status": run.info.status,
        "start_time": run.info.start_time,
        "end_time": run.info.end_time,
        "params": dict(run.data.params),
        "tags": tags,
        "metrics": metrics,
        "inputs": inputs,
        "artifacts": sorted(files(client, run.info.run_id)),
    }


def row_counts(db, experiment_ids):
    conn = sqlite3.connect(db)
    marks = ",".join("?" * len(experiment_ids))
    runs = f"SELECT run_uuid FROM runs WHERE experiment_id IN ({marks})"
    counts = {"runs": conn.execute(f"SELECT COUNT(*) FROM runs WHERE experiment_id IN ({marks})",
                                   experiment_ids).fetchone()[0]}
    for table in ("metrics", "latest_metrics", "params", "tags"):
        counts[table] = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE run_uuid IN ({runs})", experiment_ids
        ).fetchone()[0]
    counts["inputs"] = conn.execute(
        f"SELECT COUNT(*) FROM inputs WHERE destination_id IN ({runs})", experiment_ids
    ).fetchone()[0]
    conn.close()
    return counts


def dump(uri, copy, names, db):
    client = MlflowClient(uri)
    out = {"experiments": {}, "untagged": [], "duplicates": []}
    ids = []
    for name in names:
        exp = client.get_experiment_by_name(name)
        if exp is None:
            out["experiments"][name] = None
            continue
        ids.append(exp.experiment_id)
        runs = client.search_runs([exp.experiment_id], run_view_type=ViewType.ALL,
                                  max_results=50000)
        key_of = {}
        for run in runs:
            key = run.data.tags.get(SYNC_TAG) if copy else run.info.run_id
            if key is None:
                out["untagged"].append(run.info.run_id)
            elif key in key_of.values():
                out["duplicates"].append(key)
            key_of[run.info.run_id] = key
        out["experiments"][name] = {
            "tags": {k: v for k, v in exp.tags.items()},
            "runs": {key_of[r.info.run_id]: dump_run(client, r, copy, key_of) for r in runs
                     if key_of.get(r.info.run_id)},
        }
    if db and copy:
        out["row_counts"] = row_counts(db, ids)
    return out


def main():
    args = sys.argv[1:]
    names = [args.pop(0)]
    db = None
    if args and args[0] == "--db":
        db = args[1]
        args = args[2:]
    sides = [dump(a[5:], True, names, db) if a.startswith("copy:") else dump(a, False, names, db)
             for a in args]
    print(json.dumps({"sides": sides}, sort_keys=True))


if __name__ == "__main__":
    main()
