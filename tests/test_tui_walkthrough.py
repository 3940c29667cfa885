"""A whole assessment written in the app by keyboard, from `eqia new` to a file that checks and exports."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pilot_steps import (
    add_action,
    choose,
    handled,
    press_next,
    press_text,
    send_keys,
    settle,
    tab_to,
    type_text,
    wait_until,
)
from textual.widgets import Input, RadioSet, Select, TextArea

from eqia.cli import main
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.widgets.fields import AnswerField

HEADER = {
    "ea_name": "Library hours",
    "directorate": "Place",
    "service_area": "Libraries",
    "summary": "New hours",
    "reference": "EA9001",
    "task_group_manager": "Jo",
    "senior_officer": "Sam",
    "quality_control_officer": "Kim",
}


async def answer_page(pilot, screen: EditorScreen, text: str) -> None:
    """Answer every question on the page: Yes to yes/no questions, text to the rest."""
    done: set[tuple] = set()
    while True:
        fields = [f for f in screen.query(AnswerField) if f.display and f.spec.key not in done]
        if not fields:
            return
        field = fields[0]
        done.add(field.spec.key)
        if field.spec.kind not in ("yes_no", "choice"):
            await type_text(pilot, field.query_one(".answer"), text, reach=tab_to)
            continue
        await choose(pilot, field.query_one(RadioSet), "Yes", reach=tab_to)
        await settle(pilot)
        if pilot.app.screen is not screen:  # "add an action for this characteristic now?" after a Yes
            await pilot.press("escape")  # not now
            assert await handled(pilot, lambda: pilot.app.screen is screen)
            await settle(pilot)


async def next_page(pilot, screen: EditorScreen, expected: str) -> None:
    assert await press_next(pilot, screen) == expected, screen.current


async def test_new_assessment_written_by_keyboard_checks_and_exports(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.3)
    path = tmp_path / "library-hours.toml"
    runner = CliRunner()
    assert runner.invoke(main, ["new", str(path)]).exit_code == 0

    app = EqiaApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EditorScreen) and screen.current == "header"

        for key, value in HEADER.items():  # the name with Pilot.press, a key and an idle app at a time
            field = next(f for f in screen.query(AnswerField) if f.spec.key == ("header", key))
            await (press_text if key == "ea_name" else type_text)(
                pilot, field.query_one(".answer"), value, reach=tab_to
            )
        await next_page(pilot, screen, "activity_type")
        await choose(pilot, screen.query_one(RadioSet), "New Service", reach=tab_to)
        await settle(pilot)

        await next_page(pilot, screen, "purpose")
        await answer_page(pilot, screen, "Later")
        await next_page(pilot, screen, "individuals")
        await answer_page(pilot, screen, "Users")

        await next_page(pilot, screen, "relevance")
        for cid in (
            "age",
            "disability",
            "gender",
            "gender_reassignment",
            "marriage_civil_partnership",
            "pregnancy_maternity",
            "race",
            "religion_belief",
            "sexual_orientation",
        ):
            select = screen.query_one(f"#rel-{cid}", Select)
            await tab_to(pilot, select)
            await pilot.press("enter")  # open the list
            assert await handled(pilot, lambda select=select: select.expanded), cid
            wanted = 3 if cid in ("age", "disability") else 1  # 1 not relevant, 3 full assessment
            send_keys(pilot, *["down"] * wanted, "enter")
            chosen = "full" if wanted == 3 else "not"
            assert await handled(
                pilot, lambda select=select, chosen=chosen: select.value == chosen and not select.expanded
            ), cid
            await settle(pilot)
            if chosen == "not":  # the reason under the choice, required when not relevant
                await type_text(
                    pilot,
                    screen.query_one(f"#reason-{cid}").query_one(Input),
                    "Not affected here",
                    reach=tab_to,
                )
                await settle(pilot)
        assert screen.query_one("#rel-age", Select).value == "full"
        assert screen.query_one("#rel-race", Select).value == "not"
        assert "impact:age" in [p.id for p in screen.pages] and "impact:disability" in [
            p.id for p in screen.pages
        ]
        assert "impact:race" not in [p.id for p in screen.pages]

        await next_page(pilot, screen, "analysis")
        await answer_page(pilot, screen, "Older")
        for page_id in (
            "impact:age",
            "consultation:age",
            "additional_work:age",
            "impact:disability",
            "consultation:disability",
            "additional_work:disability",
        ):
            await next_page(pilot, screen, page_id)
            await answer_page(pilot, screen, "Survey")
        await next_page(pilot, screen, "concluding_statement")
        await answer_page(pilot, screen, "Saturdays")
        await next_page(pilot, screen, "review_date")
        date_input = screen.query_one("Input.date", Input)
        await type_text(pilot, date_input, "31/03/2030", reach=tab_to)

        await next_page(pilot, screen, "action_plan")
        await add_action(
            pilot, screen, {"age", "disability"}, "Print too small for older readers", "Large print"
        )
        await add_action(pilot, screen, {"disability"}, "Steps at the entrance", "A ramp")
        assert isinstance(app.focused, (Input, TextArea))
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not screen.session.dirty, timeout=10)
        assert "A ramp" in path.read_text(encoding="utf-8")

    check = runner.invoke(main, ["check", str(path)])
    assert check.exit_code == 0, check.stdout + check.stderr
    out = tmp_path / "exports"
    export = runner.invoke(main, ["export", str(path), "--format", "all", "--out", str(out), "--jobs", "1"])
    assert export.exit_code == 0, export.stdout + export.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".html", ".md", ".pdf", ".txt"]
    text = next(out.glob("*.txt")).read_text(encoding="utf-8")
    assert "The activity has been identified as a New Service." in text
    assert "3.2 Disability - Assessment Questions" in text
    assert "Responsible officer\tJo" in text
    assert "Protected characteristic(s)\tAge, Disability" in text
