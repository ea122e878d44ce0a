# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""What every bench report does with the BENCH_JSON lines that the C++ and Python benches
print: read them, print one table row per expected result, and refuse to print ratios when a
result is missing or did not verify (a ratio over wrong data would be a wrong figure)."""
import json
import statistics
import sys


def read_row_lists(paths, key=lambda r: (r["variant"], r["client"])):
    """Every BENCH_JSON line of the files, by key(row): a list, one row per round, in order."""
    rows = {}
    for path in paths:
        for line in open(path):
            if line.startswith("BENCH_JSON "):
                r = json.loads(line[len("BENCH_JSON "):])
                rows.setdefault(key(r), []).append(r)
    return rows


def read_rows(paths, key=lambda r: (r["variant"], r["client"])):
    """Every BENCH_JSON line of the files, by key(row); a later line replaces an earlier one."""
    return {k: rounds[-1] for k, rounds in read_row_lists(paths, key).items()}


def median_row(rounds, fields, verified="verified"):
    """One row standing for several rounds of the same variant: the median of each of fields,
    `verified` only when every round verified, `rounds` their number and `<field>_all` the
    values of every round in order."""
    r = dict(rounds[0])
    for f in fields:
        r[f] = statistics.median(x[f] for x in rounds)
        r[f + "_all"] = [x[f] for x in rounds]
    r[verified] = all(x[verified] for x in rounds)
    r["rounds"] = len(rounds)
    return r


def print_header(header):
    """The table's header line and a rule under it."""
    print(header)
    print("-" * len(header))


def print_rows(rows, expected, line, verified="verified"):
    """line(label, row) for each (label, key) in expected, or "<label> missing" where the row is
    absent. Returns whether every row is there and its `verified` field holds."""
    ok = True
    for label, key in expected:
        r = rows.get(key)
        if r is None:
            print(f"{label} missing")
            ok = False
            continue
        ok &= bool(r[verified])
        print(line(label, r))
    return ok


def verdict(row, field="verified"):
    """The table's last column: OK or FAILED."""
    return "OK" if row[field] else "FAILED"


def stop_unless(ok, bench, what="a variant is missing or did not verify"):
    """Ends the report without ratios (exit 1) when ok is false."""
    if not ok:
        print(f"{bench}: {what}; no ratio printed", file=sys.stderr)
        sys.exit(1)
