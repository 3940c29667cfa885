"""Headless Chromium for the tests of pages: where it is, axe-core's script, a probe that loads a page
at a given width, runs a script in it and gives back what the script reports, Playwright driving it
(where Playwright can), a folder served over HTTP as a web server would, and a page's DOM after its
scripts ran."""

from __future__ import annotations

import contextlib
import html
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROBE = "eqia-probe"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless Chromium on this machine (chromium, chromium-browser or google-chrome)")


def axe_script() -> str:
    """axe-core's script, as the axe-playwright-python package (the test extra) ships it."""
    path = os.environ.get("EQIA_AXE_JS")
    if not path:
        spec = importlib.util.find_spec("axe_playwright_python")
        if spec is None or not spec.submodule_search_locations:
            pytest.skip("axe-core is not installed: pip install -e '.[test]' brings axe-playwright-python")
        path = str(Path(next(iter(spec.submodule_search_locations))) / "axe.min.js")
    return Path(path).read_text(encoding="utf-8")


def probe(browser: str, folder: Path, name: str, page: str, script: str, width: int = 1280) -> object:
    """Load the page in an iframe `width` px wide in headless Chromium (its own window cannot be
    narrower than 500 px), run `script` there (it calls report(value)), and give back the value."""
    inner = folder / f"{name}.html"
    reporter = "<script>function report(v) { parent.postMessage(JSON.stringify(v), '*'); }</script>"
    inner.write_text(page.replace("</body>", f"{reporter}<script>{script}</script></body>"), encoding="utf-8")
    outer = folder / f"{name}-outer.html"
    outer.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{inner.name}" title="report" '
        f'style="width:{width}px;height:900px;border:0"></iframe><script>'
        "addEventListener('message', function (e) { var pre = document.createElement('pre');"
        f"pre.id = '{PROBE}'; pre.textContent = e.data; document.body.appendChild(pre); }});"
        "</script></body></html>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
         "--virtual-time-budget=30000", "--dump-dom", outer.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    found = re.search(f'<pre id="{PROBE}">(.*?)</pre>', done.stdout, re.S)
    assert found, f"Chromium gave no answer: {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


AXE_RUN = """
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  report(r.violations.map(function (v) {
    return [v.id, v.nodes.map(function (n) { return n.target.join(' '); })];
  }));
}, function (e) { report(['axe failed', String(e)]); });
"""


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """Playwright's Chromium, driven through the machine's own Chromium; None where Playwright cannot
    start it (the callers then fall back to probe and --dump-dom)."""
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        except Exception:  # a Chromium Playwright cannot drive
            yield None
            return
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """A folder served over HTTP on a free local port, as a web server would serve a site; its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(browser: str, url: str) -> str:
    """The page's DOM once its scripts have run, as headless Chromium dumps it."""
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done.stdout
