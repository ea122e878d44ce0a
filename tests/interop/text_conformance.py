# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python's side of the text conformance table (tests/interop/data/text_cases.json).

Runs every case through Python MLflow 3.18's MlflowClient on a fresh SQL store file and on the
server, reads back what Python stored and what mlflow-cpp stored (the locations its test
recorded), and scans every text cell of the SQLite files (mlflow-cpp's, Python's, the server's)
for invalid UTF-8. Prints one JSON document; text_conformance_test.cpp compares.

usage: text_conformance.py CASES CPP_RESULTS CPP_DB PY_DB SERVER_URI SERVER_DB
Python's own side runs at once; the reading of mlflow-cpp's data waits until CPP_RESULTS
exists (the C++ test runs its side meanwhile and renames the file into place when done).
"""
import concurrent.futures
import json
import os
import logging
import secrets
import sqlite3
import sys
import time

from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag
from mlflow.exceptions import MlflowException

logging.disable(logging.WARNING)  # truncation warnings would flood stderr
T0 = 1718000000000


class Unholdable(Exception):
    """A case whose text is not valid UTF-8: Python cannot hold it."""


def text(spec):
    if isinstance(spec, str):
        return spec
    if "hex" in spec:
        raise Unholdable()
    return spec["pre"] + spec["rep"] * spec["n"] + spec["post"]


def pairs(items):
    return {text(k): text(v) for k, v in items}


def prefixed(args, prefix, field="name"):
    return text(args[field]) if args.get("noprefix") else prefix + text(args[field])


def run_case(c, case, prefix, exp_id, source_run):
    """Runs one case through Python; returns (ok, code, loc). loc names what to read back."""
    call, a = case["call"], case["args"]
    loc = {}
    try:
        if call in ("log_metric", "log_param", "set_tag", "log_batch", "update_run", "log_inputs"):
            loc["run_id"] = c.create_run(exp_id, start_time=T0, run_name="r").info.run_id
        if call in ("set_experiment_tag", "rename_experiment"):
            loc["experiment_id"] = c.create_experiment(prefix + "e")
        if call in ("set_registered_model_tag", "create_model_version", "set_model_version_tag",
                    "set_registered_model_alias"):
            loc["model"] = prefix + "m"
            c.create_registered_model(loc["model"])
        if call in ("set_model_version_tag", "set_registered_model_alias"):
            c.create_model_version(loc["model"], source_run.info.artifact_uri + "/model",
                                   run_id=source_run.info.run_id)
        if call in ("set_logged_model_tags", "log_model_params"):
            loc["model_id"] = c.create_logged_model(exp_id).model_id
        try:
            call_one(c, call, a, loc, prefix, exp_id, source_run)
        except Unholdable:
            return False, "UNHOLDABLE", loc
        return True, "", loc
    except MlflowException as e:
        return False, e.error_code, loc


def call_one(c, call, a, loc, prefix, exp_id, source_run):
    """The case's call itself, after its set-up; fills `loc` with what it creates."""
    run_id = loc.get("run_id")
    if call == "log_metric":
        c.log_metric(run_id, text(a["key"]), 1.0, timestamp=T0, step=0)
    elif call == "log_param":
        c.log_param(run_id, text(a["key"]), text(a["value"]))
    elif call == "set_tag":
        c.set_tag(run_id, text(a["key"]), text(a["value"]))
    elif call == "log_batch":
        c.log_batch(run_id,
                    metrics=[Metric(text(k), 1.0, T0, 0) for k in a.get("metrics", [])],
                    params=[Param(text(k), text(v)) for k, v in a.get("params", [])],
                    tags=[RunTag(text(k), text(v)) for k, v in a.get("tags", [])])
    elif call == "create_run":
        loc["run_id"] = c.create_run(
            exp_id, start_time=T0,
            run_name=text(a["run_name"]) if "run_name" in a else "r",
            tags=pairs(a.get("tags", []))).info.run_id
    elif call == "update_run":
        c.update_run(run_id, name=text(a["name"]))
    elif call == "log_inputs":
        d = {k: text(v) for k, v in a["dataset"].items()}
        c.log_inputs(run_id, [DatasetInput(
            Dataset(d["name"], d["digest"], d["source_type"], d["source"], d.get("schema"),
                    d.get("profile")),
            [InputTag(text(k), text(v)) for k, v in a["tags"]])])
    elif call == "create_experiment":
        loc["name"] = prefixed(a, prefix)
        loc["experiment_id"] = c.create_experiment(loc["name"], tags=pairs(a.get("tags", [])))
    elif call == "set_experiment_tag":
        c.set_experiment_tag(loc["experiment_id"], text(a["key"]), text(a["value"]))
    elif call == "rename_experiment":
        c.rename_experiment(loc["experiment_id"], prefixed(a, prefix))
    elif call == "create_registered_model":
        loc["model"] = prefixed(a, prefix)
        c.create_registered_model(loc["model"], tags=pairs(a.get("tags", [])),
                                  description=text(a["description"]) if "description" in a
                                  else None)
    elif call == "set_registered_model_tag":
        c.set_registered_model_tag(loc["model"], text(a["key"]), text(a["value"]))
    elif call == "create_model_version":
        c.create_model_version(loc["model"], source_run.info.artifact_uri + "/model",
                               run_id=source_run.info.run_id, tags=pairs(a.get("tags", [])),
                               description=text(a["description"]) if "description" in a
                               else None)
    elif call == "set_model_version_tag":
        c.set_model_version_tag(loc["model"], "1", text(a["key"]), text(a["value"]))
    elif call == "set_registered_model_alias":
        c.set_registered_model_alias(loc["model"], text(a["alias"]), "1")
    elif call == "create_logged_model":
        loc["model_id"] = c.create_logged_model(
            exp_id, name=text(a["name"]), tags=pairs(a.get("tags", [])),
            params=pairs(a.get("params", []))).model_id
    elif call == "set_logged_model_tags":
        c.set_logged_model_tags(loc["model_id"], pairs(a["tags"]))
    elif call == "log_model_params":
        c.log_model_params(loc["model_id"], pairs(a["params"]))
    elif call == "register_prompt":
        loc["prompt"] = prefixed(a, prefix)
        c.register_prompt(loc["prompt"], text(a["template"]),
                          commit_message=text(a["commit_message"]) if "commit_message" in a
                          else None, tags=pairs(a.get("tags", [])))
    else:
        raise ValueError("unknown call " + call)


def strip(name, prefix):
    return name[len(prefix):] if name and prefix and name.startswith(prefix) else name


def read_back(c, call, loc, prefix):
    """What the store holds for a case, as Python reads it (None: nothing was created)."""
    if not loc:
        return None
    if "run_id" in loc:
        r = c.get_run(loc["run_id"])
        return {
            "run_name": r.info.run_name,
            "metrics": list(r.data.metrics.items()),
            "params": list(r.data.params.items()),
            "tags": list(r.data.tags.items()),
            "inputs": [{"dataset": [di.dataset.name, di.dataset.digest, di.dataset.source_type,
                                    di.dataset.source, di.dataset.schema, di.dataset.profile],
                        "tags": [[t.key, t.value] for t in di.tags]}
                       for di in r.inputs.dataset_inputs],
        }
    if "experiment_id" in loc:
        e = c.get_experiment(loc["experiment_id"])
        return {"name": strip(e.name, prefix), "tags": sorted(e.tags.items())}
    if "name" in loc:  # a refused create_experiment: it must not exist
        try:
            return None if c.get_experiment_by_name(loc["name"]) is None else "created"
        except MlflowException:  # a name the server refuses to look up
            return None
    if "model" in loc:
        try:
            m = c.get_registered_model(loc["model"])
        except MlflowException:
            return None
        versions = []
        if c.search_model_versions(f"name = '{loc['model']}'"):
            v = c.get_model_version(loc["model"], "1")
            versions.append({"description": v.description, "tags": sorted(v.tags.items())})
        return {"name": strip(m.name, prefix), "description": m.description,
                "tags": sorted(m.tags.items()), "aliases": sorted(m.aliases.items()),
                "versions": versions}
    if "model_id" in loc:
        m = c.get_logged_model(loc["model_id"])
        return {"name": m.name if call == "create_logged_model" else None,  # else a random one
                "tags": sorted(m.tags.items()), "params": sorted(m.params.items())}
    if "prompt" in loc:
        if c.get_prompt(loc["prompt"]) is None:
            return None
        p = c.get_prompt_version(loc["prompt"], 1)
        return {"template": p.template, "commit_message": p.commit_message,
                "tags": sorted(p.tags.items())}
    raise ValueError(f"cannot read {loc}")


def run_all(client, cases, label):
    run_prefix = "t" + secrets.token_hex(4)[:7]
    exp_id = client.create_experiment(run_prefix + "-text-runs")
    source_run = client.create_run(exp_id, start_time=T0, run_name="source")
    out = {}
    started = time.monotonic()
    for i, case in enumerate(cases):
        prefix = f"{run_prefix}{i:04d}"  # 12 characters, unique per case and execution
        ok, code, loc = run_case(client, case, prefix, exp_id, source_run)
        out[case["id"]] = {"ok": ok, "code": code,
                           "stored": read_back(client, case["call"], loc, prefix)}
        if os.environ.get("TEXT_CONFORMANCE_TIMES"):
            print(f"{label} {case['id']} {time.monotonic() - started:.2f}", file=sys.stderr)
    return out


def invalid_utf8_cells(path):
    """'table.column' of every text cell of the file that does not decode as UTF-8."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.text_factory = bytes
    bad = []
    tables = [r[0].decode() for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for t in tables:
        cur = con.execute(f'SELECT * FROM "{t}"')
        names = [d[0] for d in cur.description]
        for row in cur:
            for name, v in zip(names, row):
                if isinstance(v, bytes):
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError:
                        bad.append(f"{t}.{name}")
    con.close()
    return bad


def wait_for(path, seconds=1200):
    """mlflow-cpp's test writes its results while Python runs its own side of the table."""
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit(f"no mlflow-cpp results at {path} after {seconds} s")
        time.sleep(0.2)
    with open(path) as f:
        return json.load(f)


def one_store(job):
    """Python's run of every case on one store, then its reading of mlflow-cpp's data there."""
    store, py_uri, cpp_uri, cases, cpp_path = job
    python = run_all(MlflowClient(tracking_uri=py_uri, registry_uri=py_uri), cases, store)
    cpp = wait_for(cpp_path)
    reader = MlflowClient(tracking_uri=cpp_uri, registry_uri=cpp_uri)
    cpp_read = {}
    for case in cases:
        mine = cpp[case["id"]][store]
        try:
            cpp_read[case["id"]] = read_back(reader, case["call"], mine["loc"], mine["prefix"])
        except Exception as e:  # e.g. "Could not decode to UTF-8": a broken row, reported
            cpp_read[case["id"]] = {"unreadable_by_python": str(e)[:300]}
    return store, python, cpp_read


def main():
    cases_path, cpp_path, cpp_db, py_db, server_uri, server_db = sys.argv[1:7]
    cases = json.load(open(cases_path))
    jobs = [("sqlite", "sqlite:///" + py_db, "sqlite:///" + cpp_db, cases, cpp_path),
            ("server", server_uri, server_uri, cases, cpp_path)]
    result = {"python": {}, "cpp_read": {}}
    # The two stores are independent: one process each.
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        for store, python, cpp_read in pool.map(one_store, jobs):
            result["python"][store] = python
            result["cpp_read"][store] = cpp_read
    result["invalid_utf8"] = {"cpp_sqlite": invalid_utf8_cells(cpp_db),
                              "python_sqlite": invalid_utf8_cells(py_db),
                              "server": invalid_utf8_cells(server_db)}
    json.dump(result, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
