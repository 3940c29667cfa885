"""Choices and question pages as a new user meets them: chosen answers marked by shape, y and n for
Yes and No, Enter moving on, comments out of the way until wanted, follow-ups under the choice that
shows them, and the aims of the duty as one grid that fits 80x24.

Each test drives the real app by keys and checks the screen's text and the file on disk.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_steps import focus, handled, settle, wait_until
from textual.widgets import RadioSet, TextArea

from eqia.document.edits import value_at
from eqia.files.forms import load_form
from eqia.files.opening import open_assessment
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.widgets.fields import AnswerField
from eqia.usecases.creating import new_assessment

ROOT = Path(__file__).resolve().parents[1]
BIRMINGHAM = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
PSED = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(source, target)
    return target


def new_psed(tmp_path: Path) -> Path:
    """A fresh psed-england assessment: nothing answered yet."""
    path = tmp_path / "new.toml"
    new_assessment(path, load_form("psed-england"), name="Library hours", activity_type="New Policy")
    return path


async def show(pilot, page_id: str) -> EditorScreen:
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    screen.show_page(page_id)
    await settle(pilot)

    def drawn() -> bool:
        view = screen.page_view()
        return view is not None and view.page.id == page_id and bool(view.region)

    assert await wait_until(pilot, drawn), f"{page_id} was not drawn"
    await pilot.pause()
    return screen


def screen_text(app: EqiaApp) -> list[str]:
    """The terminal's lines as the user reads them: characters only, no colour or style."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def on_screen(app: EqiaApp, *texts: str) -> bool:
    """Whether each text is on one of the screen's lines."""
    lines = screen_text(app)
    return all(any(text in line for line in lines) for text in texts)


def field(screen: EditorScreen, *key) -> AnswerField:
    return next(f for f in screen.query(AnswerField) if f.spec.key == key)


def saved(path: Path, *key):
    """The value at a key path in the file on disk, read as eqia reads it."""
    return value_at(open_assessment(path).assessment, key)


async def save(pilot, screen: EditorScreen) -> None:
    await pilot.press("ctrl+s")
    assert await wait_until(pilot, lambda: not screen.session.dirty, timeout=10)


