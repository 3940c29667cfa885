"""The layers point one way: the pure and file layers never load Textual or eqia.tui."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = [
    "eqia.document.model",
    "eqia.document.form",
    "eqia.document.outline",
    "eqia.files.store",
    "eqia.quality.checks",
    "eqia.report.tree",
    "eqia.usecases.pages",
    "eqia.usecases.session",
    "eqia.usecases.export",
    "eqia.report.render_text",
    "eqia.report.render_md",
    "eqia.report.render_html",
    "eqia.report.render_terminal",
    "eqia.report.render_docx",
    "eqia.report.render_pdf",
    "eqia.quality.review",
    "eqia.usecases.portfolio",
    "eqia.usecases.tracking",
    "eqia.report.progress",
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
