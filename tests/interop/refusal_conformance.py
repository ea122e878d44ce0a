#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Runs every case of refusal_cases.json (gen_refusal_cases.py) through Python MLflow's
MlflowClient (and its fluent functions) on each store URI given, and prints
{"<uri>": {"<case id>": {"outcome": ..., "state": ...}}} with the same normalisation as
refusal_conformance_test.cpp: names without their per-case prefix, timestamps left out.

Usage: refusal_conformance.py CASES_JSON TOKEN URI [URI...]   (the pinned venv's python)
"""
import json
import logging
import os
import sys
import threading
import warnings

os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

import mlflow  # noqa: E402
import mlflow.genai  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities.model_registry import ModelVersion, Prompt, PromptVersion  # noqa: E402
from mlflow.entities.model_registry import RegisteredModel  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.store.entities.paged_list import PagedList  # noqa: E402

IS_PROMPT = "mlflow.prompt.is_prompt"
WORLD_NAMES = ["M", "P", "D", "Q"]
SHARED_WORLD = ["M", "P3", "D", "Q"]


def join_link_threads():
    # register_prompt/load_prompt tag the prompt with the active experiment in a thread.
    for t in threading.enumerate():
        if t.name.startswith("link_prompt_to_experiment_thread"):
            t.join(timeout=30)


def build_world(c, names, parts):
    if "M" in parts:
        m = names["M"]
        c.create_registered_model(m, tags={"t": "1"}, description="d")
        c.create_model_version(m, "s3://b/1", description="v1", tags={"vt": "1"})
        c.create_model_version(m, "s3://b/2")
        c.create_model_version(m, "s3://b/3")
        c.delete_model_version(m, "3")
        c.transition_model_version_stage(m, "2", "Staging")
        c.set_registered_model_alias(m, "champ", "1")
    if "P" in parts or "P3" in parts:
        p = names["P"]
        c.register_prompt(p, "hello {{x}}", commit_message="c1", tags={"team": "a"})
        c.register_prompt(p, "bye {{x}}", commit_message="c2")
        if "P3" in parts:
            c.register_prompt(p, "gone", commit_message="c3")
            c.delete_prompt_version(p, 3)
        c.set_prompt_alias(p, "prod", 1)
    if "D" in parts:
        c.create_registered_model(names["D"])
        c.delete_registered_model(names["D"])
    if "Q" in parts:
        c.register_prompt(names["Q"], "q {{x}}")
        join_link_threads()
        c.delete_prompt(names["Q"])
    join_link_threads()


def describe(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, PagedList):
        return {"items": [describe(v) for v in value], "more": bool(value.token)}
    if isinstance(value, list):
        return [describe(v) for v in value]
    if isinstance(value, PromptVersion):
        return {
            "kind": "prompt_version", "name": value.name, "version": int(value.version),
            "template": value.template, "commit_message": value.commit_message,
            "tags": dict(value.tags), "aliases": sorted(value.aliases),
            "model_config": value.model_config, "response_format": value.response_format,
        }
    if isinstance(value, ModelVersion):
        return {
            "kind": "model_version", "name": value.name, "version": str(value.version),
            "stage": value.current_stage, "description": value.description,
            "source": value.source, "run_id": value.run_id or "", "status": value.status,
            "tags": dict(value.tags), "aliases": sorted(value.aliases),
        }
    if isinstance(value, RegisteredModel):
        return {
            "kind": "registered_model", "name": value.name, "description": value.description,
            "tags": {k: v for k, v in value._tags.items() if k != IS_PROMPT},
            "aliases": {k: str(v) for k, v in value.aliases.items()},
            "latest": sorted(f"{mv.current_stage}:{mv.version}" for mv in value.latest_versions),
        }
    if isinstance(value, Prompt):
        return {"kind": "prompt", "name": value.name, "description": value.description,
                "tags": dict(value.tags)}
    return {"kind": "python:" + type(value).__name__}


def read_state(store, name):
    """The raw stored state of one name, through the store (no client-side checks)."""
    out = {}
    try:
        rm = store.get_registered_model(name)
        out["model"] = {"description": rm.description, "tags": dict(rm._tags),
                        "aliases": {k: str(v) for k, v in rm.aliases.items()}}
    except MlflowException as e:
        out["model"] = e.error_code
    for v in range(1, 5):
        try:
            mv = store.get_model_version(name, str(v))
            out[str(v)] = {"stage": mv.current_stage, "description": mv.description,
                           "source": mv.source, "run_id": mv.run_id or "",
                           "tags": dict(mv.tags), "aliases": sorted(mv.aliases)}
        except MlflowException as e:
            out[str(v)] = e.error_code
    return out


def call(c, op, a):
    g = mlflow.genai
    if op.startswith("fluent."):
        fop = op[len("fluent."):]
        if fop in ("register_prompt", "load_prompt", "search_prompts", "set_prompt_alias",
                   "delete_prompt_alias"):
            if fop == "load_prompt":
                a.setdefault("cache_ttl_seconds", 0)
            return getattr(g, fop)(**a)
        return getattr(mlflow, fop)(**a)
    if op == "register_model":
        return mlflow.register_model(**a)
    if op in ("set_prompt_model_config", "delete_prompt_model_config"):
        return getattr(g, op)(**a)
    if op == "load_prompt":
        a.setdefault("cache_ttl_seconds", 0)
    return getattr(c, op)(**a)


def substitute(value, names):
    if isinstance(value, str):
        for key, name in names.items():
            value = value.replace("{" + key + "}", name)
        return value
    if isinstance(value, list):
        return [substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, names) for k, v in value.items()}
    return value


def normalise(value, replacements):
    if isinstance(value, str):
        for raw, placeholder in replacements:
            value = value.replace(raw, placeholder)
        return value
    if isinstance(value, list):
        return [normalise(v, replacements) for v in value]
    if isinstance(value, dict):
        return {normalise(k, replacements): normalise(v, replacements) for k, v in value.items()}
    return value


def run_store(uri, cases, token):
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    c = MlflowClient(uri, uri)
    store = c._get_registry_client().store
    run_id = c.create_run("0").info.run_id

    def names_for(prefix):
        names = {k: f"{prefix}{k}" for k in WORLD_NAMES + ["X", "N"]}
        names["RUN"] = run_id
        return names

    built = {}
    results = {}
    for case in cases:
        world_id = case["world_id"]
        prefix = f"rf{token}{world_id}_"
        names = names_for(prefix)
        if world_id not in built:
            build_world(c, names, SHARED_WORLD if world_id == "shared" else case["world"])
            built[world_id] = True
        args = substitute(case["args"], names)
        used = json.dumps(case["args"])
        state_keys = [k for k in WORLD_NAMES + ["X", "N"]
                      if k in {p[0] for p in case["world"]} or "{" + k + "}" in used]
        entry = {}
        if case.get("server_rule"):
            entry["state_before"] = {k: read_state(store, names[k]) for k in state_keys}
        try:
            outcome = {"result": describe(call(c, case["op"], args))}
        except MlflowException as e:
            # The REST store puts "<CODE>: " before the server's message; the SQL store does not.
            message = e.message
            if message.startswith(f"{e.error_code}: "):
                message = message[len(e.error_code) + 2:]
            outcome = {"error": e.error_code, "message": message}
        except Exception as e:  # a Python failure that is not MLflow's is recorded as such
            outcome = {"error": "python:" + type(e).__name__, "message": str(e)}
        join_link_threads()
        entry["outcome"] = outcome
        if world_id != "shared":
            entry["state"] = {k: read_state(store, names[k]) for k in state_keys}
        replacements = [(run_id, "{RUN}")] + [(prefix + k, k) for k in WORLD_NAMES + ["X", "N"]]
        results[case["id"]] = normalise(entry, replacements)
    return results


def main():
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    token = sys.argv[2]
    out = {uri: run_store(uri, cases, token) for uri in sys.argv[3:]}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=None)


if __name__ == "__main__":
    main()
