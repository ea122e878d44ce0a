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
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ui_pages import (  # noqa: E402
    JS_TEXT, Failure, check_page, finish, js_quote, run_program, run_test, served, start,
)

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


def link(href, attrs=""):
    """The text of the first link to `href` (its query string ignored)."""
    return JS_LINK.format(href=js_quote(href), attrs=attrs)


def cell(row, col):
    """The text of a table cell: ag-grid's row id (a run or model id) and column id."""
    return JS_CELL.format(selector=js_quote(f'.ag-row[row-id="{row}"] [col-id="{col}"]'))


def run_demo(demo, workdir):
    output = run_program([demo], workdir, "the demo")
    found = {}
    for key, pattern in (("experiment_id", r"\(id (\d+)\)"),
                         ("run_id", r"\n  run +([0-9a-f]{32})\n")):
        match = re.search(pattern, output)
        if not match:
            raise Failure(f"the demo's output names no {key}:\n{output}")
        found[key] = match.group(1)
    # Without a logged model the model checks below fail, each saying what the page lacks.
    match = re.search(r"\n  logged model +models:/(m-[0-9a-f]{32}) ", output)
    found["model_id"] = match.group(1) if match else "(the demo logged no model)"
    return found


def main():
    demo, shots = sys.argv[1], sys.argv[2]
    workdir, started = start(shots, "mlflow-cpp-ui-demo-")
    ids = run_demo(demo, workdir)
    print(f"demo: experiment {ids['experiment_id']}, run {ids['run_id']}, "
          f"model {ids['model_id']}", flush=True)
    errors = []
    with served(workdir) as (base, browser):
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
    finish(shots, started, errors, "of 7 pages did not show what they should")


if __name__ == "__main__":
    run_test(main)
