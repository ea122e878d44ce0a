# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of the SQLite interop tests (run with the pinned MLflow).

  sqlite_interop.py read   <tracking-uri> <history-key>  -> JSON of everything in the store
  sqlite_interop.py write  <tracking-uri>                -> writes a known data set, prints ids
  sqlite_interop.py schema <db-path>                     -> normalised schema + seed rows
  sqlite_interop.py write-all <tracking-uri>             -> write, plus a registered model
  sqlite_interop.py read-all <tracking-uri> <history-key> -> read, plus the registry
"""
import json
import math
import re
import sqlite3
import sys
import warnings

warnings.filterwarnings("ignore")


def num(v):
    # JSON has no NaN/Infinity; encode them as strings the C++ side expects.
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, float) and math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def dump_store(uri, history_key):
    from mlflow import MlflowClient
    from mlflow.entities import ViewType

    client = MlflowClient(uri)
    out = {"experiments": [], "runs": []}
    exps = client.search_experiments(view_type=ViewType.ALL, order_by=["experiment_id ASC"])
    for e in exps:
        out["experiments"].append({
            "id": e.experiment_id,
            "name": e.name,
            "artifact_location": e.artifact_location,
            "lifecycle_stage": e.lifecycle_stage,
            "tags": dict(e.tags),
        })
    runs = client.search_runs(
        [e.experiment_id for e in exps], run_view_type=ViewType.ALL, order_by=["start_time ASC"]
    )
    for r in runs:
        history = client.get_metric_history(r.info.run_id, history_key)
        out["runs"].append({
            "run_id": r.info.run_id,
            "experiment_id": r.info.experiment_id,
            "run_name": r.info.run_name,
            "status": r.info.status,
            "lifecycle_stage": r.info.lifecycle_stage,
            "start_time": r.info.start_time,
            "end_time": r.info.end_time,
            "artifact_uri": r.info.artifact_uri,
            "user_id": r.info.user_id,
            "params": dict(r.data.params),
            "tags": dict(r.data.tags),
            "metrics": {k: num(v) for k, v in r.data.metrics.items()},
            "history": [[m.step, m.timestamp, num(m.value)] for m in history],
            "datasets": [
                {
                    "name": d.dataset.name,
                    "digest": d.dataset.digest,
                    "source_type": d.dataset.source_type,
                    "source": d.dataset.source,
                    "schema": d.dataset.schema,
                    "tags": {t.key: t.value for t in d.tags},
                }
                for d in r.inputs.dataset_inputs
            ],
        })
    return out


def write_store(uri, with_registry=False):
    from mlflow import MlflowClient
    from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag

    client = MlflowClient(uri)
    exp = client.create_experiment("py-exp", tags={"owner": "python"})
    run = client.create_run(exp, run_name="py-run", tags={"t1": "v1"}, start_time=1111)
    rid = run.info.run_id
    metrics = [Metric("loss", 1.0 / (i + 1), 1000 + i, i) for i in range(500)]
    metrics += [Metric("odd", float("nan"), 5, 0), Metric("big", float("inf"), 5, 0)]
    client.log_batch(rid, metrics=metrics, params=[Param("lr", "0.01")], tags=[RunTag("k", "v")])
    ds = Dataset(name="pyds", digest="d1g35t", source_type="local", source='{"uri": "/x"}',
                 schema='{"cols": 1}')
    client.log_inputs(rid, [DatasetInput(ds, [InputTag("mlflow.data.context", "training")])])
    client.set_terminated(rid, "FINISHED", end_time=2222)
    gone = client.create_run(exp, run_name="py-deleted", start_time=1112)
    client.delete_run(gone.info.run_id)
    if with_registry:
        write_registry(uri, rid)
    print(json.dumps({"experiment_id": exp, "run_id": rid, "deleted_run_id": gone.info.run_id}))


def write_registry(uri, run_id):
    from mlflow import MlflowClient

    client = MlflowClient(uri)
    client.create_registered_model("py-model", tags={"owner": "python"})
    client.create_model_version("py-model", f"runs:/{run_id}/model", run_id)
    client.set_registered_model_alias("py-model", "champion", "1")


def dump_registry(uri):
    from mlflow import MlflowClient

    client = MlflowClient(uri)
    models = []
    for m in client.search_registered_models():
        models.append({
            "name": m.name,
            "tags": dict(m.tags),
            "aliases": dict(m.aliases),
            "latest_versions": [v.version for v in m.latest_versions],
        })
    versions = [
        {"name": v.name, "version": v.version, "run_id": v.run_id, "source": v.source}
        for v in client.search_model_versions()
    ]
    return {"registered_models": models, "model_versions": versions}


def split_top_level(body):
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


CONSTRAINT_START = ("CONSTRAINT ", "CHECK ", "CHECK(", "FOREIGN KEY", "PRIMARY KEY", "UNIQUE ")


def normalise_sql(sql):
    """Whitespace-normalised DDL. In CREATE TABLE, table constraints are sorted: MLflow's own
    migrations emit them (and indexes) in an order that depends on PYTHONHASHSEED, so two
    databases created by MLflow 3.18 itself differ there. Columns keep their order."""
    sql = re.sub(r"\s+", " ", sql).strip()
    m = re.match(r"^(CREATE TABLE [^(]*?)\s*\((.*)\)$", sql)
    if not m:
        return sql
    parts = split_top_level(m.group(2))
    columns = [p for p in parts if not p.upper().startswith(CONSTRAINT_START)]
    constraints = sorted(p for p in parts if p.upper().startswith(CONSTRAINT_START))
    return m.group(1) + " (" + ", ".join(columns + constraints) + ")"


def schema(path):
    con = sqlite3.connect(path)
    rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    # Order-insensitive for the same reason as above; every object must still match exactly.
    norm = sorted([t, n, tb, normalise_sql(s) if s else None] for t, n, tb, s in rows)
    out = {
        "master": norm,
        "alembic": con.execute("SELECT version_num FROM alembic_version").fetchall(),
        "workspaces": con.execute("SELECT * FROM workspaces").fetchall(),
        "default_experiment": con.execute(
            "SELECT experiment_id, name, lifecycle_stage, workspace FROM experiments "
            "WHERE experiment_id = 0").fetchall(),
    }
    con.close()
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "read":
        print(json.dumps(dump_store(sys.argv[2], sys.argv[3]), sort_keys=True))
    elif cmd == "write":
        write_store(sys.argv[2])
    elif cmd == "write-all":
        write_store(sys.argv[2], with_registry=True)
    elif cmd == "read-all":
        out = dump_store(sys.argv[2], sys.argv[3])
        out.update(dump_registry(sys.argv[2]))
        print(json.dumps(out, sort_keys=True))
    elif cmd == "schema":
        print(json.dumps(schema(sys.argv[2]), sort_keys=True))
    elif cmd == "create":
        # A database exactly as MLflow 3.18 creates it.
        from mlflow import MlflowClient
        MlflowClient("sqlite:///" + sys.argv[2]).get_experiment("0")
        print("{}")
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
