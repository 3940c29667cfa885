"""The sidebar reads like the report's outline: characteristics as groups, open only for the page on
screen, each name on one line (cut with … where it is too long), narrower on a small terminal, the
3.x.1 relevance lines shown and leading to the relevance test; and a relevance test filled in
correctly is not marked as having problems because the characteristics' pages are still empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pilot_steps import focus, handled, settle, type_text
from textual.widgets import Input, Select

from eqia.cli import main
from eqia.files import store
from eqia.tui.app import EqiaApp
from eqia.tui.widgets.sidebar import Sidebar

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"


@pytest.fixture(autouse=True)
def state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, target)
    return target


def drawn(sidebar: Sidebar) -> list[str]:
    """The sidebar's lines as drawn on the screen."""
    return [sidebar.render_line(y).text.rstrip() for y in range(sidebar.size.height)]


async def show(pilot, page_id: str):
    screen = pilot.app.screen
    screen.show_page(page_id)
    assert await handled(pilot, lambda: screen.current == page_id)
    await settle(pilot)
    return screen


async def test_characteristics_are_groups_open_only_for_the_page_on_screen(tmp_path: Path) -> None:
    app = EqiaApp(copy(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show(pilot, "consultation:disability")
        sidebar = screen.query_one(Sidebar)
        labels = sidebar.labels()
        assert "● ▾ 3.2 Disability" in labels
        assert [line for line in labels if line.startswith("●   3.2.")] == [
            "●   3.2.1 Relevance",
            "●   3.2.2 Impact",
            "●   3.2.3 Consultation",
            "●   3.2.4 Additional Work",
        ]
        assert "● ▸ 3.1 Age" in labels and "● ▸ 3.5 Race" in labels
        assert not any("3.1.2" in line or "Age - Impact" in line for line in labels)  # Age is closed
        assert "  2 Initial Assessment" in labels and "  3 Full Assessment" in labels
        assert str(sidebar.get_option_at_index(sidebar.highlighted).prompt) == "●   3.2.3 Consultation"

        await show(pilot, "impact:age")
        labels = sidebar.labels()
        assert "● ▾ 3.1 Age" in labels and "●   3.1.2 Impact" in labels
        assert "● ▸ 3.2 Disability" in labels and "●   3.2.3 Consultation" not in labels


async def test_names_are_cut_not_wrapped_and_the_sidebar_is_narrower_at_80_columns(tmp_path: Path) -> None:
    app = EqiaApp(copy(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show(pilot, "additional_work:religion_belief")
        sidebar = screen.query_one(Sidebar)
        assert sidebar.outer_size.width == 22
        assert sidebar.virtual_size.height == sidebar.option_count  # one line per name
        lines = drawn(sidebar)
        assert "●   3.3.4 Additional…" in lines
        assert "● ▾ 3.3 Religion or …" in lines
        assert not any(line.strip() in ("Impact", "Work", "Belief") for line in lines)
        await pilot.resize_terminal(100, 30)
        assert await handled(pilot, lambda: sidebar.outer_size.width == 28)
        assert await handled(pilot, lambda: "●   3.3.4 Additional Work" in drawn(sidebar))
        assert sidebar.virtual_size.height == sidebar.option_count


async def test_a_relevance_line_goes_to_the_relevance_test_at_that_characteristic(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = EqiaApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show(pilot, "impact:race")
        sidebar = screen.query_one(Sidebar)
        await focus(pilot, sidebar)
        await pilot.press("up")  # from 3.5.2 Impact to 3.5.1 Relevance
        assert await handled(
            pilot,
            lambda: str(sidebar.get_option_at_index(sidebar.highlighted).prompt) == "●   3.5.1 Relevance",
        )
        await pilot.press("enter")
        reason = screen.query_one("#reason-race").query_one(Input)
        assert await handled(pilot, lambda: screen.current == "relevance" and app.focused is reason)
        body = screen.query_one("#page-body")
        assert await handled(pilot, lambda: body.region.contains_region(reason.region))  # scrolled to it
        # The line stays highlighted and its group open while the relevance test is on screen.
        assert str(sidebar.get_option_at_index(sidebar.highlighted).prompt) == "●   3.5.1 Relevance"
        assert "● ▾ 3.5 Race" in sidebar.labels()
        await type_text(pilot, reason, "Providers must serve every ethnic group")
        assert await handled(
            pilot,
            lambda: (
                store.load(path).characteristics["race"].reason == "Providers must serve every ethnic group"
            ),
        )


async def test_a_relevance_test_filled_in_is_complete_while_the_pages_it_adds_are_empty(
    tmp_path: Path,
) -> None:
    """Once filled in correctly, "2.3 Relevance Test" showed `!`: the findings were the empty pages'."""
    path = tmp_path / "new.toml"
    made = CliRunner().invoke(main, ["new", str(path), "--form", "birmingham-ea", "--name", "Libraries"])
    assert made.exit_code == 0, made.output
    app = EqiaApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show(pilot, "relevance")
        sidebar = screen.query_one(Sidebar)
        for select in list(screen.query(Select)):
            select.value = "full"
        assert await handled(pilot, lambda: "● 2.3 Relevance Test" in sidebar.labels())
        await settle(pilot)
        assert "No problems on this page" in str(screen.query_one("#checks").content)
        assert "○ ▸ 3.1 Age" in sidebar.labels()  # not started, not "has problems"
        screen = await show(pilot, "impact:age")
        assert "EQ009" in str(screen.query_one("#checks").content)  # said on the page that is empty
        assert "○   3.1.2 Impact" in sidebar.labels()
