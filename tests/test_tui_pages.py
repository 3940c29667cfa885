"""What the app's screens say in the form's own terms: section numbers from the form's outline, dates
in the form's format, the start screen's view of a folder, and each screen's palette entries."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from pilot_steps import wait_until, workers_done
from textual.command import CommandPalette
from textual.widgets import Checkbox, DataTable, Input, RadioButton, SelectionList, Static

from eqia.document import dates
from eqia.document.model import ActionItem, ProgressUpdate
from eqia.document.outline import section_label
from eqia.files import store
from eqia.files.opening import open_assessment
from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog
from eqia.tui.widgets.fields import AnswerField

ROOT = Path(__file__).resolve().parents[1]
BIRMINGHAM = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"  # dates as 31/10/26
PSED = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"  # its action plan is section 7
SIZE = (100, 30)


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def copy(source: Path, tmp_path: Path, name: str = "ea.toml") -> Path:
    target = tmp_path / name
    shutil.copy(source, target)
    return target


async def show(pilot, page_id: str):
    screen = pilot.app.screen
    screen.show_page(page_id)
    await workers_done(pilot)
    await pilot.pause()
    return screen


def notifications(app: EqiaApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_adding_an_action_names_the_forms_action_plan_section(tmp_path: Path) -> None:
    path = copy(PSED, tmp_path)
    opened = open_assessment(path)
    action_plan = section_label(opened.form, opened.assessment, kind="action_plan")
    assert action_plan.startswith("7 ")
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "characteristic_mitigation:marriage_civil_partnership")
        further = next(f for f in screen.query(AnswerField) if f.spec.key[-1] == "further_action_plan")
        further.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(further.query("RadioButton")[0])  # Yes
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.dialog_title == "Add to the action plan?"
        await pilot.click("#choice-add")
        assert await wait_until(pilot, lambda: any("added for" in m for m in notifications(app)))
        (said,) = [m for m in notifications(app) if "added for" in m]
        assert said == f"Action 3 added for Marriage and civil partnership; complete it in {action_plan}."
        assert "5 Action Plan" not in said

        await pilot.press("f1")  # the keys' help names no section by number
        assert await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog))
        keys = app.screen.message.split("Keys:")[-1]
        assert not re.search(r"\b\d+(\.\d+)* [A-Z]|[Ss]ection \d", keys), keys
    assert store.load(path).actions[2].characteristics == ["marriage_civil_partnership"]


async def test_dates_are_shown_and_read_the_forms_way(tmp_path: Path) -> None:
    path = copy(BIRMINGHAM, tmp_path)
    loaded = store.read(path)
    a = loaded.assessment.model_copy(deep=True)
    a.actions.append(
        ActionItem(
            issue="x",
            action="Leaflets",
            owner="Jo",
            characteristics=["age"],
            target_date=dt.date(2027, 6, 30),
            updates=[ProgressUpdate(date=dt.date(2026, 11, 1), evidence_of_progress="Printed", grade=2)],
        )
    )
    form = open_assessment(path).form
    store.save(a, path, form, base=loaded)
    assert form.date_format == "%d/%m/%y"  # Birmingham prints 31/10/18, not 31/10/2018
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "review_date")
        date_input = screen.query_one("Input.date", Input)
        assert date_input.value == "31/10/18"
        assert date_input.placeholder == dates.pattern(form) == "dd/mm/yy"
        date_input.value = "31/13/27"
        error = screen.query_one(".field-error", Static)
        assert await wait_until(pilot, lambda: "not a date" in str(error.content))
        assert "dd/mm/yy, for example 31/10/26" in str(error.content)
        date_input.value = "31/12/27"
        assert await wait_until(pilot, lambda: "Read as Friday 31 December 2027" in str(error.content))

        screen = await show(pilot, "action_plan")
        table = screen.query_one("#actions-table", DataTable)
        assert table.cell_text(0, "target") == "30/06/27"
        assert "01/11/26  grade 2  Printed" in str(screen.query_one(".updates", Static).content)
        target = next(f for f in screen.query(AnswerField) if f.spec.key[-1] == "target_date")
        assert target.query_one(Input).value == "30/06/27"

        table.focus()
        await pilot.press("u")
        assert await wait_until(pilot, lambda: app.screen.query("#update-date"))
        assert app.screen.query_one("#update-date", Input).value == dates.show(dt.date.today(), form)
        assert "(dd/mm/yy)" in str(app.screen.query(".question").first().content)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen is screen)
    assert "answer = 2027-12-31" in path.read_text(encoding="utf-8")  # files keep ISO dates


async def test_start_screen_lists_unreadable_files_as_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "assessments"
    folder.mkdir()
    good = copy(BIRMINGHAM, folder, "EA002326.toml")
    saved_at = dt.datetime(2023, 11, 14, 22, 13).timestamp()
    os.utime(good, (saved_at, saved_at))
    (folder / "broken.toml").write_text("[header\nea_name = 'x'\n", encoding="utf-8")
    text = good.read_text(encoding="utf-8").replace('form = "birmingham-ea"', 'form = "no-such-form"')
    (folder / "other-form.toml").write_text(text, encoding="utf-8")  # TOML, but no form to open it
    app = EqiaApp(None, folder=folder)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#assessments", DataTable)
        assert await wait_until(pilot, lambda: table.row_count == 3)
        rows = {str(table.get_row_at(i)[1]): table.get_row_at(i) for i in range(3)}
        assert rows["Adult Social Care Commissioning Strategy"][3:] == ["draft", "14/11/23 22:13"]
        assert rows["broken"][3] == "unreadable"
        assert rows["other-form"][3] == "unreadable"
        table.focus()
        table.move_cursor(row=list(rows).index("other-form"))
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MessageDialog), timeout=20)
        assert "no-such-form" in app.screen.message


async def palette_choose(pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*text)
    palette = pilot.app.screen
    assert await wait_until(
        pilot, lambda: palette.query("CommandList") and palette.query_one("CommandList").option_count
    )
    await pilot.press("enter")


async def test_each_screen_offers_its_own_palette_entries(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = copy(BIRMINGHAM, tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.screen.palette_commands()]
        assert {"Save", "Save as…", "Preview report", "Check", "Export…"} <= set(titles)
        assert not [t for t in titles if t.startswith("Export as")], "one export entry, not one per format"
        assert "Go to 5 Action Plan" in titles
        await palette_choose(pilot, "Go to 5 Action Plan")
        assert await wait_until(pilot, lambda: app.screen.current == "action_plan")
    app = EqiaApp(path, review=True)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.screen.palette_commands()]
        assert "Save" not in titles and "Check" in titles and "Go to 5 Action Plan" in titles


async def test_a_toggle_shows_on_or_off_without_colour(tmp_path: Path) -> None:
    """NO_COLOR, a monochrome terminal or a colour-blind reader still sees which boxes are ticked."""
    path = copy(PSED, tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "options")
        marks = {box.id: box.render().plain[:3] for box in screen.query(Checkbox)}
        assert marks["opt-carers"] == "[x]" and marks["opt-armed_forces"] == "[ ]"
        screen = await show(pilot, "characteristic_engagement:age")
        radios = screen.query(RadioButton)
        assert [r.render().plain[:1] for r in radios[:2]] == ["◉", "○"]  # Yes chosen, No not
        screen = await show(pilot, "action_plan")
        chooser = screen.query_one(SelectionList)
        lines = [chooser.render_line(y).text for y in range(chooser.option_count)]
        ticked = {line[4:].split("  ")[0].strip() for line in lines if "▐X▌" in line}
        assert ticked == {"Age", "Disability"}
        assert all("▐X▌" in line or "▐ ▌" in line for line in lines)


async def test_a_date_that_cannot_be_read_is_kept_as_typed(tmp_path: Path) -> None:
    path = copy(BIRMINGHAM, tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "review_date")
        date_input = screen.query_one("Input.date", Input)
        date_input.focus()
        await pilot.press("end", *" next spring")  # 31/10/18 next spring: not a date
        assert await wait_until(pilot, lambda: "next spring" in path.read_text(encoding="utf-8"))
        assert "Your text is kept" in str(screen.query_one(".field-error", Static).content)
    text = path.read_text(encoding="utf-8")
    assert "answer = 2018-10-31" in text  # the last date that could be read stays
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "review_date")
        date_input = screen.query_one("Input.date", Input)
        assert date_input.value == "31/10/18 next spring"  # what was typed comes back
        assert "EQ023" in str(screen.query_one("#checks").content)
        date_input.value = "31/3/27"
        assert await wait_until(pilot, lambda: "next spring" not in path.read_text(encoding="utf-8"))
    assert "answer = 2027-03-31" in path.read_text(encoding="utf-8")


async def test_save_as_asks_before_replacing_a_file(tmp_path: Path) -> None:
    path = copy(BIRMINGHAM, tmp_path)
    other = tmp_path / "other.toml"
    other.write_text("keep me", encoding="utf-8")
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.action_save_as()
        assert await wait_until(pilot, lambda: app.screen.query("#prompt"))
        app.screen.query_one("#prompt", Input).value = str(other)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.dialog_title == "Replace the file?"
        await pilot.click("#choice-replace")
        assert await wait_until(pilot, lambda: other.read_text(encoding="utf-8") != "keep me")
    assert store.load(other).header["ea_name"] == "Adult Social Care Commissioning Strategy"
