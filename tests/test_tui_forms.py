"""Each shipped form, written through the app by keyboard from `eqia new` to a file that checks and exports.

The walk is the same for every form: it reads the page kinds, not the form's wording, so a form
only passes if the app drives it as data (grids per aim, optional groups, repeating rows).
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from pilot_steps import (
    add_action,
    choose,
    handled,
    press_next,
    send_keys,
    settle,
    tab_to,
    type_text,
    wait_until,
)
from textual.widgets import Checkbox, Input, RadioSet, Select

from eqia.cli import main
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.widgets.fields import AnswerField
from eqia.tui.widgets.repeat import RepeatField, RowTable


async def answer_fields(pilot, screen: EditorScreen, words: str) -> None:
    """Answer every shown field by keyboard: Yes to yes/no, the last option of a choice, a date, or words.
    (The first option of psed-england's outcome, "No major change", contradicts a Yes to disadvantage.)"""
    done: set[tuple] = set()
    while True:
        fields = [f for f in screen.query(AnswerField) if f.display and f.spec.key not in done and _shown(f)]
        if not fields:
            return
        field = fields[0]
        done.add(field.spec.key)
        kind = field.spec.kind
        if not field.spec.required and kind == "date":
            continue
        if kind == "date":
            await type_text(pilot, field.query_one(Input), "31/03/2027", reach=tab_to)
        elif kind not in ("yes_no", "choice"):
            await type_text(pilot, field.query_one(".answer"), words, reach=tab_to)
        else:
            await choose(
                pilot,
                field.query_one(RadioSet),
                "Yes" if kind == "yes_no" else field.spec.options[-1],
                reach=tab_to,
            )
            await settle(pilot)
            if pilot.app.screen is not screen:  # "add an action for this characteristic now?" after a Yes
                await pilot.press("escape")  # not now
                assert await handled(pilot, lambda: pilot.app.screen is screen)
                await settle(pilot)


def _shown(field: AnswerField) -> bool:
    node = field.parent
    while node is not None:
        if not node.display:
            return False
        node = node.parent
    return True


async def walk(pilot, screen: EditorScreen, full: set[str], switch_on: set[str]) -> dict[str, list[str]]:
    """Every page in order by ctrl+n, answered by its kind. Returns the grid items seen per page."""
    grids: dict[str, list[str]] = {}
    seen: list[str] = []
    while True:
        page = screen.page()
        seen.append(page.id)
        if page.kind == "header":
            await answer_fields(pilot, screen, "Example")
        elif page.kind == "activity_type":
            await choose(pilot, screen.query_one(RadioSet), screen.session.form.activity_types[0].value)
            await settle(pilot)
        elif page.kind == "options":
            for oid in sorted(switch_on):
                await tab_to(pilot, screen.query_one(f"#opt-{oid}", Checkbox))
                await pilot.press("enter")
                await handled(pilot, lambda oid=oid: screen.query_one(f"#opt-{oid}", Checkbox).value)
                await settle(pilot)
                assert screen.query_one(f"#opt-{oid}", Checkbox).value
        elif page.kind == "relevance":
            for select in list(screen.query(Select)):
                cid = (select.id or "").removeprefix("rel-")
                await tab_to(pilot, select)
                await pilot.press("enter")
                assert await handled(pilot, lambda select=select: select.expanded), cid
                send_keys(pilot, *["down"] * (3 if cid in full else 1), "enter")
                chosen = "full" if cid in full else "not"
                assert await handled(
                    pilot, lambda select=select, chosen=chosen: select.value == chosen and not select.expanded
                ), cid
                await settle(pilot)
                if chosen == "not":  # the reason under the choice, required when not relevant
                    await type_text(
                        pilot,
                        screen.query_one(f"#reason-{cid}").query_one(Input),
                        "Not affected",
                        reach=tab_to,
                    )
                    await settle(pilot)
        elif page.kind == "action_plan":
            await add_action(pilot, screen, full, "Print too small", "Large print")
            await add_action(pilot, screen, {sorted(full)[0]}, "Opening hours", "Later evenings")
            assert len(screen.session.assessment.actions) == 2
        else:
            grids[page.id] = [  # per-item answers: characteristics.<id>.answers.<question>.<item>
                str(f.spec.key[-1])
                for f in screen.query(AnswerField)
                if f.spec.key[0] == "characteristics" and len(f.spec.key) == 5
            ]
            for repeat in screen.query(RepeatField):
                # the first row, then a second one added in its table (a), so that rows are really repeated
                await answer_fields(pilot, screen, "Because")
                await tab_to(pilot, repeat.query_one(RowTable))
                await pilot.press("a")
                await handled(pilot, lambda repeat=repeat: len(repeat.query(".repeat-row")) == 2)
                await settle(pilot)
                assert repeat.query_one(RowTable).row_count == 2
            await answer_fields(pilot, screen, "Because")
        if page.id == screen.pages[-1].id:
            break
        await press_next(pilot, screen)  # fails if ctrl+n did not leave the page
        assert screen.current != seen[-1], f"ctrl+n did not leave {seen[-1]}"
    return grids


async def write_through_app(tmp_path: Path, form_id: str, full: set[str], switch_on: set[str]):
    path = tmp_path / f"{form_id}.toml"
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(path), "--form", form_id, "--name", "Library hours"])
    assert made.exit_code == 0, made.output
    app = EqiaApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        grids = await walk(pilot, screen, full, switch_on)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not screen.session.dirty, timeout=10)
        assert "Because" in path.read_text(encoding="utf-8")
    return path, grids


