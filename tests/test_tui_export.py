"""Export from the app: one palette entry opens a dialog where the formats are ticked and the folder
given (exports/ beside the file unless changed); the dialog's answer says where the files went."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_steps import handled, settle, wait_until
from textual.command import CommandPalette
from textual.widgets import Input, SelectionList

from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import MessageDialog
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.screens.export_dialog import ExportDialog

ROOT = Path(__file__).resolve().parents[1]
BIRMINGHAM = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
SIZE = (80, 24)
STEM = "EA002326-adult-social-care-commissioning-strategy"


@pytest.fixture(autouse=True)
def state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app is started from another folder than the assessment's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")


def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    return Path(shutil.copy(BIRMINGHAM, folder / "ea.toml"))


async def open_export(pilot) -> ExportDialog:
    """ctrl+p, "Export", Enter: the dialog is on top."""
    app = pilot.app
    assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
    await settle(pilot)
    await pilot.press("ctrl+p")
    assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*"Export")
    palette = app.screen
    assert await wait_until(
        pilot, lambda: palette.query("CommandList") and palette.query_one("CommandList").option_count
    )
    await pilot.press("enter")
    assert await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
    await settle(pilot)
    return app.screen


async def test_export_writes_the_ticked_formats_beside_the_file_and_says_where(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(pilot)
        formats = dialog.query_one(SelectionList)
        assert formats.has_focus
        assert list(formats.selected) == ["txt", "md", "html", "docx", "pdf"], "all ticked at first"
        folder = dialog.query_one(Input)
        assert folder.value == str(tmp_path / "team" / "exports"), "exports/ beside the file"
        assert "Word (.docx)" in str(formats.render_line(3).text)
        # untick Markdown, Word and PDF by keyboard
        await pilot.press("down", "space", "down", "down", "space", "down", "space")
        assert await handled(pilot, lambda: list(formats.selected) == ["txt", "html"])
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog), timeout=20)
        said = app.screen
        assert said.dialog_title == "Exported"
        assert str(tmp_path / "team" / "exports") in said.message
        assert f"{STEM}.txt" in said.message and f"{STEM}.html" in said.message
    written = sorted(p.name for p in (tmp_path / "team" / "exports").iterdir())
    assert written == [f"{STEM}.html", f"{STEM}.txt"]
    assert "Adult Social Care" in (tmp_path / "team" / "exports" / f"{STEM}.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "elsewhere" / "exports").exists(), "not in the folder eqia was started from"


async def test_a_folder_typed_is_made_and_a_relative_one_is_beside_the_file(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(pilot)
        folder = dialog.query_one(Input)
        folder.focus()
        folder.value = ""
        await pilot.press(*"reports/2026", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog), timeout=30)
        assert "5 files written to " + str(tmp_path / "team" / "reports" / "2026") in app.screen.message
    written = sorted(p.suffix for p in (tmp_path / "team" / "reports" / "2026").iterdir())
    assert written == [".docx", ".html", ".md", ".pdf", ".txt"]


async def test_nothing_ticked_or_no_folder_says_so_and_escape_writes_nothing(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(pilot)
        dialog.query_one(SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        assert await handled(
            pilot, lambda: "Tick at least one format" in str(dialog.query_one("#export-error").render())
        )
        assert app.screen is dialog
        dialog.query_one(SelectionList).select_all()
        dialog.query_one(Input).value = "  "
        await pilot.press("ctrl+s")
        assert await handled(
            pilot, lambda: "Give a folder" in str(dialog.query_one("#export-error").render())
        )
        await pilot.press("escape")
        assert await handled(pilot, lambda: isinstance(app.screen, EditorScreen))
        await settle(pilot)
    assert not (tmp_path / "team" / "exports").exists()
