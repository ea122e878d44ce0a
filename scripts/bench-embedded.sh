#!/usr/bin/env bash
# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#
# `make bench-embedded`: the embedded SQLite store against Python's mlflow.MlflowClient on the
# same kind of file, and against raw SQLite (the floor). See bench/README.md, section
# bench-embedded.
#   bench-embedded.sh BUILD_DIR
# 1. ingest: keys x steps metric points through log_batch, one call (= one transaction) per
#    BATCH points, into fresh files: mlflow-cpp, raw sqlite3 C API, Python (the first
#    PY_POINTS points only: Python is slow). Points are step-major by default (each batch is
#    one step of every key, as a training loop logs them).
# 2. search: RUNS runs (metric acc, param lr) created by mlflow-cpp in one file; search_runs
#    'metrics.acc > 0.5' order by 'metrics.acc DESC', max_results 1000, first page and all
#    pages, several repetitions, median, mlflow-cpp and Python on that same file; the run ids
#    must agree.
# Env (defaults give the documented workload; smaller values make a quick run):
#   BENCH_EMB_KEYS=1000 BENCH_EMB_STEPS=1000 BENCH_EMB_BATCH=1000 BENCH_EMB_ORDER=step|key
#   BENCH_EMB_PY_POINTS=50000 BENCH_EMB_RUNS=10000 BENCH_EMB_REPS=5 BENCH_EMB_PY_REPS=3
# Takes about 10 minutes with the defaults on a 2-core VM (mostly the 1,000,000-point ingests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:?usage: bench-embedded.sh BUILD_DIR}"
bin="$build/bench/bench_embedded"
if [ ! -x "$bin" ]; then
  echo "bench-embedded: $bin not found; build the bench_embedded target first" >&2
  exit 1
fi
keys="${BENCH_EMB_KEYS:-1000}"
steps="${BENCH_EMB_STEPS:-1000}"
batch="${BENCH_EMB_BATCH:-1000}"
py_points="${BENCH_EMB_PY_POINTS:-50000}"
runs="${BENCH_EMB_RUNS:-10000}"
reps="${BENCH_EMB_REPS:-5}"
py_reps="${BENCH_EMB_PY_REPS:-3}"
order="${BENCH_EMB_ORDER:-step}"

