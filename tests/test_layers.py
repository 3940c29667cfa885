"""The layers point one way: the pure and file layers never load Textual or eqia.tui."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "eqia.model",
    "eqia.forms",
    "eqia.outline",
    "eqia.store",
    "eqia.checks",
    "eqia.report",
    "eqia.pages",
    "eqia.session",
    "eqia.export",
    "eqia.render_text",
    "eqia.render_md",
    "eqia.render_html",
    "eqia.render_terminal",
    "eqia.render_docx",
    "eqia.render_pdf",
    "eqia.review",
    "eqia.portfolio",
    "eqia.tracking",
    "eqia.progress",
    "eqia.cli",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_module_does_not_load_the_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'eqia.tui')))\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"{module} loads {done.stdout.strip()}"
