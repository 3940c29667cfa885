"""The app's autosave cannot lose someone else's save made while it runs: the check is made at the
moment of replacing the file, so a save that landed during the merge is noticed, with a banner."""

from __future__ import annotations

import shutil
from pathlib import Path

from pilot_steps import wait_until
from textual.widgets import TextArea

from eqia.files import store
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"


async def test_a_save_landing_while_autosave_runs_shows_the_banner_and_loses_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, path)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    theirs = path.read_text(encoding="utf-8").replace('directorate = "People"', 'directorate = "Adults"')
    real_dumps = store.dumps
    landed = []

    def slow_merge(*args, **kwargs):
        """While the autosave merges, a colleague's save lands (once)."""
        text = real_dumps(*args, **kwargs)
        if not landed:
            path.write_text(theirs, encoding="utf-8")
            landed.append(True)
        return text

    monkeypatch.setattr(store, "dumps", slow_merge)
    app = EqiaApp(path)
    async with app.run_test(size=(100, 32)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen))
        screen = app.screen
        screen.show_page("analysis")
        assert await wait_until(
            pilot, lambda: screen.current == "analysis" and screen.query("TextArea.answer")
        )
        area = screen.query_one("TextArea.answer", TextArea)
        area.focus()
        await pilot.press(*" Mine")
        banner = screen.query_one("#banner")
        assert await wait_until(pilot, lambda: "Someone else saved this file" in str(banner.content), 10)
        assert landed and path.read_text(encoding="utf-8") == theirs  # their save stands
        assert screen.session.dirty and "Mine" in area.text  # and my typing is kept
