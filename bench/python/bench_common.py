# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""What the Python peers of the benchmarks share (bench/bench_common.hpp is the C++ side's):
percentiles, the clock's own overhead, and wall + CPU timing of one call. The scripts import it
from their own directory."""

import statistics
import time

CLOCK = time.perf_counter_ns


def percentile(values, p):
    """The value at fraction p (0..1) of the sorted values (nearest rank below)."""
    s = sorted(values)
    return s[int(p * (len(s) - 1))]


def timer_overhead_ns():
    """The median cost of an empty pair of CLOCK reads, subtracted from each timed call."""
    empty = []
    for _ in range(10000):
        t0 = CLOCK()
        t1 = CLOCK()
        empty.append(t1 - t0)
    return statistics.median(empty)


def timed(fn):
    """Runs fn and returns (wall_s, cpu_s): process CPU time, i.e. user+sys of every thread."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0
