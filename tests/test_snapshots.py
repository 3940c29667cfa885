"""Snapshots of the app at 80x24: the start screen, the relevance test, one characteristic page, and a
Yes/No question in the dark and light themes and with NO_COLOR.

Refresh them after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the SVGs under tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from pilot_steps import settle, wait_until
from textual.widgets import Input, TextArea

from eqia.tui.app import EqiaApp

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
SAVED_AT = 1_700_000_000  # 14/11/2023 22:13 UTC: a fixed "last saved" time


@pytest.fixture(autouse=True)
def fixed_clock_and_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield
    time.tzset()


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "assessments"
    folder.mkdir()
    target = folder / "EA002326-adult-social-care-commissioning.toml"
    shutil.copy(EXAMPLE, target)
    os.utime(target, (SAVED_AT, SAVED_AT))
    return target


async def _steady(pilot) -> None:
    """Every worker done (the page mounted, the folder listed) and the focus placed, then no blinking
    cursors, so the picture is the same each run."""
    await settle(pilot)
    assert await wait_until(pilot, lambda: pilot.app.focused is not None)
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await settle(pilot)


def test_start_screen(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _copy(tmp_path)
    monkeypatch.chdir(tmp_path)  # the screen names the folder: keep it the same every run
    assert snap_compare(EqiaApp(None, folder=Path("assessments")), terminal_size=(80, 24), run_before=_steady)


def test_relevance_test_page(snap_compare, tmp_path: Path) -> None:
    path = _copy(tmp_path)

    async def go(pilot) -> None:
        pilot.app.screen.show_page("relevance")
        await _steady(pilot)

    assert snap_compare(EqiaApp(path), terminal_size=(80, 24), run_before=go)


def test_characteristic_page(snap_compare, tmp_path: Path) -> None:
    path = _copy(tmp_path)

    async def go(pilot) -> None:
        pilot.app.screen.show_page("consultation:disability")
        await _steady(pilot)

    assert snap_compare(EqiaApp(path), terminal_size=(80, 24), run_before=go)


def _yes_no_question(theme: str):
    """The Birmingham consultation page for Age: "Yes" chosen, its follow-up under it, in a theme."""

    async def go(pilot) -> None:
        pilot.app.theme = theme
        pilot.app.screen.show_page("consultation:age")
        await _steady(pilot)

    return go


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_yes_no_question_in_each_theme(snap_compare, tmp_path: Path, theme: str) -> None:
    path = _copy(tmp_path)
    assert snap_compare(EqiaApp(path), terminal_size=(80, 24), run_before=_yes_no_question(theme))


def test_yes_no_question_with_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    path = _copy(tmp_path)
    app = EqiaApp(path)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=_yes_no_question("textual-dark"))