def check_and_export(tmp_path: Path, path: Path) -> str:
    runner = CliRunner()
    check = runner.invoke(main, ["check", str(path)])
    assert check.exit_code == 0, check.output
    out = tmp_path / "exports"
    export = runner.invoke(main, ["export", str(path), "--format", "all", "--out", str(out), "--jobs", "1"])
    assert export.exit_code == 0, export.output
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".html", ".md", ".pdf", ".txt"]
    return next(out.glob("*.txt")).read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The text of one characteristic's section 3.N, up to the next 3.N heading."""
    match = re.search(rf"^3\.(\d+) {re.escape(title)}$(.*?)(?=^3\.\d+ )", text, re.M | re.S)
    assert match, f"no section 3.N {title}"
    return match.group(2)


async def test_psed_england_written_in_the_app(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    full = {"age", "marriage_civil_partnership", "carers"}
    path, grids = await write_through_app(tmp_path, "psed-england", full, {"carers", "human_rights"})

    aims = ["eliminate", "advance", "foster"]
    grid_pages = {page: items for page, items in grids.items() if items}
    assert grid_pages, "no aims grid was shown"
    by_char = {page.split(":")[1]: items for page, items in grid_pages.items()}
    assert by_char["age"] == aims
    assert by_char["carers"] == aims
    assert by_char["marriage_civil_partnership"] == ["eliminate"]  # s149(7): the first aim only

    text = check_and_export(tmp_path, path)
    data = path.read_text(encoding="utf-8")
    assert 'include = ["carers", "human_rights"]' in data
    assert "[[answers.evidence_used.rows]]" in data or ".rows]]" in data
    assert "Carers" in text and "Human rights" in text
    age, mcp = section(text, "Age"), section(text, "Marriage and civil partnership")
    assert "Eliminate unlawful discrimination" in age and "Advance equality of opportunity" in age
    assert "Eliminate unlawful discrimination" in mcp
    assert "Advance equality of opportunity" not in mcp and "Foster good relations" not in mcp


async def test_nhs_ehia_written_in_the_app(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    full = {"disability", "inclusion_health"}
    path, grids = await write_through_app(tmp_path, "nhs-ehia", full, set())

    grid_pages = {page.split(":")[1]: items for page, items in grids.items() if items and ":" in page}
    assert grid_pages["disability"] == ["access", "experience", "outcomes"]
    assert grid_pages["inclusion_health"] == ["access", "experience", "outcomes"]

    text = check_and_export(tmp_path, path)
    data = path.read_text(encoding="utf-8")
    assert "[[characteristics.inclusion_health.answers.inclusion_groups.rows]]" in data
    rows = text.split("Which inclusion health groups will the")[1][:600]
    assert "Other" in rows  # the rows' last choice, as a table
