"""The action plan page and its progress-update dialog at 80x24, as a new officer uses them: every field
in view as the focus reaches it, the row cursor choosing the action shown, actions numbered in the
form's words, the table's key columns and the buttons inside 80 columns, the keys in the footer, and an
action with nothing but its characteristics reported as unfinished."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pilot_steps import focus, handled, send_keys, settle, type_text, wait_until
from textual.geometry import Region
from textual.widgets import Button, Footer, Input, Static, TextArea
from textual.widgets._footer import FooterKey

from eqia.document.model import ActionItem, ProgressUpdate
from eqia.files import store
from eqia.files.opening import open_assessment
from eqia.tui.app import EqiaApp
from eqia.tui.screens.progress_dialog import ProgressDialog
from eqia.tui.widgets.action_table import ActionTable
from eqia.tui.widgets.fields import AnswerField
from eqia.tui.widgets.sidebar import Sidebar

ROOT = Path(__file__).resolve().parents[1]
BIRMINGHAM = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"  # no actions
SMALL = (80, 24)

LONG_ISSUE = (
    "Older Pakistani citizens take up home care far less than their numbers suggest, and the "
    "consultation heard that information about the new framework reached few of them."
)
LONG_OWNER = "Catherine Buller-Montgomery, Head of Commissioning (Adults)"


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def with_actions(tmp_path: Path, *actions: ActionItem, source: Path = BIRMINGHAM) -> Path:
    """A copy of the worked example with these actions in its action plan."""
    path = tmp_path / "ea.toml"
    shutil.copy(source, path)
    loaded = store.read(path)
    a = loaded.assessment.model_copy(deep=True)
    a.actions.extend(actions)
    store.save(a, path, open_assessment(path).form, base=loaded)
    return path


def two_actions(tmp_path: Path) -> Path:
    return with_actions(
        tmp_path,
        ActionItem(
            issue=LONG_ISSUE,
            action="Leaflets in Urdu at every GP surgery in Sparkbrook and Alum Rock.",
            owner=LONG_OWNER,
            target_date=dt.date(2027, 6, 30),
            characteristics=["age", "race"],
        ),
        ActionItem(
            issue="Carers were not asked about respite.",
            action="Survey carers",
            owner="Jo Bloggs",
            target_date=dt.date(2027, 9, 30),
            characteristics=["disability"],
            updates=[ProgressUpdate(date=dt.date(2026, 11, 1), evidence_of_progress="Drafted", grade=2)],
        ),
    )


async def open_action_plan(pilot):
    screen = pilot.app.screen
    screen.show_page("action_plan")
    await settle(pilot)
    assert await handled(pilot, lambda: screen.current == "action_plan" and screen.focused is not None)
    return screen


def visible(screen) -> Region:
    """The part of the screen the page is shown in."""
    return screen.query_one("#page-body").region


def editor_title(screen) -> str:
    titles = screen.query("#action-editor .action-title")
    return str(titles.first(Static).content) if titles else ""


def issue_box(screen) -> TextArea:
    return next(f for f in screen.query(AnswerField) if f.spec.key[-1] == "issue").query_one(TextArea)


async def test_focus_starts_on_the_table_and_tab_reaches_every_field_in_view(tmp_path: Path) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        assert isinstance(app.focused, ActionTable), app.focused
        assert visible(screen).contains_region(app.focused.region)
        answers = {id(w) for w in screen.query("#action-editor .answer")}
        answers.add(id(screen.query_one("#action-characteristics")))
        reached: set[int] = set()
        for _ in range(20):
            await pilot.press("tab")
            await settle(pilot)
            widget = app.focused
            assert widget is not None
            shown = await wait_until(pilot, lambda w=widget: visible(screen).contains_region(w.region))
            assert shown, f"{widget!r} has the focus at {widget.region}, outside {visible(screen)}"
            reached.add(id(widget))
            if answers <= reached:
                break
        assert answers <= reached, "tab did not reach every field of the action"


async def test_page_down_and_up_scroll_the_page_from_the_table(tmp_path: Path) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        body = screen.query_one("#page-body")
        table = screen.query_one(ActionTable)
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("pagedown")
        assert await handled(pilot, lambda: body.scroll_y > 0)
        assert table.cursor_row == 0 and editor_title(screen).startswith("Action 1")
        await pilot.press("pageup")
        assert await handled(pilot, lambda: body.scroll_y == 0)
        # In a many-line answer, page down is the answer's own: the page stays where the cursor is.
        box = issue_box(screen)
        await focus(pilot, box)
        await settle(pilot)
        assert await handled(pilot, lambda: body.scroll_y == body.scroll_target_y)  # scrolled to the box
        before = body.scroll_y
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y == before


async def test_the_form_follows_the_row_cursor(tmp_path: Path) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        assert editor_title(screen) == "Action 1"
        await pilot.press("down")
        assert await handled(pilot, lambda: editor_title(screen) == "Action 2 · Latest grade 2")
        assert await handled(pilot, lambda: issue_box(screen).text == "Carers were not asked about respite.")
        assert isinstance(app.focused, ActionTable), "choosing an action leaves the focus in the table"
        await pilot.press("up")
        assert await handled(pilot, lambda: issue_box(screen).text == LONG_ISSUE)
        await pilot.press("down", "enter")  # enter: into the chosen action's first field
        assert await handled(pilot, lambda: app.focused is issue_box(screen))
        assert issue_box(screen).text == "Carers were not asked about respite."
        shown = await wait_until(pilot, lambda: visible(screen).contains_region(app.focused.region))
        assert shown, (app.focused.region, visible(screen), screen.query_one("#page-body").scroll_y)


async def test_actions_are_numbered_in_the_forms_words(tmp_path: Path, monkeypatch) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    text = (ROOT / "forms" / "birmingham-ea.toml").read_text(encoding="utf-8")
    assert 'action_item = "Action"' in text
    text = text.replace('action_item = "Action"', 'action_item = "Recommendation"')
    text = text.replace('action_owner = "Responsible officer"', 'action_owner = "Link Officer"')
    (forms / "birmingham-ea.toml").write_text(text, encoding="utf-8")
    path = two_actions(tmp_path)
    monkeypatch.chdir(tmp_path)  # ./forms is looked in before the shipped forms
    app = EqiaApp(path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        table = screen.query_one(ActionTable)
        assert [table.cell_text(i, "number") for i in range(2)] == ["Recommendation 1", "Recommendation 2"]
        owner = next(column for column in table.columns.values() if column.key == "owner")
        assert owner.label.plain.startswith("Link O"), "the form's heading, cut short to fit"
        assert editor_title(screen) == "Recommendation 1"


async def test_the_table_keeps_number_issue_officer_and_date_in_80_columns(tmp_path: Path) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        table = screen.query_one(ActionTable)
        assert await wait_until(pilot, lambda: table.row_count == 2 and table.max_scroll_x == 0)
        assert [str(c.key.value) for c in table.columns.values()][:4] == [
            "number",
            "issue",
            "owner",
            "target",
        ]
        assert table.region.right <= visible(screen).right
        assert table.cell_text(0, "number") == "Action 1"
        issue = table.cell_text(0, "issue")
        assert issue.endswith("…") and LONG_ISSUE.startswith(issue[:-1])
        owner = table.cell_text(0, "owner")
        assert owner.endswith("…") and LONG_OWNER.startswith(owner[:-1])
        assert table.cell_text(0, "target") == "30/06/27"
        assert table.cell_text(1, "owner") == "Jo Bloggs"
        for button in screen.query("#action-plan .buttons Button"):
            assert visible(screen).contains_region(button.region), f"{button.label} is cut off"
            assert "(" in str(button.label), "each button shows its key"


async def test_footer_shows_the_action_plans_keys_at_80_columns(tmp_path: Path) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await open_action_plan(pilot)
        footer = app.screen.query_one(Footer)
        await handled(pilot, lambda: any(k.region.width for k in footer.query(FooterKey)))
        keys = [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
        palette = footer.query("FooterKey.-command-palette")
        right = palette.first().region.x if palette else footer.region.right
        shown = {k.key: k for k in keys if k.region.width and k.region.right <= right}
        assert {"up", "a", "u", "x"} <= set(shown), [(k.key, k.region) for k in keys]
        assert shown["up"].key_display == "↑↓" and shown["up"].description == "Choose"


async def test_focus_is_on_add_when_there_are_no_actions(tmp_path: Path, monkeypatch) -> None:
    # The findings come up as they do for a person: a moment after the new action's first answer is
    # in view (here when the test says, not on a timer a loaded machine could outrun).
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 600)
    path = tmp_path / "ea.toml"
    shutil.copy(BIRMINGHAM, path)
    app = EqiaApp(path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        assert isinstance(app.focused, Button) and app.focused.id == "add-action"
        assert not screen.query_one(ActionTable).display
        checks = screen.query_one("#checks")
        send_keys(pilot, "enter")
        assert await handled(pilot, lambda: len(screen.session.assessment.actions) == 1)
        assert await handled(pilot, lambda: app.focused is issue_box(screen))
        assert await wait_until(pilot, lambda: visible(screen).contains_region(app.focused.region))
        assert editor_title(screen) == "Action 1"
        assert "EQ024" not in str(checks.content)
        # Then the new action's findings push the page up from below: the answer stays in view.
        screen.settle()
        assert await wait_until(pilot, lambda: "EQ024" in str(checks.content))
        await settle(pilot)
        assert await wait_until(pilot, lambda: visible(screen).contains_region(app.focused.region))


def sidebar_line(screen, title: str) -> str:
    return next(line for line in screen.query_one(Sidebar).labels() if title in line)


async def test_an_action_with_only_characteristics_is_not_a_complete_plan(tmp_path: Path, run_cli) -> None:
    path = with_actions(tmp_path, ActionItem(characteristics=["age"]))
    result = run_cli("check", path)
    assert result.exit_code != 0
    assert "EQ024 error" in result.output and "5 Action Plan: Action 1 has no" in result.output
    assert (
        "\u201cIssue or adverse impact\u201d" in result.output and "\u201cTarget date\u201d" in result.output
    )

    app = EqiaApp(path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        checks = screen.query_one("#checks")
        assert "Action 1 has no" in str(checks.content)
        assert "No problems on this page" not in str(checks.content)
        assert sidebar_line(screen, "Action Plan").startswith("◐")
        for name, value in (
            ("issue", "Low take-up"),
            ("action", "Leaflets"),
            ("owner", "Jo Bloggs"),
            ("target_date", "30/06/27"),
        ):
            field = next(f for f in screen.query(AnswerField) if f.spec.key[-1] == name)
            await type_text(pilot, field.query_one(".answer"), value)
        await settle(pilot)
        assert await wait_until(pilot, lambda: "No problems on this page" in str(checks.content))
        assert await wait_until(pilot, lambda: sidebar_line(screen, "Action Plan").startswith("●"))
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not screen.session.dirty)
    assert "EQ024" not in run_cli("check", path).output


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_progress_dialog_fits_with_bordered_fields(tmp_path: Path, size: tuple[int, int]) -> None:
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=size) as pilot:
        screen = await open_action_plan(pilot)
        await pilot.press("u")
        assert await handled(pilot, lambda: isinstance(app.screen, ProgressDialog))
        dialog = app.screen
        await settle(pilot)
        whole = Region(0, 0, *size)
        for button in dialog.query(Button):
            assert whole.contains_region(button.region), f"{button.label} is cut off at {size}"
        for box in (*dialog.query(Input), *dialog.query(TextArea)):
            assert box.styles.border_top[0] not in ("", "none", "hidden"), f"{box.id} has no border"
        fields = dialog.query_one(".progress-fields").region
        for _ in range(4):  # date, evidence, grade, impact: each scrolled into view
            await pilot.press("tab")
            await settle(pilot)
            widget = app.focused
            if isinstance(widget, Button):
                break
            assert await wait_until(pilot, lambda w=widget: fields.contains_region(w.region)), widget
        await pilot.press("escape")
        assert await handled(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("keys", [("enter", "ctrl+b"), ("a", "ctrl+b"), ("down", "enter", "ctrl+b")])
async def test_leaving_the_page_while_an_action_is_put_in_the_form_fails_nothing(
    tmp_path: Path, keys: tuple[str, ...]
) -> None:
    """Found by the key storm: Enter on an action (or a new one) then a page change before its fields
    were up left the form looking for a field of a page already taken down."""
    app = EqiaApp(two_actions(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_action_plan(pilot)
        send_keys(pilot, *keys, "ctrl+n", *keys)
        assert await handled(pilot, lambda: screen.accepting_keys)
        await settle(pilot)
        assert app.contained == []
