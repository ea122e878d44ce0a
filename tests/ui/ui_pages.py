# Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
"""What the UI tests of tests/ui share: a test's fresh directory, the pinned `mlflow server`
serving the SQLite file in it (scripts/test-server.sh) with a headless Chromium (cdp.py) to
look at it, pages polled until their checks hold (with a screenshot of each), and the final
report. Standard library only."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

from cdp import Browser, BrowserError, find_chromium

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# A page gets PAGE_TIMEOUT_S to show everything, and is reloaded once after RELOAD_AFTER_S (a
# request the busy server answered late, a render that missed it). Generous: on a loaded
# machine (load average 40) a cold load of the UI's 10 MB bundle took over 60 s, and a reload
# at that point starts it again.
PAGE_TIMEOUT_S = 180
RELOAD_AFTER_S = 120

JS_TEXT = "document.body ? document.body.innerText : ''"


def js_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def short(value):
    text = repr(value)
    return text if len(text) <= 100 else text[:100] + "...'"


class Failure(Exception):
    pass


def start(shots, prefix):
    """Checks for the browser first (none: fail now, loudly), empties SCREENSHOT_DIR and makes
    the test's directory. Returns (workdir, start time)."""
    print(f"browser: {find_chromium()}", flush=True)
    started = time.monotonic()
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
    return tempfile.mkdtemp(prefix=prefix), started


def run_program(command, workdir, what):
    """Runs a program in `workdir` as on a fresh machine (nothing but HOME in its environment,
    so its default store is workdir/mlflow.db). Returns its output; fails when it fails."""
    out = subprocess.run(command, cwd=workdir, env={"HOME": workdir}, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300)
    if out.returncode != 0:
        raise Failure(f"{what} failed (exit {out.returncode}):\n{out.stdout}")
    return out.stdout


@contextmanager
def served(workdir):
    """The pinned `mlflow server` on workdir/mlflow.db and a browser: yields (base URL,
    browser); both are gone afterwards."""
    server_dir = os.path.join(workdir, "server")
    env = dict(os.environ, MLFLOW_TEST_SERVER_BACKEND_URI=f"sqlite:///{workdir}/mlflow.db",
               MLFLOW_TEST_SERVER_WORKERS="1")
    subprocess.run([os.path.join(ROOT, "scripts", "test-server.sh"), "start", server_dir],
                   env=env, check=True, timeout=900)
    browser = None
    try:
        with open(os.path.join(server_dir, "uri")) as f:
            base = f.read().strip()
        browser = Browser()
        yield base, browser
    finally:
        if browser:
            browser.close()
        subprocess.run([os.path.join(ROOT, "scripts", "test-server.sh"), "stop", server_dir],
                       check=False)


def finish(shots, started, errors, what):
    """Lists the screenshots and the time taken; raises Failure naming every failed check."""
    print(f"screenshots in {shots}: {', '.join(sorted(os.listdir(shots)))}")
    print(f"the UI test took {time.monotonic() - started:.1f} s")
    if errors:
        raise Failure(f"{len(errors)} {what}:\n" + "\n".join(errors))


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


def run_test(main):
    """Runs a UI test's main: exit status 1 with the reason on any failure."""
    try:
        main()
    except (Failure, BrowserError, subprocess.SubprocessError, ValueError) as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