async def test_chosen_answers_and_ticks_differ_in_text_not_only_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = EqiaApp(copy(PSED, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await show(pilot, "characteristic_engagement:age")  # Yes is chosen here
        assert await wait_until(pilot, lambda: on_screen(app, "◉ Yes", "○ No")), screen_text(app)
        await show(pilot, "options")  # carers on, the armed forces community off
        ticks = ("[x] Carers", "[ ] Armed Forces")
        assert await wait_until(pilot, lambda: on_screen(app, *ticks)), screen_text(app)


async def test_y_and_n_choose_and_the_follow_up_appears_under_the_choice(tmp_path: Path) -> None:
    path = new_psed(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await show(pilot, "engagement")
        done = field(screen, "answers", "engagement_done")
        choices = done.query_one(RadioSet)
        await focus(pilot, choices)
        assert await wait_until(pilot, lambda: any("keys y/n" in line for line in screen_text(app)))

        await pilot.press("y")
        assert await handled(pilot, lambda: str(getattr(choices.pressed_button, "label", "")) == "Yes")
        who = field(screen, "answers", "engagement_summary")
        assert await handled(pilot, lambda: who.display and who.region.height > 0)
        comment = done.own(".comment")[0]
        # directly under the options, above the choice's own comment
        assert choices.region.bottom <= who.region.y < who.region.bottom <= comment.region.y
        await pilot.press("n")
        why_not = field(screen, "answers", "engagement_not_done")
        assert await handled(pilot, lambda: why_not.display and not who.display)
        assert choices.region.bottom <= why_not.region.y < comment.region.y

        await pilot.press("enter")  # on the chosen No: move on, to the question it showed
        answer = why_not.query_one(TextArea)
        assert await handled(pilot, lambda: answer.has_focus)
        await save(pilot, screen)
    assert saved(path, "answers", "engagement_done", "answer") == "No"


async def test_the_follow_up_of_a_birmingham_choice_is_above_its_comment(tmp_path: Path) -> None:
    app = EqiaApp(copy(BIRMINGHAM, tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "consultation:age")
        views = field(screen, "characteristics", "age", "answers", "views_of_group")
        how = field(screen, "characteristics", "age", "answers", "views_of_group_how")
        lines = screen_text(app)
        question = next(i for i, line in enumerate(lines) if "If so, how did you obtain" in line)
        yes = next(i for i, line in enumerate(lines) if "◉ Yes" in line)
        assert yes < question
        assert views.query_one(RadioSet).region.bottom <= how.region.y
        assert how.region.bottom <= views.own(".comment")[0].region.y


async def test_tab_passes_an_empty_comment_and_ctrl_e_goes_into_it(tmp_path: Path) -> None:
    path = new_psed(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await show(pilot, "engagement")
        done = field(screen, "answers", "engagement_done")
        choices, comment = done.query_one(RadioSet), done.own(".comment")[0]
        await focus(pilot, choices)
        assert await wait_until(pilot, lambda: "^e Comment" in screen_text(app)[-1])

        await pilot.press("tab")
        assert await handled(pilot, lambda: app.focused is not choices)
        assert app.focused is not comment  # an empty comment is no Tab stop
        await pilot.press("shift+tab")  # but shift+tab reaches it
        assert await handled(pilot, lambda: comment.has_focus)

        await focus(pilot, choices)
        await pilot.press("ctrl+e")
        assert await handled(pilot, lambda: comment.has_focus)
        await pilot.press(*"Asked in March")
        assert isinstance(comment, TextArea)
        assert await handled(pilot, lambda: comment.text == "Asked in March")
        await focus(pilot, choices)
        await pilot.press("tab")  # a comment with text is a Tab stop again
        assert await handled(pilot, lambda: comment.has_focus)
        await save(pilot, screen)
    assert saved(path, "answers", "engagement_done", "comment") == "Asked in March"


async def test_enter_in_a_comment_of_one_line_moves_on(tmp_path: Path) -> None:
    path = new_psed(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await show(pilot, "engagement")
        done = field(screen, "answers", "engagement_done")
        comment = done.own(".comment")[0]
        assert isinstance(comment, TextArea)
        await focus(pilot, comment)
        await pilot.press(*"Short note", "enter")
        assert await handled(pilot, lambda: not comment.has_focus)
        assert comment.text == "Short note"

        await focus(pilot, comment)
        await pilot.press("ctrl+j", *"Second line", "enter", *"Third")  # several lines: Enter breaks
        assert await handled(pilot, lambda: comment.text == "Short note\nSecond line\nThird")
        assert comment.has_focus
        await save(pilot, screen)
    assert saved(path, "answers", "engagement_done", "comment") == "Short note\nSecond line\nThird"


async def test_the_aims_of_the_duty_are_one_grid_that_fits_80x24(tmp_path: Path) -> None:
    path = copy(PSED, tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "duty_aims:age")
        rows = [f for f in screen.query(AnswerField) if f.spec.question_id == "aim_impact"]
        assert [f.spec.key[-1] for f in rows] == ["eliminate", "advance", "foster"]
        body = screen.query_one("#page-body").region
        # every item, its options and its comment on the first screen
        parts = [w for row in rows for w in (row, row.query_one(RadioSet), row.own(".comment")[0])]
        seen = await wait_until(pilot, lambda: all(body.contains_region(w.region) for w in parts))
        assert seen, [(w, w.region, body) for w in parts]
        lines = screen_text(app)
        assert sum("○ Positive" in line or "◉ Positive" in line for line in lines) == 3

        first, second = (row.query_one(RadioSet) for row in rows[:2])
        await focus(pilot, first)
        column = first._selected
        await pilot.press("down")  # the item below, same option
        assert await handled(pilot, lambda: second.has_focus)
        assert second._selected == column
        was = saved(path, "characteristics", "age", "answers", "aim_impact", "advance", "answer")
        await pilot.press("left")
        await pilot.press("enter")
        labels = [str(b.label) for b in second.query("RadioButton")]
        wanted = labels[(column - 1) % len(labels)]
        assert wanted != was
        assert await handled(pilot, lambda: str(getattr(second.pressed_button, "label", "")) == wanted)
        await pilot.press("up")
        assert await handled(pilot, lambda: first.has_focus)
        await pilot.press("ctrl+e")  # the item's comment
        assert await handled(pilot, lambda: rows[0].own(".comment")[0].has_focus)
        await focus(pilot, first)
        await pilot.press("right")  # back to the option chosen (up came down the column to its left)
        assert await handled(pilot, lambda: first._selected == first.pressed_index >= 0)
        await pilot.press("enter")  # on the chosen option: the next item, past this one's comment
        assert await handled(pilot, lambda: second.has_focus)
        await save(pilot, screen)
    assert saved(path, "characteristics", "age", "answers", "aim_impact", "advance", "answer") == wanted
