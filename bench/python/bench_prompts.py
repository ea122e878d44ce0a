#!/usr/bin/env python3
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-prompts`: the same workload as bench/bench_prompts.cpp with
mlflow.genai.load_prompt (MLflow 3.18): N loads by alias with the prompt cache (default TTL)
and N with cache_ttl_seconds=0.

    bench_prompts.py TRACKING_URI [--calls N] [--uncached-calls N]
"""
import argparse
import json
import os
import resource
import time
import warnings

warnings.filterwarnings("ignore")

import mlflow  # noqa: E402

TEMPLATE = ("You are a helpful assistant for {{ owner }}. Answer the question about {{ topic }} "
            "in at most {{ n }} sentences.")


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def run_variant(uri, variant, calls, cached):
    kwargs = {} if cached else {"cache_ttl_seconds": 0}
    verified = mlflow.genai.load_prompt(uri, **kwargs).template == TEMPLATE
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    version_sum = 0
    for _ in range(calls):
        version_sum += mlflow.genai.load_prompt(uri, **kwargs).version
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    verified = verified and version_sum == calls
    print(f"python {variant:<8} {calls} calls in {wall:.3f} s: {calls / wall:.0f} calls/s, "
          f"client CPU {cpu:.3f} s{'' if verified else ' (NOT VERIFIED)'}")
    print("BENCH_JSON " + json.dumps({
        "client": "python", "variant": variant, "calls": calls, "wall_s": wall,
        "calls_per_s": calls / wall, "cpu_s": cpu, "verified": verified}), flush=True)
    return verified


def main():
    p = argparse.ArgumentParser()
    p.add_argument("uri")
    p.add_argument("--calls", type=int, default=10000)
    p.add_argument("--uncached-calls", type=int, default=None)
    a = p.parse_args()
    mlflow.set_tracking_uri(a.uri)
    mlflow.set_registry_uri(a.uri)
    name = f"bench-prompt-python-{os.getpid()}"
    mlflow.genai.register_prompt(name=name, template=TEMPLATE, commit_message="bench")
    mlflow.genai.set_prompt_alias(name, alias="prod", version=1)
    uri = f"prompts:/{name}@prod"
    ok = run_variant(uri, "cached", a.calls, True)
    ok = run_variant(uri, "uncached", a.uncached_calls or a.calls, False) and ok
    mlflow.MlflowClient().delete_prompt(name)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
