"""Review and lifecycle in the app: where the focus starts in a review and where a verdict goes, the
keys in the footer at 80 columns and in the help, submit / return / approve with a note, the status
in the title, and an approval that tracking leaves standing while a changed answer voids it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pilot_steps import handled, settle, type_text, wait_until
from textual.command import CommandPalette
from textual.widgets import Footer, Input, TextArea

from eqia.files import store
from eqia.quality.review import _digest
from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import ChoiceDialog, DecisionDialog, MessageDialog
from eqia.tui.widgets.fields import AnswerField

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "birmingham-ea": ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml",
    "psed-england": ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
}
NARROW = (80, 24)


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setattr("eqia.tui.screens.review.SAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def copy_of(tmp_path: Path, form_id: str = "birmingham-ea") -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLES[form_id], target)
    return target


def screen_lines(app) -> list[str]:
    """The screen as the terminal shows it, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def notes_of(app) -> list[str]:
    return [n.message for n in app._notifications]


async def show(pilot, page_id: str) -> None:
    pilot.app.screen.show_page(page_id)
    await settle(pilot)


def _first_command(palette) -> str:
    found = palette.query("CommandList")
    if not found or not found.first().option_count:
        return ""
    return str(found.first().get_option_at_index(0).prompt)


def field_at(screen, key: tuple) -> AnswerField:
    return next(f for f in screen.query(AnswerField) if f.spec.key == key)


async def dialog(pilot, kind: type):
    assert await handled(pilot, lambda: isinstance(pilot.app.screen, kind)), f"no {kind.__name__}"
    await settle(pilot)
    return pilot.app.screen


async def decide(pilot, note: str, by: str = "") -> None:
    """Fill the note (and the name when asked) of a DecisionDialog on top, then confirm."""
    box = await dialog(pilot, DecisionDialog)
    if by:
        await type_text(pilot, box.query_one("#decision-by", Input), by)
    await type_text(pilot, box.query_one("#decision-note", Input), note)
    await pilot.press("enter")
    assert await handled(pilot, lambda: not isinstance(pilot.app.screen, DecisionDialog))
    await settle(pilot)


# -- focus and verdicts in a review ------------------------------------------------------------


async def test_a_review_page_starts_on_its_first_answer_to_judge_and_a_verdict_names_it(tmp_path):
    # The evidence page opens with a table of sources (no verdict on its cells) above a question.
    path = copy_of(tmp_path, "psed-england")
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "evidence_used")
        screen = app.screen
        target = field_at(screen, ("answers", "evidence_gaps_plan"))
        assert screen.focused is target
        await pilot.press("1")
        assert await handled(
            pilot, lambda: "QC: acceptable" in str(target.query_one(".review-notes").content)
        )
        assert any(target.spec.label in n and "Acceptable" in n for n in notes_of(app)), notes_of(app)
        assert await wait_until(pilot, lambda: not screen.session.dirty)
    (verdict,) = store.load(path).review.verdicts
    assert (verdict.key, verdict.verdict) == ("answers.evidence_gaps_plan", "acceptable")


async def test_a_verdict_goes_to_the_highlighted_answer(tmp_path):
    path = copy_of(tmp_path)
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "impact:age")
        screen = app.screen
        first = screen.reviewable_fields()[0]
        assert screen.focused is first
        for _ in range(4):  # into the answers' own (read-only) text, and on to the next question's
            await pilot.press("tab")
        await settle(pilot)
        highlighted = [f for f in screen.reviewable_fields() if f.has_class("judged")]
        assert len(highlighted) == 1
        await pilot.press("3")
        (shown,) = highlighted
        assert await handled(
            pilot, lambda: "QC: must correct" in str(shown.query_one(".review-notes").content)
        )
        others = [f for f in screen.reviewable_fields() if f is not shown]
        assert not any("QC: must correct" in str(f.query_one(".review-notes").content) for f in others)


async def test_a_verdict_that_becomes_acceptable_drops_its_old_comment(tmp_path):
    path = copy_of(tmp_path)
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "impact:age")
        target = app.screen.reviewable_fields()[0]
        await pilot.press("c")
        box = await dialog(pilot, type(app.screen))  # the comment prompt
        await type_text(pilot, box.query_one(Input), "Say which care records")
        await pilot.press("enter")
        await settle(pilot)
        assert "Say which care records" in str(target.query_one(".review-notes").content)
        await pilot.press("1")
        notes = target.query_one(".review-notes")
        assert await handled(pilot, lambda: "QC: acceptable" in str(notes.content))
        assert "Say which care records" not in str(notes.content)
        assert any("earlier comment was cleared" in n for n in notes_of(app))
        assert await wait_until(pilot, lambda: not app.screen.session.dirty)
    (verdict,) = store.load(path).review.verdicts
    assert (verdict.verdict, verdict.comment) == ("acceptable", "")


