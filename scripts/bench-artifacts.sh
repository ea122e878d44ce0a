#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-artifacts`: moves the same files through one fresh MLflow 3.18 server (default
# --serve-artifacts, proxied artifact API) with mlflow-cpp (BUILD_DIR/bench/bench_artifacts)
# and with Python's mlflow.MlflowClient (bench/python/bench_artifacts.py): one large file up
# and down, and a tree of small files up. Each side runs BENCH_ARTIFACTS_ROUNDS times,
# interleaved (C++, Python, C++, ...), because the server's one busy core sets the pace and a
# single run's figure is noise; prints the median of each side's rounds and the RATIO lines
# (python median wall time / mlflow-cpp median wall time). See bench/README.md.
#   bench-artifacts.sh BUILD_DIR
# Env: BENCH_ARTIFACTS_LARGE_MB  size of the large file (default 1024)
#      BENCH_ARTIFACTS_SMALL     number of small files (default 10000)
#      BENCH_ARTIFACTS_ROUNDS    rounds per side (default 3)
#      MLFLOW_TEST_SERVER_WORKERS  server workers (test-server.sh's default when unset).
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(cd "$(dirname "$0")" && pwd)/bench-lib.sh"
bench_setup bench-artifacts "${1:-}"
large_mb="${BENCH_ARTIFACTS_LARGE_MB:-1024}"
small_n="${BENCH_ARTIFACTS_SMALL:-10000}"
rounds="${BENCH_ARTIFACTS_ROUNDS:-3}"

# The data: incompressible bytes (no transfer layer can shortcut them), and small files of
# 100..1100 bytes in 100 directories.
echo "== generating ${large_mb} MiB and ${small_n} small files under $dir"
head -c "$((large_mb * 1024 * 1024))" /dev/urandom >"$dir/large.bin"
"$py" - "$dir/small" "$small_n" <<'PY'
import os, random, sys
base, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
for i in range(n):
    d = os.path.join(base, f"d{i % 100:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}.txt"), "wb") as f:
        f.write(rng.randbytes(100 + i % 1000))
PY
mkdir -p "$dir/work"

bench_start_server

bench_run_rounds "$rounds" bench_artifacts.py "$dir/large.bin" "$dir/small" "$dir/work"

echo "== results, median of $rounds rounds per side (wall = the transfer call only; cpu =" \
  "user+sys of the client process)"
bench_report "$dir/cpp.out" "$dir/python.out" <<'PY'
import sys
from bench_report import median_row, print_header, print_rows, read_row_lists, stop_unless, verdict

rows = {k: median_row(v, ("wall_s", "cpu_s")) for k, v in read_row_lists(sys.argv[1:]).items()}
variants = [("large_upload", "large_file_upload"), ("large_download", "large_file_download"),
            ("small_upload", "small_files_upload")]


def row_line(left, r):
    mib = r["bytes"] / 1048576
    return (f"{left} {r['files']:>6} {mib:>8.1f} {r['wall_s']:>8.2f} {mib / r['wall_s']:>8.1f} "
            f"{r['files'] / r['wall_s']:>8.1f} {r['cpu_s']:>7.2f} {verdict(r):>9}   "
            + " ".join(f"{w:.2f}" for w in r["wall_s_all"]))


print_header(f"{'variant':<16} {'client':<7} {'files':>6} {'MiB':>8} {'wall s':>8} {'MiB/s':>8} "
             f"{'files/s':>8} {'cpu s':>7} {'verified':>9}   wall s of each round")
ok = print_rows(rows, [(f"{v:<16} {c:<7}", (v, c)) for v, _ in variants for c in ("cpp", "python")],
                row_line)
print()
stop_unless(ok, "bench-artifacts")
for v, name in variants:
    a, b = rows[(v, "cpp")], rows[(v, "python")]
    print(f"RATIO {name}_python_over_cpp {b['wall_s'] / a['wall_s']:.2f}")
PY
