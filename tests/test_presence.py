"""In use by someone else: the app marks an assessment it opens (`.~lock.NAME.toml#`), a second person
is told who has it and opens it read-only or as a copy, a stale mark is offered for taking over, and
the mark goes when the app quits. Other commands and git never see it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from pilot_steps import wait_until

from eqia.cli import main
from eqia.files import presence
from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import ChoiceDialog
from eqia.tui.screens.editor import EditorScreen

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
SIZE = (100, 30)


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = tmp_path / "lib.toml"
    shutil.copyfile(LIBRARY, path)
    return path


def lock_of(path: Path) -> Path:
    return path.with_name(f".~lock.{path.name}#")


async def test_a_second_opener_is_told_who_and_reads_it_read_only(library: Path) -> None:
    first = EqiaApp(library, me="Jo Bloggs")
    async with first.run_test(size=SIZE) as one:
        assert await wait_until(one, lambda: isinstance(first.screen, EditorScreen), timeout=10)
        holder = json.loads(lock_of(library).read_text(encoding="utf-8"))
        assert holder["name"] == "Jo Bloggs" and holder["host"] == socket.gethostname()
        second = EqiaApp(library, me="Sam Lee")
        async with second.run_test(size=SIZE) as two:
            assert await wait_until(two, lambda: isinstance(second.screen, ChoiceDialog), timeout=10)
            dialog = second.screen
            assert dialog.dialog_title == "In use"
            since = dt.datetime.fromisoformat(holder["since"]).strftime("%H:%M")
            assert f"lib.toml is open by Jo Bloggs on {socket.gethostname()} since {since}." in dialog.message
            assert "#choice-take" not in [f"#{b.id}" for b in dialog.query("Button")]  # they are still in it
            await two.click("#choice-read")
            assert await wait_until(two, lambda: isinstance(second.screen, EditorScreen), timeout=10)
            assert second.screen.session.read_only
        assert json.loads(lock_of(library).read_text(encoding="utf-8"))["name"] == "Jo Bloggs"
    assert not lock_of(library).exists(), "quitting takes the mark away"


async def test_a_stale_mark_is_offered_for_taking_over(library: Path) -> None:
    gone = {"name": "Jo Bloggs", "host": socket.gethostname(), "pid": 2**22 + 12345, "token": "old"}
    gone["since"] = (dt.datetime.now() - dt.timedelta(hours=1)).replace(microsecond=0).isoformat()
    lock_of(library).write_text(json.dumps(gone), encoding="utf-8")
    app = EqiaApp(library, me="Sam Lee")
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), timeout=10)
        assert "That opening looks over" in app.screen.message
        await pilot.press("down", "down")  # read-only, a copy, take it over: arrows move as Tab does
        assert app.screen.focused is not None and app.screen.focused.id == "choice-take"
        await pilot.press("up", "down", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
        assert not app.screen.session.read_only
        assert json.loads(lock_of(library).read_text(encoding="utf-8"))["name"] == "Sam Lee"
    assert not lock_of(library).exists()


async def test_a_copy_to_work_on(library: Path) -> None:
    theirs, _ = presence.claim(library, "Jo Bloggs")
    assert theirs is not None
    app = EqiaApp(library, me="Sam Lee")
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), timeout=10)
        await pilot.click("#choice-copy")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
        session = app.screen.session
        assert session.path.name.startswith("lib.copy-") and not session.read_only
        assert session.path.read_bytes() == library.read_bytes()
    assert presence.holder_of(library) == theirs, "their mark is untouched"


def test_a_mark_is_stale_when_its_process_is_gone_or_it_is_old() -> None:
    now = dt.datetime(2026, 12, 3, 10, 42)
    here = socket.gethostname()
    live = presence.Holder("Jo", here, __import__("os").getpid(), now.isoformat(), "t")
    assert not live.stale(now) and live.describe(now=now) == f"open by Jo on {here} since 10:42"
    old = presence.Holder("Jo", "PC-123", 1, (now - dt.timedelta(hours=13)).isoformat(), "t")
    assert old.stale(now) and old.describe(now=now) == "open by Jo on PC-123 since 02/12/2026 21:42"


def test_marks_are_not_assessments_to_other_commands(library: Path) -> None:
    presence.claim(library, "Jo Bloggs")
    result = CliRunner().invoke(main, ["list", str(library.parent), "--json"])
    assert result.exit_code == 0, result.output
    assert [Path(row["file"]).name for row in json.loads(result.stdout)] == ["lib.toml"]
