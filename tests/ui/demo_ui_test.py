# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""The demo's run in the real MLflow 3.18 UI, in a real browser (headless Chromium).

usage: demo_ui_test.py TRAIN_DEMO SCREENSHOT_DIR

Runs the training demo (what `make demo` runs) in a fresh directory with an empty
environment, serves the SQLite file it wrote with the pinned `mlflow server`
(scripts/test-server.sh), and checks what the UI renders, as a user would see it:
  1. the experiment's side bar (GenAI view) offers "Training runs";
  2. the training runs list shows the run, with the model version in its Models column;
  3. the run is not listed among the evaluation runs;
  4. the same Models column in the "Model training" view;
  5. the experiment's Models tab lists the logged model, READY, registered as version 1;
  6. the experiment's Prompts tab lists the demo's prompt;
  7. the model version page names its source model and shows the signature as its schema.
Every page is waited for (its content polled, bounded), and a screenshot of each is kept in
SCREENSHOT_DIR (listed at the end). Exit status 0 only when every check passed.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser, BrowserError, find_chromium  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A page gets PAGE_TIMEOUT_S to show everything, and is reloaded once after RELOAD_AFTER_S (a
# request the busy server answered late, a render that missed it). Generous: on a loaded
# machine (load average 40) a cold load of the UI's 10 MB bundle took over 60 s, and a reload
# at that point starts it again.
PAGE_TIMEOUT_S = 180
RELOAD_AFTER_S = 120

# What each check reads from the DOM: a JS expression returning a JSON value, evaluated in
# the page until `ok(value)` holds.
JS_LINK = """(() => {{
  const a = Array.from(document.querySelectorAll('a{attrs}'))
      .find(a => (a.getAttribute('href') || '').split('?')[0] === {href});
  return a ? a.innerText.replace(/\\s+/g, ' ').trim() : null;
}})()"""
JS_CELL = """(() => {{
  const cell = document.querySelector({selector});
  return cell ? cell.innerText.replace(/\\s+/g, ' ').trim() : null;
}})()"""
JS_TEXT = "document.body ? document.body.innerText : ''"
JS_SCHEMA_ROWS = """(() => {
  for (const row of document.querySelectorAll('[role=row]')) {
    if (/^(Inputs|Outputs) \\(\\d+\\)$/.test(row.innerText.trim()) &&
        !row.dataset.uiTestOpened) {
      row.dataset.uiTestOpened = '1';
      const icon = row.querySelector('svg');
      if (icon) icon.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }
  }
  return Array.from(document.querySelectorAll('[role=row]'))
      .map(r => r.innerText.replace(/\\s+/g, ' ').trim());
})()"""


def js_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def link(href, attrs=""):
    """The text of the first link to `href` (its query string ignored)."""
    return JS_LINK.format(href=js_quote(href), attrs=attrs)


def cell(row, col):
    """The text of a table cell: ag-grid's row id (a run or model id) and column id."""
    return JS_CELL.format(selector=js_quote(f'.ag-row[row-id="{row}"] [col-id="{col}"]'))


def short(value):
    text = repr(value)
    return text if len(text) <= 100 else text[:100] + "...'"


class Failure(Exception):
    pass


def run_demo(demo, workdir):
    out = subprocess.run(
        [demo], cwd=workdir, env={"HOME": workdir}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=300,
    )
    if out.returncode != 0:
        raise Failure(f"the demo failed (exit {out.returncode}):\n{out.stdout}")
    found = {}
    for key, pattern in (("experiment_id", r"\(id (\d+)\)"),
                         ("run_id", r"\n  run +([0-9a-f]{32})\n")):
        match = re.search(pattern, out.stdout)
        if not match:
            raise Failure(f"the demo's output names no {key}:\n{out.stdout}")
        found[key] = match.group(1)
    # Without a logged model the model checks below fail, each saying what the page lacks.
    match = re.search(r"\n  logged model +models:/(m-[0-9a-f]{32}) ", out.stdout)
    found["model_id"] = match.group(1) if match else "(the demo logged no model)"
    return found


def check_page(browser, base, name, route, checks, shots, seen=None):
    """Loads base/#route and polls every check (description, js, ok) until all hold. Returns
    [] or [what the page never showed]; the values last read go into `seen` when given."""
    url = f"{base}/#{route}"
    values = {}

    def load():
        try:
            browser.navigate(url)
        except BrowserError as e:  # a renderer still busy with the last page: poll anyway
            print(f"  {name}: navigation not confirmed ({e})", flush=True)

    load()
    start = time.monotonic()
    reloaded = False
    while True:
        try:
            values = {desc: browser.evaluate(js) for desc, js, _ in checks}
        except BrowserError as e:  # a renderer busy past the command's timeout: poll again
            values = {desc: f"(no answer: {e})" for desc, _, _ in checks}
        failing = [desc for desc, _, ok in checks if not ok(values[desc])]
        waited = time.monotonic() - start
        if not failing or waited > PAGE_TIMEOUT_S:
            break
        if not reloaded and waited > RELOAD_AFTER_S:
            print(f"  {name}: reloading after {waited:.0f} s, still waiting for: "
                  f"{', '.join(failing)}", flush=True)
            load()
            reloaded = True
        time.sleep(0.5)
    if seen is not None:
        seen.update(values)
    shot = os.path.join(shots, f"{name}.png")
    try:
        browser.screenshot(shot)
        print(f"  screenshot {shot}", flush=True)
    except BrowserError as e:  # the checks decide; a missing picture is reported, not fatal
        print(f"  no screenshot of {name}: {e}", flush=True)
    if failing:
        try:
            text = browser.evaluate(JS_TEXT)
        except BrowserError as e:
            text = f"(no answer: {e})"
        error = (f"page '{name}' ({url}) never showed: {'; '.join(failing)}\n"
                 f"  values read: { {d: short(v) for d, v in values.items()} }\n"
                 f"  page text: {text[:2000]!r}")
        print(f"FAIL {error}", flush=True)
        return [error]
    print(f"ok {name}: " + "; ".join(f"{d} = {short(values[d])}" for d, _, _ in checks),
          flush=True)
    return []


def main():
    demo, shots = sys.argv[1], sys.argv[2]
    print(f"browser: {find_chromium()}", flush=True)  # no browser: fail now, loudly
    started = time.monotonic()
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
    workdir = tempfile.mkdtemp(prefix="mlflow-cpp-ui-demo-")
    server_dir = os.path.join(workdir, "server")
    ids = run_demo(demo, workdir)
    print(f"demo: experiment {ids['experiment_id']}, run {ids['run_id']}, "
          f"model {ids['model_id']}", flush=True)
    env = dict(os.environ,
               MLFLOW_TEST_SERVER_BACKEND_URI=f"sqlite:///{workdir}/mlflow.db",
               MLFLOW_TEST_SERVER_WORKERS="1")
    subprocess.run([os.path.join(ROOT, "scripts", "test-server.sh"), "start", server_dir],
                   env=env, check=True, timeout=900)
    browser = None
    errors = []
    try:
        with open(os.path.join(server_dir, "uri")) as f:
            base = f.read().strip()
        browser = Browser()
        exp, run, model = ids["experiment_id"], ids["run_id"], ids["model_id"]
        models_cell = ("Models column", cell(run, "attributes.`Models`"),
                       lambda v: v == "two-moons-mlp v1")
        run_name = ("run row", link(f"#/experiments/{exp}/runs/{run}"),
                    lambda v: v == "two-moons-mlp")
        errors += check_page(browser, base, "1-experiment-genai", f"/experiments/{exp}?workflowType=genai", [
            ("side bar 'Training runs'", link(f"#/experiments/{exp}/runs"),
             lambda v: v == "Training runs"),
        ], shots)
        errors += check_page(browser, base, "2-training-runs",
                   f"/experiments/{exp}/runs?workflowType=genai", [run_name, models_cell], shots)
        errors += check_page(browser, base, "3-evaluation-runs",
                   f"/experiments/{exp}/evaluation-runs?workflowType=genai", [
            # The empty state shows only once the search came back with no evaluation run.
            ("no evaluation runs", JS_TEXT,
             lambda v: "Create evaluation datasets" in v and "two-moons-mlp" not in v),
        ], shots)
        errors += check_page(browser, base, "4-runs-model-training",
                   f"/experiments/{exp}/runs?workflowType=machine_learning",
                   [run_name, models_cell], shots)
        errors += check_page(browser, base, "5-models-tab",
                   f"/experiments/{exp}/models?workflowType=machine_learning", [
            ("tab 'Models'", link(f"#/experiments/{exp}/models"),
             lambda v: v == "Models"),
            ("model name", link(f"#/experiments/{exp}/models/{model}"),
             lambda v: v == "two-moons-mlp"),
            ("logged from", cell(model, "source"), lambda v: v == "train_demo"),
            ("model status", cell(model, "status"), lambda v: v == "Ready"),
            ("source run", cell(model, "source_run_id"), lambda v: v == "two-moons-mlp"),
            ("registered models", cell(model, "registered_models"),
             lambda v: v == "two-moons-mlp v1"),
        ], shots)
        errors += check_page(browser, base, "6-prompts-tab", f"/experiments/{exp}/prompts", [
            ("prompt", link(f"#/experiments/{exp}/prompts/two-moons-mlp-explainer"),
             lambda v: v == "two-moons-mlp-explainer"),
        ], shots)
        errors += check_page(browser, base, "7-model-version", "/models/two-moons-mlp/versions/1", [
            ("source model", link(f"#/experiments/{exp}/models/{model}",
                                  '[data-testid="source-model-link"]'),
             lambda v: v == "two-moons-mlp"),
            ("source run", link(f"#/experiments/{exp}/runs/{run}"),
             lambda v: v == "two-moons-mlp"),
            ("schema", JS_SCHEMA_ROWS, lambda v: v is not None and all(r in v for r in [
                "Inputs (2)", "x0 (required) double", "x1 (required) double", "Outputs (1)",
                "probability (required) double"])),
        ], shots)
    finally:
        if browser:
            browser.close()
        subprocess.run([os.path.join(ROOT, "scripts", "test-server.sh"), "stop", server_dir],
                       check=False)
    print(f"screenshots in {shots}: {', '.join(sorted(os.listdir(shots)))}")
    print(f"the UI test took {time.monotonic() - started:.1f} s")
    if errors:
        raise Failure(f"{len(errors)} of 7 pages did not show what they should:\n"
                      + "\n".join(errors))


if __name__ == "__main__":
    try:
        main()
    except (Failure, BrowserError, subprocess.SubprocessError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
