# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""A C++ trace in the real MLflow 3.18 UI, in a real browser (headless Chromium).

usage: trace_ui_test.py UI_TRACE_WRITER LLM_SERVICE SCREENSHOT_DIR

UI_TRACE_WRITER (tests/ui/ui_trace_writer.cpp) writes an LLM-service trace (AGENT root,
RETRIEVER, CHAT_MODEL with model, token usage and cost, a failed TOOL) into an embedded SQLite
file; tests/ui/python_trace_writer.py writes the same trace from Python's mlflow into the same
experiment. The pinned `mlflow server` (scripts/test-server.sh) serves the file, and the writer
records a third trace through that server (the REST/OTLP path). Then, as a user would see it:
  1. each trace page lists the four spans, in order, with the chat span's token usage and cost;
  2. the chat span's details name its model and its token count;
  3. the C++ trace's page shows exactly what the Python trace's page shows (durations and ids
     aside): what the UI shows for Python-written data it must show for ours;
  4. the experiment's trace list shows the token total of both traces;
  5. the LLM service example (examples/llm_service.cpp, run in the same directory, so into the
     same file) shows its spans, the chat model's tokens and cost, and the user's feedback (its
     screenshot is docs/images/llm-service-trace.png).
A screenshot of each page is kept in SCREENSHOT_DIR. Exit status 0 only when every check passed.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ui_pages import (  # noqa: E402
    JS_TEXT, ROOT, Failure, check_page, finish, js_quote, run_program, run_test, served, start,
)

EXPERIMENT = "traces-ui"
SPAN_NAMES = ["answer", "retrieve", "chat", "lookup_weather"]
# The span tree as rendered (durations replaced): the chat span carries tokens and cost.
EXPECTED_TREE = ["answer <t>", "retrieve <t>", "chat <t> 30 \u2248$0.0039", "lookup_weather <t>"]

JS_SPAN_TREE = """Array.from(document.querySelectorAll('[data-testid^="timeline-tree-node-"]'))
    .map(n => n.innerText.replace(/\\s+/g, ' ').trim())"""
# Selects a span in the tree (once per page load) and returns the trace drawer's text.
JS_SELECT_SPAN = """(() => {{
  const row = Array.from(document.querySelectorAll('[data-testid^="span-title-row-"]'))
      .find(r => r.innerText.trim() === {name});
  if (!row) return null;
  if (!row.dataset.uiTestClicked) {{ row.dataset.uiTestClicked = '1'; row.click(); }}
  const drawer = document.querySelector('[data-testid="trace-drawer-portal"]');
  return drawer ? drawer.innerText : null;
}})()"""
JS_TOKENS_COLUMN = """Array.from(document.querySelectorAll('[role=row], tr'))
    .map(r => r.innerText.replace(/\\s+/g, ' ').trim())
    .filter(t => t.includes('What is the capital of France?'))"""
DURATION = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:ms|s|min|h)\b")


def normalized(text, trace_id):
    """Page text without what legitimately differs between two runs: durations, the id."""
    text = DURATION.sub("<t>", text or "")
    return text.replace(trace_id[3:11], "<id>")


def span_tree(value):
    return [DURATION.sub("<t>", row) for row in (value or [])]


def write(command, workdir):
    """Runs a trace writer, which prints {"experiment_id": ..., "trace_id": ...} (Python's
    log lines around it aside)."""
    output = run_program(command, workdir, command[0])
    found = [line for line in output.splitlines() if line.startswith('{"experiment_id"')]
    if not found:
        raise Failure(f"{command[0]} named no trace:\n{output}")
    return json.loads(found[-1])


def run_example(example, workdir):
    """Runs the LLM service example in `workdir` (its ./mlflow.db is the test's file)."""
    output = run_program([example], workdir, "the LLM service example")
    experiment = re.search(r"\n  experiment +llm-service \(id (\d+)\)\n", output)
    trace = re.search(r"\n  trace +(tr-[0-9a-f]{32})\n", output)
    if not experiment or not trace:
        raise Failure(f"the LLM service example's output names no experiment or trace:\n"
                      f"{output}")
    return {"experiment_id": experiment.group(1), "trace_id": trace.group(1)}