# -- keys: the footer at 80 columns, the help --------------------------------------------------


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
@pytest.mark.parametrize("review", [True, False], ids=["review", "edit"])
async def test_the_footer_shows_the_main_keys_at_80_columns_on_every_kind_of_page(tmp_path, form_id, review):
    path = copy_of(tmp_path, form_id)
    app = EqiaApp(path, review=review, reviewer="Kim (QC)")
    wanted = ["1 OK", "2 Improve", "3 Must", "c Comment", "R Return", "A Approve"] if review else ["^s Save"]
    wanted += ["^n Next", "f1 Help", "^p palette"]
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        kinds: dict[str, str] = {}
        for page in app.screen.pages:
            kinds.setdefault(page.kind, page.id)
        for kind, page_id in kinds.items():
            await show(pilot, page_id)
            assert await wait_until(pilot, lambda: app.screen.query_one(Footer).query("FooterKey"))
            await pilot.pause()  # drawn
            footer = screen_lines(app)[-1]
            assert all(key in footer for key in wanted), f"{kind}: the footer reads {footer!r}"
            keys = list(app.screen.query_one(Footer).query("FooterKey"))
            palette = next(k for k in keys if k.has_class("-command-palette"))
            for key in keys:
                if key is not palette:  # none cut off or under the palette's key
                    assert key.region.right <= palette.region.x, f"{kind}: {key.description} is hidden"


async def test_help_lists_every_key_of_the_review_screen(tmp_path):
    app = EqiaApp(copy_of(tmp_path), review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        text = str((await dialog(pilot, MessageDialog)).query_one(".dialog-message").content)
        lines = [line.split(None, 1) for line in text.splitlines() if line.startswith("  ")]
        for key, what in (("1", "Acceptable"), ("2", "Improvable"), ("3", "Must correct"), ("c", "Comment")):
            assert [key, f"{what}"] in [[k, w.strip()] for k, w in lines] or any(
                k == key and w.strip().startswith(what) for k, w in lines
            ), (key, text)
        for binding in app.screen_stack[-2].BINDINGS:
            if binding.description:
                assert (binding.tooltip or binding.description) in text, binding
        assert "ctrl+q" in text and "ctrl+p" in text and "tab" in text


async def test_help_on_the_action_plan_lists_its_keys(tmp_path):
    app = EqiaApp(copy_of(tmp_path))
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "action_plan")
        page = app.screen.page_view()
        await pilot.press("f1")
        text = str((await dialog(pilot, MessageDialog)).query_one(".dialog-message").content)
        lines = text.splitlines()
        for binding in [*type(page).BINDINGS, *type(app.screen_stack[-2]).BINDINGS]:
            if binding.description:
                what = binding.tooltip or binding.description
                assert any(line.split()[:1] and what in line for line in lines), (what, text)
        assert any(line.strip().startswith("a ") and "Add action" in line for line in lines), text


# -- submit, return, approve -------------------------------------------------------------------


