# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""Python side of `make bench-tracing`: nanoseconds per span start+end on the caller's thread,
a root span with one nested child, each given an attribute (the root also inputs and outputs),
as bench/bench_tracing.cpp records them; once with mlflow.start_span and once with
@mlflow.trace-decorated functions. Each root+child pair is timed on its own and halved. The
traces go to the server's exporter as in any program (its queue drops what it cannot hold).

usage: bench_tracing.py TRACKING_URI [--iterations N]

Prints human lines and BENCH_JSON lines. Leaves with os._exit, skipping the exit flush of the
queued traces (not part of the measurement).
"""

import argparse
import json
import logging
import os
import sys
import time

import mlflow  # imported before any clock starts
from bench_common import CLOCK, percentile, timer_overhead_ns


def report(variant, ns):
    median, p99 = percentile(ns, 0.5), percentile(ns, 0.99)
    print(f"span start+end (python {variant}, nested, attributes): {2 * len(ns)} spans, "
          f"median {median:.0f} ns, p99 {p99:.0f} ns per span")
    print("BENCH_JSON " + json.dumps({"client": "python", "variant": variant,
                                      "spans": 2 * len(ns), "median_ns": median, "p99_ns": p99}))
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("uri")
    ap.add_argument("--iterations", type=int, default=3000)
    args = ap.parse_args()
    logging.getLogger("mlflow").setLevel(logging.ERROR)  # the full queue's warnings

    mlflow.set_tracking_uri(args.uri)
    mlflow.set_experiment(f"bench-tracing-python-{int(time.time())}")
    clock = CLOCK
    overhead = timer_overhead_ns()

    def with_start_span(i):
        with mlflow.start_span("request", span_type="CHAIN") as root:
            root.set_inputs({"i": i})
            root.set_attribute("iteration", i)
            with mlflow.start_span("model", span_type="LLM") as child:
                child.set_attribute("index", i)
            root.set_outputs({"ok": True})

    @mlflow.trace(name="model", span_type="LLM")
    def model(i):
        mlflow.get_current_active_span().set_attribute("index", i)

    @mlflow.trace(name="request", span_type="CHAIN")
    def request(i):
        mlflow.get_current_active_span().set_attribute("iteration", i)
        model(i)
        return {"ok": True}

    for variant, fn in (("start_span", with_start_span), ("trace_decorator", request)):
        fn(0)  # warm-up
        mlflow.flush_trace_async_logging()
        ns = []
        for i in range(args.iterations):
            t0 = clock()
            fn(i)
            t1 = clock()
            ns.append((t1 - t0 - overhead) / 2)
        report(variant, ns)
    os._exit(0)


if __name__ == "__main__":
    main()
