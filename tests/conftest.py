"""Shared fixtures: the worked example EA002326, a copy of it to change, the form, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from eqia.cli import main
from eqia.document.form import FormSpec
from eqia.files.forms import load_form_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
FORM_FILE = ROOT / "forms" / "birmingham-ea.toml"

RunCli = Callable[..., Result]


@pytest.fixture(autouse=True)
def no_user_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user's own settings (eqia config) stay out of every test: EQIA_CONFIG names a file that is
    not there. A test of the settings points it at a file of its own."""
    monkeypatch.setenv("EQIA_CONFIG", str(tmp_path_factory.getbasetemp() / "no-settings" / "settings.toml"))


@pytest.fixture
def example_path() -> Path:
    """The worked example as shipped (read it, never write it)."""
    return EXAMPLE


@pytest.fixture
def example_bytes() -> bytes:
    return EXAMPLE.read_bytes()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A copy of the worked example in a fresh folder, free to change."""
    target = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def form() -> FormSpec:
    return load_form_file(FORM_FILE)


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run `eqia ARGS...` in-process; the result has exit_code, stdout, stderr and output."""
    # Forms are found from the source checkout; keep a user's EQIA_FORMS out of the way.
    monkeypatch.delenv("EQIA_FORMS", raising=False)

    def run(*args: str | Path) -> Result:
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
        # A crash (not a clean exit) would otherwise hide behind exit code 1.
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(
                f"eqia {' '.join(map(str, args))} crashed with {result.exception!r}"
            ) from result.exception
        return result

    return run


LONG_FIRST = (
    "test_tui_forms.py",
    "test_tui_walkthrough.py",
    "test_tui_reach.py",
    "test_tui_review.py",
    "test_render_html.py",
    "test_tui_keystorm.py",
)
"""The test files whose tests take tens of seconds each (whole forms written through the app, a key
storm, a browser): run first, so that with `-n auto` they spread over the workers instead of
finishing alone at the end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable: the order within a file, and of the other files, is kept