def check_trace(browser, base, name, ids, shots, seen):
    exp, trace_id = ids["experiment_id"], ids["trace_id"]
    return check_page(browser, base, name, f"/experiments/{exp}/traces/{trace_id}", [
        ("span tree", JS_SPAN_TREE, lambda v: span_tree(v) == EXPECTED_TREE),
        ("chat span details", JS_SELECT_SPAN.format(name=js_quote("chat")),
         lambda v: v is not None and "sim-llm-1" in v and "30 tokens" in v
         and "\u2248$0.0039" in v),
    ], shots, seen)


def main():
    writer, example, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    workdir, started = start(shots, "mlflow-cpp-ui-traces-")
    db_uri = f"sqlite:///{workdir}/mlflow.db"
    cpp = write([writer, db_uri, EXPERIMENT], workdir)
    python = write([sys.executable, os.path.join(ROOT, "tests", "ui", "python_trace_writer.py"),
                    db_uri, EXPERIMENT], workdir)
    print(f"embedded file: C++ trace {cpp}, Python trace {python}", flush=True)
    if cpp["experiment_id"] != python["experiment_id"]:
        raise Failure(f"Python did not find the C++ experiment: {cpp} vs {python}")
    service = run_example(example, workdir)
    print(f"embedded file: LLM service example's first trace {service}", flush=True)
    errors = []
    with served(workdir) as (base, browser):
        via_server = write([writer, base, EXPERIMENT + "-server"], workdir)
        print(f"through the server: C++ trace {via_server}", flush=True)
        cpp_seen, python_seen = {}, {}
        errors += check_trace(browser, base, "1-cpp-trace", cpp, shots, cpp_seen)
        errors += check_trace(browser, base, "2-python-trace", python, shots, python_seen)
        errors += check_trace(browser, base, "3-cpp-trace-via-server", via_server, shots, {})
        # What the Python trace's page shows, ours shows too (the same words in the same order).
        for what in ("span tree", "chat span details"):
            ours = normalized(json.dumps(cpp_seen.get(what)), cpp["trace_id"])
            theirs = normalized(json.dumps(python_seen.get(what)), python["trace_id"])
            if ours != theirs:
                errors.append(f"the C++ trace's {what} differs from the Python trace's:\n"
                              f"  C++:    {ours}\n  Python: {theirs}")
            else:
                print(f"ok C++ and Python traces show the same {what}", flush=True)
        errors += check_page(browser, base, "4-trace-list",
                             f"/experiments/{cpp['experiment_id']}/traces", [
            ("rows with 30 tokens", JS_TOKENS_COLUMN,
             lambda v: v is not None and len(v) == 2
             and all(re.search(r"\bOK 30\b", row) for row in v)),
        ], shots)
        errors += check_page(browser, base, "5-llm-service-example",
                             f"/experiments/{service['experiment_id']}/traces/"
                             f"{service['trace_id']}", [
            ("span tree", JS_SPAN_TREE, lambda v: v is not None and len(v) == 3
             and span_tree(v)[0] == "handle_request 1 <t>"  # 1: the feedback on the trace
             and re.fullmatch(r"retrieve_context <t>", span_tree(v)[1]) is not None
             and re.fullmatch(r"chat_completion <t> \d+ \u2248\$[\d.]+", span_tree(v)[2])
             is not None),
            ("chat span details", JS_SELECT_SPAN.format(name=js_quote("chat_completion")),
             lambda v: v is not None and "sim-chat-1" in v
             and re.search(r"\b\d+ tokens\b", v) is not None),
            ("feedback", JS_TEXT, lambda v: "user_satisfaction" in (v or "")),
        ], shots)
    finish(shots, started, errors, "checks failed")


if __name__ == "__main__":
    run_test(main)
