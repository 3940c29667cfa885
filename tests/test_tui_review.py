"""`eqia review` in the app: the reviewer gives verdicts and comments, and nothing else can change.

Every page of the assessment is visited in review mode. On each, every control that would change an
answer, a relevance choice, an option or an action must be disabled or read-only (or not there at
all), keys pressed on them must change nothing, and the file on disk must come out byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_steps import wait_until, workers_done
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Select, SelectionList, TextArea

from eqia.files import store
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.widgets.fields import AnswerField

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "birmingham-ea": ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml",
    # options, per-item grids, repeating groups and actions with progress updates
    "psed-england": ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
}
CONTROLS = (Input, TextArea, Select, RadioSet, RadioButton, Checkbox, SelectionList, Button)
"""The widgets that change an answer, a relevance choice, an option or an action when enabled."""
KEYS = ("space", "enter", "x", "u", "a", "backspace", "down", "enter")
"""Keys that would type, tick, pick, add, update or close something. Not 1/2/3/c/R/A: those are
the reviewer's, and change the verdicts, which is allowed."""


@pytest.fixture(autouse=True)
def state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def copy_of(tmp_path: Path, form_id: str) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLES[form_id], target)
    return target


def can_change(widget: Widget) -> bool:
    """Whether the widget would let the user change what it shows."""
    if isinstance(widget, TextArea):
        return not widget.read_only and not widget.disabled
    return not widget._self_or_ancestors_disabled


async def show(pilot, screen, page_id: str) -> None:
    screen.show_page(page_id)
    await workers_done(pilot)  # the page is mounted
    await pilot.pause()


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
async def test_a_reviewer_can_change_no_answer_relevance_option_or_action(tmp_path: Path, form_id: str):
    path = copy_of(tmp_path, form_id)
    before = path.read_bytes()
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        seen_kinds: set[str] = set()
        kinds_pressed: set[type] = set()
        for page in list(screen.pages):
            await show(pilot, screen, page.id)
            seen_kinds.add(page.kind)
            controls = [w for w in screen.query("#page-body *") if isinstance(w, CONTROLS)]
            if page.kind == "action_plan":
                table = screen.query_one("#actions-table")
                for row in range(table.row_count):  # each action's fields, one after another
                    table.focus()
                    table.move_cursor(row=row)
                    await pilot.press("enter")
                    await workers_done(pilot)
                    await pilot.pause()
                    controls += [w for w in screen.query("#action-editor *") if isinstance(w, CONTROLS)]
            changeable = [f"{type(w).__name__}#{w.id or ''}" for w in controls if can_change(w)]
            assert not changeable, f"{page.id}: the reviewer can change {changeable}"
            kinds_here = {type(w) for w in controls}
            if kinds_here <= kinds_pressed:
                continue  # keys were pressed on these kinds of control on an earlier page
            for kind in kinds_here - kinds_pressed:  # keys on one of each: disabled, it keeps no focus
                widget = next(w for w in controls if type(w) is kind)
                widget.scroll_visible(animate=False)
                widget.focus()
                await pilot.press(*KEYS)
                clickable = isinstance(widget, (Select, Checkbox, RadioButton))
                if clickable and screen.query_one("#page-body").region.contains_region(widget.region):
                    await pilot.click(widget)  # and a click
            kinds_pressed |= kinds_here
            await workers_done(pilot)
            await pilot.pause()
            assert not screen.session.dirty, f"{page.id}: something changed"
            assert app.screen is screen, f"{page.id}: a dialog opened"
        expected = {"header", "activity_type", "questions", "relevance", "action_plan"}
        if form_id == "psed-england":
            expected.add("options")
        assert expected <= seen_kinds
        assert screen.session.answers_locked  # the session itself refuses changes too
        assert app.sub_title.startswith("Reviewing (draft): ")
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before


async def test_a_verdict_is_the_one_change_a_reviewer_makes(tmp_path: Path) -> None:
    path = copy_of(tmp_path, "birmingham-ea")
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await show(pilot, screen, "relevance")
        reason = screen.query_one("#reason-gender_reassignment", AnswerField)  # a reason is judged too
        reason.focus()
        await pilot.press("1")
        assert await wait_until(
            pilot, lambda: "QC: acceptable" in str(reason.query_one(".review-notes").content)
        )
        await show(pilot, screen, "impact:age")
        field = next(f for f in screen.query(AnswerField) if f.spec.key[-1] == "meets_needs")
        field.focus()
        await pilot.press("2")
        assert "QC: improvable" in str(field.query_one(".review-notes").content)
        assert await wait_until(pilot, lambda: not screen.session.dirty)  # saved after a pause
    saved = store.load(path)
    assert [(v.key, v.verdict, v.by) for v in saved.review.verdicts] == [
        ("characteristics.gender_reassignment.reason", "acceptable", "Kim (QC)"),
        ("characteristics.age.answers.meets_needs", "improvable", "Kim (QC)"),
    ]
    original = store.load(EXAMPLES["birmingham-ea"])
    assert saved.model_dump(exclude={"review"}) == original.model_dump(exclude={"review"})


async def test_each_screen_has_only_its_own_keys(tmp_path: Path) -> None:
    path = copy_of(tmp_path, "birmingham-ea")
    review_keys = {"1", "2", "3", "c", "R", "A"}
    editing_keys = {"ctrl+s", "a"}
    app = EqiaApp(path, review=True)
    async with app.run_test(size=(100, 30)):
        keys = set(app.screen._bindings.key_to_bindings)
        assert review_keys <= keys and not editing_keys & keys
    app = EqiaApp(path)
    async with app.run_test(size=(100, 30)):
        assert isinstance(app.screen, EditorScreen)
        keys = set(app.screen._bindings.key_to_bindings)
        assert editing_keys <= keys and not review_keys & keys
