"""The layers point one way (the contracts in pyproject.toml, checked with import-linter), the headless
layers never load Textual, and every import deferred into a function says why."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eqia"

HEADLESS = [
    "eqia.document.model",
    "eqia.document.form",
    "eqia.document.outline",
    "eqia.document.dates",
    "eqia.document.actions",
    "eqia.files.store",
    "eqia.files.opening",
    "eqia.quality.checks",
    "eqia.quality.review",
    "eqia.report.tree",
    "eqia.report.progress",
    "eqia.report.render_text",
    "eqia.report.render_md",
    "eqia.report.render_html",
    "eqia.report.render_terminal",
    "eqia.report.render_docx",
    "eqia.report.render_pdf",
    "eqia.report.site_pages",
    "eqia.usecases.session",
    "eqia.usecases.export",
    "eqia.usecases.site",
    "eqia.usecases.pages",
    "eqia.usecases.portfolio",
    "eqia.usecases.tracking",
    "eqia.usecases.history",
    "eqia.files.git",
    "eqia.files.settings",
    "eqia.cli",
]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with root's pyproject.toml, importing the eqia package found under root."""
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def test_the_layers_hold() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.lower().replace("0 broken", "")


LAYERS = "Each layer imports only the layers below it"


@pytest.mark.parametrize(
    ("module", "imports", "contract"),
    [
        ("document/model.py", "import eqia.files.store", LAYERS),
        ("files/store.py", "import eqia.quality.checks", LAYERS),
        ("report/tree.py", "import eqia.quality.checks", LAYERS),
        ("quality/checks/base.py", "import eqia.usecases.session", LAYERS),
        ("usecases/export.py", "import eqia.cli", LAYERS),
        ("document/outline.py", "import tomllib", "The document layer opens no files and parses no TOML"),
        ("usecases/pages.py", "import textual", "Only the app loads Textual"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_fails(
    tmp_path: Path, module: str, imports: str, contract: str
) -> None:
    """The contracts have teeth: one upward import in a copy of the package breaks the check."""
    shutil.copytree(PACKAGE, tmp_path / "eqia", ignore=shutil.ignore_patterns("fonts", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "eqia" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{imports}  # upward\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{contract} BROKEN" in done.stdout


@pytest.mark.parametrize("module", HEADLESS)
def test_module_does_not_load_the_ui(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'eqia.tui')))\n"
        "print(bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"{module} loads {done.stdout.strip()}"


def _deferred_imports(path: Path) -> list[int]:
    """Lines of imports made inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [s.lineno for s in ast.walk(node) if isinstance(s, (ast.Import, ast.ImportFrom))]
    return sorted(set(found))


def test_every_deferred_import_says_why() -> None:
    """An import inside a function (to keep `eqia --help` and the app's start fast) carries a comment on
    its line or the line above, or its module says once, in a `# Deferred imports:` comment, why."""
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "# Deferred imports:" in text:
            continue
        lines = text.splitlines()
        for number in _deferred_imports(path):
            here, above = lines[number - 1], lines[number - 2].strip() if number > 1 else ""
            if "#" not in here and not above.startswith("#"):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {here.strip()}")
    assert not unexplained, "deferred imports without a reason:\n" + "\n".join(unexplained)
