#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Prompts linked to experiments, the Python side of prompt_experiment_link_test.cpp.

  prompt_experiment_link.py URI PREFIX EXP1 EXP2 EXP3 [URI PREFIX EXP1 EXP2 EXP3 ...]

For each store: registers PREFIX-py inside experiment EXP1, loads it from the registry inside
EXP2, then loads it again from the cache inside EXP3 (a cache hit links nothing), as the C++
test does with PREFIX-cpp. Prints, per URI, the `_mlflow_experiment_ids` tag of both prompts as
Python reads it and the names search_prompts finds for each experiment.
"""
import json
import logging
import sys
import threading
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402


def join_link_threads():
    for t in threading.enumerate():
        if t.name.startswith("link_prompt_to_experiment_thread"):
            t.join(timeout=30)


def run(uri, prefix, exp1, exp2, exp3):
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    name = prefix + "-py"
    mlflow.set_experiment(experiment_id=exp1)
    mlflow.genai.register_prompt(name=name, template="Hi {{ who }}", commit_message="v1")
    join_link_threads()
    mlflow.set_experiment(experiment_id=exp2)
    mlflow.genai.load_prompt(name, version=1)  # from the registry, then cached
    join_link_threads()
    mlflow.set_experiment(experiment_id=exp3)
    mlflow.genai.load_prompt(name, version=1)  # from the cache
    join_link_threads()
    client = MlflowClient()
    return {
        "tags": {p: client.get_prompt(prefix + "-" + p).tags.get("_mlflow_experiment_ids")
                 for p in ("py", "cpp")},
        "search": {
            exp: sorted(p.name for p in client.search_prompts(
                filter_string=f"experiment_id = '{exp}' AND name LIKE '{prefix}-%'"))
            for exp in (exp1, exp2, exp3)
        },
    }


def main():
    args = sys.argv[1:]
    json.dump({args[i]: run(*args[i:i + 5]) for i in range(0, len(args), 5)}, sys.stdout)


if __name__ == "__main__":
    main()
