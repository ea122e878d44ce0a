#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-tracing`: (a) ns per span start+end on the caller's thread (nested, with
# attributes), mlflow-cpp (BUILD_DIR/bench/bench_tracing) vs Python's mlflow.start_span and
# @mlflow.trace (bench/python/bench_tracing.py); (b) spans/s exported into a fresh MLflow 3.18
# server vs that server's ceiling (the exporter's own request bodies replayed raw); (c) the
# exporter's memory under a stalled server; (d) OTLP protobuf vs JSON encoding of the same
# spans. Prints a table and the RATIO lines. See bench/README.md.
#   bench-tracing.sh BUILD_DIR
# Env: BENCH_TRACING_CPP_ARGS  e.g. "--iterations 20000 --traces 100 --cycles 3
#                              --stall-traces 150000" (the defaults)
#      BENCH_TRACING_PY_ARGS   e.g. "--iterations 3000" (the default)
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-tracing "${1:-}"

bench_run_split bench_tracing.py BENCH_TRACING_CPP_ARGS BENCH_TRACING_PY_ARGS "--iterations 3000"

echo "== results"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import read_rows, stop_unless

rows = read_rows(sys.argv[1:], key=lambda r: (r["client"], r["variant"], r.get("encoding"),
                                            r.get("traces_per_request")))
rows = {k if k[2] is not None else k[:2]: v for k, v in rows.items()}
cpp, e2e, stalled = rows.get(("cpp", "span")), rows.get(("cpp", "export")), \
    rows.get(("cpp", "stalled"))
py_span, py_dec = rows.get(("python", "start_span")), rows.get(("python", "trace_decorator"))
stop_unless(cpp and e2e and stalled and py_span and py_dec, "bench-tracing", "a result is missing")
print(f"{'(a) span start+end, caller thread':<40} {'spans':>8} {'median ns':>10} {'p99 ns':>10}")
for name, r in [("mlflow-cpp mlflow::start_span", cpp), ("python mlflow.start_span", py_span),
                ("python @mlflow.trace", py_dec)]:
    print(f"{name:<40} {r['spans']:>8} {r['median_ns']:>10.0f} {r['p99_ns']:>10.0f}")
print()
print(f"{'(b) export into the server (median cycle)':<40} {'traces':>8} {'spans/s':>10}")
print(f"{'mlflow-cpp exporter (record + drain)':<40} {e2e['traces'] // 2:>8} "
      f"{e2e['sdk_spans_per_s']:>10.0f}")
print(f"{'ceiling (raw replay, same requests)':<40} {e2e['traces'] // 2:>8} "
      f"{e2e['ceiling_spans_per_s']:>10.0f}")
print(f"fraction per cycle: {', '.join(f'{f:.3f}' for f in e2e['fractions'])}")
print()
print(f"{'(d) OTLP encoding of the same spans':<40} {'per req':>8} {'ns/span':>10} {'bytes/span':>10}")
for per in (1, 20):
    for enc in ("protobuf", "json"):
        r = rows.get(("cpp", "encoding", enc, per))
        stop_unless(r, "bench-tracing", "an encoding result is missing")
        print(f"{enc:<40} {str(per) + ' tr':>8} {r['ns_per_span']:>10.0f} "
              f"{r['bytes_per_span']:>10.0f}")
print()
print(f"(c) stalled server: {stalled['traces']} traces recorded, queue peak "
      f"{stalled['peak_queue_mb']:.1f} MB (bound {stalled['bound_mb']:.0f} MB), "
      f"{stalled['dropped']} dropped and reported, peak RSS growth {stalled['rss_growth_mb']:.1f} MB")
print()
stop_unless(e2e["verified"], "bench-tracing", "traces did not all arrive")
# The Python figure is the faster of its two APIs, so the ratio is not flattered.
py_best = min(py_span["median_ns"], py_dec["median_ns"])
print(f"RATIO span_overhead_python_over_cpp {py_best / max(cpp['median_ns'], 1):.1f}")
print(f"RATIO trace_export_ceiling_fraction {e2e['fraction']:.3f}")
PY