async def test_return_on_a_draft_says_in_plain_words_that_the_author_submits_first(tmp_path):
    app = EqiaApp(copy_of(tmp_path), review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("R")
        text = str((await dialog(pilot, MessageDialog)).query_one(".dialog-message").content)
        assert "This assessment is a draft" in text and "Submit for review" in text, text
        assert "review.status" not in text and "cannot become" not in text


async def test_submit_return_resubmit_and_approve_in_the_app(tmp_path):
    path = copy_of(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith("Draft: ")
        await pilot.press("ctrl+t")
        await decide(pilot, "Ready for QC", by="Sharon Ellis")
        assert app.sub_title.startswith("Submitted for review: ")
    saved = store.load(path).review
    assert saved.status == "submitted"
    assert (saved.history[-1].by, saved.history[-1].note) == ("Sharon Ellis", "Ready for QC")

    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "impact:age")
        await pilot.press("3")
        await pilot.press("A")  # refused: an answer must be corrected; the dialog says which
        text = str((await dialog(pilot, MessageDialog)).query_one(".dialog-message").content)
        assert "must correct" in text and "Impact" in text, text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("R")
        await decide(pilot, "See the verdict on 3.1")
        assert app.sub_title.startswith("Reviewing (returned)")
    saved = store.load(path).review
    assert saved.status == "returned" and saved.history[-1].note == "See the verdict on 3.1"

    app = EqiaApp(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith("Returned to the author: ")
        await pilot.press("ctrl+p")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Submit for review")
        palette = app.screen
        assert await wait_until(pilot, lambda: "Submit for review" in _first_command(palette))
        await pilot.press("enter")
        await decide(pilot, "Corrected", by="Sharon Ellis")

    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "impact:age")
        await pilot.press("1")
        await pilot.press("A")
        await decide(pilot, "Due regard shown")
        assert app.sub_title.startswith("Reviewing (approved)")
        assert any("Approved by Kim (QC)" in n for n in notes_of(app))
    saved = store.load(path)
    assert [h.status for h in saved.review.history] == ["submitted", "returned", "submitted", "approved"]
    assert saved.review.approved_hash


# -- approval and tracking ---------------------------------------------------------------------


@pytest.fixture(params=["birmingham-ea"])
def approved(request, tmp_path: Path, run_cli) -> Path:
    path = copy_of(tmp_path, request.param)
    assert run_cli("submit", path, "--by", "Sharon").exit_code == 0
    assert run_cli("approve", path, "--by", "QC Team").exit_code == 0
    return path


@pytest.mark.parametrize("approved", ["psed-england"], indirect=True)
def test_tracking_an_approved_plan_keeps_the_approval_and_an_answer_voids_it(approved: Path, run_cli):
    from eqia.document.model import ProgressUpdate

    a = store.load(approved)
    a.actions[0].updates.append(
        ProgressUpdate(date=dt.date.today(), evidence_of_progress="Contracts signed.", grade=1)
    )
    a.actions[0].closed = True
    store.save(a, approved, _form(approved))
    assert "EQ019" not in run_cli("check", approved).stdout
    a = store.load(approved)
    a.actions[0].issue += " (changed later)"
    store.save(a, approved, _form(approved))
    assert "EQ019" in run_cli("check", approved).stdout


@pytest.mark.parametrize("approved", ["psed-england"], indirect=True)
def test_an_approval_recorded_before_tracking_was_left_out_still_holds(approved: Path, run_cli):
    # Approved the old way, with the plan's progress as it was then in the fingerprint.
    from eqia.document.model import ProgressUpdate

    a = store.load(approved)
    a.actions[0].updates.append(ProgressUpdate(date=dt.date(2018, 1, 5), evidence_of_progress="Started."))
    approved_on = dt.datetime(2018, 2, 1, 9)
    a.review.history[-1] = a.review.history[-1].model_copy(update={"at": approved_on})
    a.review.approved_hash = _digest(a)
    a.actions[0].updates.append(
        ProgressUpdate(date=dt.date(2018, 6, 1), evidence_of_progress="Done.", grade=1)
    )
    store.save(a, approved, _form(approved))
    assert "EQ019" not in run_cli("check", approved).stdout


def _form(path: Path):
    from eqia.files.opening import open_assessment

    return open_assessment(path).form


async def test_the_app_asks_before_changing_an_answer_of_an_approved_assessment(approved: Path):
    before = approved.read_bytes()
    app = EqiaApp(approved)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.sub_title.startswith("Approved: ")
        await show(pilot, "impact:age")
        screen = app.screen
        box = field_at(screen, ("characteristics", "age", "answers", "evidence_source")).query_one(
            ".answer", TextArea
        )
        box.focus()
        await pilot.press("end", "x")
        asked = await dialog(pilot, ChoiceDialog)
        assert (
            "This assessment is approved. Changing an answer means it must be approved again" in asked.message
        )
        await pilot.press("escape")  # keep it as approved
        await settle(pilot)
        assert not screen.session.dirty and approved.read_bytes() == before
        box = field_at(screen, ("characteristics", "age", "answers", "evidence_source")).query_one(
            ".answer", TextArea
        )
        assert not box.text.endswith("x")
        box.focus()
        await pilot.press("end", "y")
        await dialog(pilot, ChoiceDialog)
        await pilot.click("#choice-change")
        assert await wait_until(pilot, lambda: not screen.session.dirty and approved.read_bytes() != before)
        assert any(f.rule == "EQ019" for f in screen.session.recheck())
    assert store.load(approved).characteristics["age"].answers["evidence_source"].answer.endswith("y")


@pytest.mark.parametrize("approved", ["psed-england"], indirect=True)
async def test_a_progress_update_in_the_app_asks_nothing_and_keeps_the_approval(approved: Path, run_cli):
    app = EqiaApp(approved)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await show(pilot, "action_plan")
        screen = app.screen
        await pilot.press("u")
        from eqia.tui.screens.progress_dialog import ProgressDialog

        box = await dialog(pilot, ProgressDialog)
        await type_text(pilot, box.query_one("#update-progress", TextArea), "Contracts signed.")
        await pilot.press("ctrl+s")
        assert await handled(pilot, lambda: app.screen is screen)
        assert await wait_until(pilot, lambda: not screen.session.dirty)
        assert not any(isinstance(s, ChoiceDialog) for s in app.screen_stack)
    saved = store.load(approved)
    assert saved.actions[0].updates[-1].evidence_of_progress == "Contracts signed."
    assert "EQ019" not in run_cli("check", approved).stdout
