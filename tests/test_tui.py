"""The terminal UI, driven with Textual's Pilot: what a policy officer sees and what lands on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_steps import wait_until, workers_done
from textual.widgets import Input, MarkdownViewer, RadioSet, Select, SelectionList, Static, TextArea

from eqia.files import store
from eqia.files.opening import form_for
from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.screens.preview import PreviewScreen
from eqia.tui.widgets.fields import AnswerField
from eqia.tui.widgets.sidebar import Sidebar
from eqia.usecases.session import EditSession, recovery_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
SIZE = (100, 32)


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, target)
    return target


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def settle(pilot, seconds: float = 0.6) -> None:
    await pilot.pause(seconds)
    await workers_done(pilot)
    await pilot.pause()


def editor(app: EqiaApp) -> EditorScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, EditorScreen))
    return screen


async def go_to(pilot, page_id: str) -> EditorScreen:
    screen = editor(pilot.app)
    screen.show_page(page_id)
    await settle(pilot, 0.1)
    return screen


def field(screen: EditorScreen, key: tuple) -> AnswerField:
    return next(f for f in screen.query(AnswerField) if f.spec.key == key)


def sidebar_text(screen: EditorScreen) -> str:
    return "\n".join(screen.query_one(Sidebar).labels())


async def test_typing_a_comment_autosaves_only_that_change(copy: Path) -> None:
    before = copy.read_text(encoding="utf-8")
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "consultation:age")
        comment = field(screen, ("characteristics", "age", "answers", "views_of_group")).query_one(
            "TextArea.comment", TextArea
        )
        comment.focus()
        await pilot.press(*"Seen by QC")
        await settle(pilot)
        assert not screen.session.dirty
    after = copy.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ['comment = "Seen by QC"']
    assert len(after.splitlines()) == len(before.splitlines()) + 1


async def test_keyboard_only_walkthrough_next_and_back(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = editor(app)
        await settle(pilot, 0.1)
        assert screen.current == "review_date"  # opens where work is needed: the review date has passed
        screen.show_page("header")
        await settle(pilot, 0.1)
        await pilot.press("ctrl+n")
        await settle(pilot, 0.1)
        assert screen.current == "activity_type"
        assert "1 Activity Type" in str(screen.query_one("#page-title").content)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+b")
        await settle(pilot, 0.1)
        assert screen.current == "purpose"
        assert isinstance(app.focused, TextArea)  # the first answer has the focus


async def test_relevance_adds_pages_at_once_and_asks_before_hiding_answers(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "relevance")
        assert "Gender Reassignment" not in sidebar_text(screen)  # no group of pages for it
        screen.query_one("#rel-gender_reassignment", Select).value = "full"
        await settle(pilot, 0.2)
        assert "▸ 3.6 Gender Reassignment" in sidebar_text(screen)

        screen.query_one("#rel-age", Select).value = "relevant"
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and "Stop assessing Age?" in dialog.dialog_title
        await pilot.click("#choice-hide")
        await settle(pilot)
        assert " Age" not in sidebar_text(screen)
    saved = store.load(copy)
    assert saved.characteristics["age"].full_assessment is False
    assert saved.characteristics["age"].answers["meets_needs"].answer  # kept, not deleted
    assert saved.characteristics["gender_reassignment"].full_assessment is True


async def test_cancel_keeps_the_characteristic_assessed(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "relevance")
        screen.query_one("#rel-disability", Select).value = "not"
        await pilot.pause()
        await pilot.click("#choice-cancel")
        await settle(pilot)
        assert screen.query_one("#rel-disability", Select).value == "full"
        assert "3.2 Disability" in sidebar_text(screen)
    assert store.load(copy).characteristics["disability"].full_assessment is True


async def test_follow_up_question_shows_only_after_yes(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "consultation:age")
        how = field(screen, ("characteristics", "age", "answers", "views_of_group_how"))
        assert how.display
        views = field(screen, ("characteristics", "age", "answers", "views_of_group"))
        await pilot.click(views.query("RadioButton")[1])  # No
        await settle(pilot, 0.1)
        assert not how.display
        await pilot.click(views.query("RadioButton")[0])  # Yes
        await settle(pilot, 0.1)
        assert how.display


async def test_further_action_yes_offers_an_action_for_the_characteristic(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "consultation:race")
        further = field(screen, ("characteristics", "race", "answers", "further_action_plan"))
        further.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(further.query("RadioButton")[0])  # Yes
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-add")
        await settle(pilot)
        await go_to(pilot, "action_plan")
        table = screen.query_one("#actions-table")
        assert table.row_count == 1
        chooser = screen.query_one("#action-characteristics", SelectionList)
        assert await wait_until(pilot, lambda: chooser.selected == ["race"])
    saved = store.load(copy)
    assert saved.actions[0].characteristics == ["race"]
    assert saved.characteristics["race"].answers["further_action_plan"].answer == "Yes"


async def test_review_date_accepts_uk_format(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "review_date")
        date_input = screen.query_one("Input.date", Input)
        date_input.focus()
        date_input.value = ""
        await pilot.press(*"31/12/2027")
        await settle(pilot)
        assert "Read as Friday 31 December 2027" in str(screen.query_one(".field-error").content)
        date_input.value = "31/13/2027"
        await settle(pilot, 0.2)
        assert "not a date" in str(screen.query_one(".field-error").content)
    assert "answer = 2027-12-31" in copy.read_text(encoding="utf-8")


async def test_activity_type_fills_question_text_live(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "activity_type")
        radios = screen.query_one(RadioSet)
        radios.focus()
        buttons = list(radios.query("RadioButton"))
        index = next(i for i, b in enumerate(buttons) if str(b.label) == "New Service")
        buttons[index].value = True
        await settle(pilot, 0.2)
        assert "2.2 Individuals affected by the service" in sidebar_text(screen)
        screen = await go_to(pilot, "impact:age")
        assert "Describe how the Service meets the needs of Individuals of different ages?" in [
            f.spec.label for f in screen.query(AnswerField)
        ]


async def test_someone_elses_save_is_noticed_before_saving(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "analysis")
        theirs = copy.read_text(encoding="utf-8").replace('directorate = "People"', 'directorate = "Adults"')
        copy.write_text(theirs, encoding="utf-8")
        text_area = screen.query_one("TextArea.answer", TextArea)
        text_area.focus()
        await pilot.press(*" Mine")  # the cursor starts at the end of the answer
        await settle(pilot)
        assert "Someone else saved this file" in str(screen.query_one("#banner").content)
        assert isinstance(app.screen, EditorScreen)  # no dialog pops up in the middle of typing
        assert "community asset approach. Mine" in text_area.text
        assert copy.read_text(encoding="utf-8") == theirs  # nothing overwritten
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog) and dialog.dialog_title == "Someone else saved this file"
        await pilot.click("#choice-mine")
        await settle(pilot)
    backups = list(copy.parent.glob("ea.theirs-*.toml"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == theirs
    assert "community asset approach. Mine" in copy.read_text(encoding="utf-8")


async def test_recovery_copy_is_offered_on_next_open(copy: Path) -> None:
    session = EditSession.open(copy)
    session.change(("answers", "initial_analysis", "answer"), "Typed before the terminal died.")
    session.write_recovery()
    assert recovery_path(copy).exists()
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.1)
        assert isinstance(app.screen, ChoiceDialog) and app.screen.dialog_title == "Unsaved changes found"
        await pilot.click("#choice-restore")
        await settle(pilot)
        assert editor(app).session.assessment.value("initial_analysis") == "Typed before the terminal died."
    assert "Typed before the terminal died." in copy.read_text(encoding="utf-8")
    assert not recovery_path(copy).exists()


async def test_read_only_file_opens_read_only(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real_access = os.access
    monkeypatch.setattr(
        "eqia.usecases.session.os.access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    before = copy.read_bytes()
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "purpose")
        assert "read-only" in app.sub_title
        assert screen.query_one("TextArea.answer", TextArea).read_only
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
    assert copy.read_bytes() == before


async def test_quitting_with_unsaved_changes_asks(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 60)
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "header")
        name = screen.query_one("Input.answer", Input)
        name.focus()
        await pilot.press("end", *" (draft)")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog) and app.screen.dialog_title == "Unsaved changes"
        await pilot.click("#choice-save")
        await pilot.pause()
    assert 'ea_name = "Adult Social Care Commissioning Strategy (draft)"' in copy.read_text(encoding="utf-8")


async def test_preview_shows_the_report_tree(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.1)
        await pilot.press("ctrl+r")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, PreviewScreen)
        markdown = app.screen.query_one(MarkdownViewer).document.source
        assert "### 3.1 Age - Assessment Questions" in markdown
        assert "#### 3.1.2 Age - Impact" in markdown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)


async def test_help_shows_the_forms_guidance(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "review_date")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert "dd/mm/yyyy" in app.screen.message


async def test_checks_panel_follows_typing(copy: Path) -> None:
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "purpose")
        assert "No problems" in str(screen.query_one("#checks").content)
        text_area = screen.query_one("TextArea.answer", TextArea)
        text_area.focus()
        text_area.text = ""
        assert await wait_until(pilot, lambda: "EQ004" in str(screen.query_one("#checks").content))
        assert "◐ 2.1 Purpose" in sidebar_text(screen) or "○ 2.1 Purpose" in sidebar_text(screen)


async def test_start_screen_lists_and_creates(tmp_path: Path) -> None:
    folder = tmp_path / "assessments"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "EA002326.toml")
    app = EqiaApp(None, folder=folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.1)
        table = app.screen.query_one("#assessments")
        assert table.row_count == 1
        assert "EA002326" in str(table.get_row_at(0))
        app.screen.query_one("#new-name", Input).focus()
        await pilot.press(*"Library opening hours")
        await pilot.click("#create")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, EditorScreen)
    created = folder / "library-opening-hours.toml"
    assert created.exists()
    assert store.load(created).header["ea_name"] == "Library opening hours"


async def test_progress_update_is_one_key_and_its_grade_shows(copy: Path) -> None:
    from eqia.tui.screens.progress_dialog import ProgressDialog

    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "consultation:age")
        further = field(screen, ("characteristics", "age", "answers", "further_action_plan"))
        further.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(further.query("RadioButton")[0])  # Yes: offers an action for Age
        await pilot.pause()
        await pilot.click("#choice-add")
        await settle(pilot)
        await go_to(pilot, "action_plan")
        table = screen.query_one("#actions-table")
        table.focus()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ProgressDialog)
        await pilot.press(*"Leaflets printed")
        app.screen.query_one("#update-grade", Select).focus()
        await pilot.press("enter", "down", "enter")  # from 2 On-Track to 3 Slipped
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ProgressDialog), "the dialog is still open"
        title = screen.query_one("#action-editor .action-title", Static)
        assert await wait_until(pilot, lambda: str(title.content) == "Action 1 · Latest grade 3")
        assert screen.query_one("#action-characteristics", SelectionList).selected == ["age"]
    saved = store.load(copy)
    (update,) = saved.actions[0].updates
    assert update.grade == 3 and update.evidence_of_progress == "Leaflets printed"
    assert saved.actions[0].characteristics == ["age"]


async def test_an_action_closes_only_after_a_progress_update(copy: Path) -> None:
    import datetime as dt

    from eqia.document.model import ActionItem, ProgressUpdate

    loaded = store.read(copy)
    a = loaded.assessment.model_copy(deep=True)
    a.actions.append(ActionItem(issue="x", action="Leaflets", owner="Jo", characteristics=["age"]))
    store.save(a, copy, form_for(a)[0], base=loaded)
    app = EqiaApp(copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_to(pilot, "action_plan")
        table = screen.query_one("#actions-table")
        table.focus()
        await pilot.press("x")
        await settle(pilot)
        assert not screen.session.assessment.actions[0].closed  # no update yet: refused
        screen.session.assessment.actions[0].updates.append(
            ProgressUpdate(date=dt.date(2026, 11, 1), evidence_of_progress="Done", grade=1)
        )
        await pilot.press("x")
        await settle(pilot)
        title = screen.query_one("#action-editor .action-title", Static)
        assert str(title.content) == "Action 1 · Latest grade 1 (closed)"
    assert store.load(copy).actions[0].closed