py=$("$here/mlflow-venv.sh")
# Under TMPDIR (the disk the figures in bench/README.md were taken on, not a tmpfs, unless
# TMPDIR says otherwise).
dir=$(mktemp -d "${TMPDIR:-/tmp}/mlflow-bench-embedded.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
pybench="$root/bench/python/bench_embedded.py"
ingest_args=(--keys "$keys" --steps "$steps" --batch "$batch" --order "$order")
# Python's MLflow logs its schema creation and migrations at INFO; they are not results.
export MLFLOW_LOGGING_LEVEL=WARNING PYTHONWARNINGS=ignore

# One program at a time, so none competes with another for the cores or the disk.
echo "== ingest: mlflow-cpp MlflowClient::log_batch"
"$bin" ingest-cpp "$dir/cpp.db" "${ingest_args[@]}" --prefix "$py_points" | tee "$dir/out"
echo "== ingest: raw SQLite C API (the floor)"
"$bin" ingest-raw "$dir/raw.db" "${ingest_args[@]}" --prefix "$py_points" | tee -a "$dir/out"
echo "== ingest: Python mlflow $("$py" -c 'import mlflow; print(mlflow.__version__)')" \
  "MlflowClient.log_batch ($py_points of the $((keys * steps)) points)"
"$py" "$pybench" ingest "$dir/py.db" "${ingest_args[@]}" --points "$py_points" |
  tee -a "$dir/out"
rm -f "$dir"/cpp.db* "$dir"/raw.db* "$dir"/py.db*

echo "== search: $runs runs created through mlflow-cpp"
"$bin" search-setup "$dir/search.db" --runs "$runs" | tee -a "$dir/out"
exp=$(sed -n 's/^BENCH_JSON .*"mode":"search-setup".*"experiment_id":"\([^"]*\)".*/\1/p' "$dir/out")
echo "== search: mlflow-cpp search_runs"
"$bin" search "$dir/search.db" "$exp" "$dir/ids-cpp" --reps "$reps" | tee -a "$dir/out"
echo "== search: Python MlflowClient.search_runs on the same file"
"$py" "$pybench" search "$dir/search.db" "$exp" "$dir/ids-py" --reps "$py_reps" | tee -a "$dir/out"

same_first=false same_all=false
cmp -s "$dir/ids-cpp.first" "$dir/ids-py.first" && same_first=true
cmp -s "$dir/ids-cpp.all" "$dir/ids-py.all" && same_all=true

echo
echo "== results (wall time of the timed calls only; setup and one warm-up call excluded)"
PYTHONPATH="$here" "$py" - "$dir/out" "$same_first" "$same_all" "$order" "$py_points" <<'PY'
import sys
from bench_report import print_header, print_rows, read_rows, stop_unless, verdict

rows = read_rows(sys.argv[1:2], key=lambda r: (r["mode"], r.get("client")))
same_first, same_all = sys.argv[2] == "true", sys.argv[3] == "true"
order, prefix = sys.argv[4], int(sys.argv[5])


def ingest_line(left, r):
    # Python logs only the prefix, so its overall rate is its prefix rate.
    pre = r.get("prefix_points_per_s", r["points_per_s"])
    return (f"{left} {r['points']:>8} {r['transactions']:>5} {r['wall_s']:>8.2f} "
            f"{r['points_per_s']:>9.0f} {pre:>17.0f} {r['journal_mode']:>7} {verdict(r):>8}")


print_header(f"{'ingest (' + order + '-major)':<30} {'points':>8} {'txns':>5} {'wall s':>8} "
             f"{'points/s':>9} {'first ' + str(prefix) + ' pts/s':>17} {'journal':>7} "
             f"{'verified':>8}")
labels = [("ingest-cpp", "mlflow-cpp log_batch"), ("ingest-raw", "raw sqlite3 C API (floor)"),
          ("ingest-python", "Python MlflowClient.log_batch")]
ok = print_rows(rows, [(f"{label:<30}", (mode, None)) for mode, label in labels], ingest_line)
for mode, label in labels[:2]:
    r = rows.get((mode, None))
    if r and r.get("tenths_points_per_s"):
        print(f"  {label}: points/s by tenth of the run: "
              + ", ".join(f"{x:.0f}" for x in r["tenths_points_per_s"]))
print()

setup = rows.get(("search-setup", None))
if setup:
    print(f"search file: {setup['runs']} runs created through mlflow-cpp in {setup['wall_s']:.1f} s")
print_header(f"{'search_runs (median)':<34} {'first page s':>12} {'runs':>5} "
             f"{'all pages s':>12} {'runs':>5} {'data':>5}")
ok &= print_rows(
    rows, [(f"{label:<34}", ("search", client))
           for client, label in (("cpp", "mlflow-cpp"), ("python", "Python MlflowClient"))],
    lambda left, r: (f"{left} {r['first_median_s']:>12.4f} {r['first_runs']:>5} "
                     f"{r['all_median_s']:>12.4f} {r['all_runs']:>5} "
                     f"{'OK' if r['data_ok'] else 'BAD':>5}"),
    verified="data_ok")
print(f"same run ids in the same order: first page {'yes' if same_first else 'NO'}, "
      f"all pages {'yes' if same_all else 'NO'}")
ok &= same_first and same_all

cpp, raw, pyi = (rows.get((m, None)) for m in ("ingest-cpp", "ingest-raw", "ingest-python"))
sc, sp = rows.get(("search", "cpp")), rows.get(("search", "python"))
if sc and sp:
    print(f"search python/cpp: first page x{sp['first_median_s'] / sc['first_median_s']:.2f}, "
          f"all pages x{sp['all_median_s'] / sc['all_median_s']:.2f}")
print()
stop_unless(ok, "bench-embedded", "a part is missing, did not verify, or the run ids differ")
# Python logs only the first `prefix` points; it is compared with mlflow-cpp's rate over those
# same points (same table size), not with its whole-run rate, which a bigger table lowers.
print(f"RATIO ingest_python_over_cpp {cpp['prefix_points_per_s'] / pyi['points_per_s']:.2f}")
print(f"RATIO ingest_fraction_of_raw_sqlite {cpp['points_per_s'] / raw['points_per_s']:.2f}")
# The headline search figure is all pages: the whole 'metrics.acc > 0.5' result set.
print(f"RATIO search_python_over_cpp {sp['all_median_s'] / sc['all_median_s']:.2f}")
PY
