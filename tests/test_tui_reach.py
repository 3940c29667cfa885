"""Every field of every kind of page can be reached with Tab at 80x24, and is on screen when it has the
focus: the page scrolls to it, nothing the user can type into is below the fold or behind another
widget. One page of each shape (header, activity type, options, relevance, action plan, and each
section's questions for the first characteristic) of the three shipped forms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot_steps import wait_until, workers_done
from textual.widget import Widget

from eqia.files.opening import open_assessment
from eqia.tui.app import EqiaApp
from eqia.usecases.pages import pages

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "birmingham-ea": ROOT / "assessments" / "EA002401-care-at-home-review.toml",
    "psed-england": ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
    "nhs-ehia": ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml",
}
SIZE = (80, 24)
MAX_STOPS = 120
"""A ceiling on Tab stops per page: a focus chain longer than this is a bug of its own."""


@pytest.fixture(autouse=True)
def quiet_saves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def page_shapes(path: Path) -> list[str]:
    """One page of each shape: each page kind, and each section's questions once (characteristic
    sections only for their first characteristic)."""
    opened = open_assessment(path)
    chosen: list[str] = []
    seen: set[str] = set()
    for page in pages(opened.form, opened.assessment):
        shape = page.kind if page.section is None else f"{page.kind}:{page.section.id}"
        if shape not in seen:
            seen.add(shape)
            chosen.append(page.id)
    return chosen


def on_screen(screen, widget: Widget) -> str | None:
    """Why a focused widget cannot be seen, or None when it can: it must lie inside the page's
    scrolling body (all of it when it fits, its top rows when it is taller than the body)."""
    body = screen.query_one("#page-body")
    if widget not in screen._compositor.visible_widgets:
        return f"not drawn at all (at {widget.region}, page scrolled to {body.scroll_y}, {body.region})"
    region = widget.region
    view = body.region
    if region.height <= view.height and region.width <= view.width:
        if not view.contains_region(region):
            return f"at {region}, outside the page's visible area {view}"
    elif not view.contains_point(region.offset) and region.y < view.y:
        return f"its top at {region.offset} is above the page's visible area {view}"
    elif region.y >= view.bottom:
        return f"at {region}, below the page's visible area {view}"
    return None


def scrolls_ended(widget: Widget) -> bool:
    """Whether every container round a widget has come to rest (an animated scroll can stop a hair
    short of its target: within half a line is at rest)."""
    return all(
        abs(node.scroll_y - node.scroll_target_y) < 0.5
        for node in widget.ancestors
        if isinstance(node, Widget)
    )


async def tab_through(pilot, page_id: str) -> list[str]:
    """Show a page, then Tab from its first field until the focus leaves the page or comes back round;
    return what could not be seen."""
    screen = pilot.app.screen
    screen.show_page(page_id)
    assert await wait_until(pilot, lambda: screen.page().id == page_id and screen.accepting_keys, 30)
    await workers_done(pilot)
    await pilot.pause()
    body = screen.query_one("#page-body")
    problems: list[str] = []
    seen: list[Widget] = []
    for _ in range(MAX_STOPS):
        focused = pilot.app.focused
        if focused is None or focused in seen or body not in focused.ancestors:
            break
        seen.append(focused)
        # Textual scrolls the focused widget into view, smoothly: look once every scroll has ended.
        assert await wait_until(pilot, lambda f=focused: scrolls_ended(f), 30), [
            (n, n.scroll_y, n.scroll_target_y) for n in focused.ancestors if isinstance(n, Widget)
        ]
        # and drawn where it came to rest (a loaded machine redraws late: a field that is really out
        # of sight stays out of sight, however long we look)
        if not await wait_until(pilot, lambda f=focused: on_screen(screen, f) is None, 5):
            problems.append(f"{page_id}: {focused!r} {on_screen(screen, focused)}")
        await pilot.press("tab")
        await pilot.pause()
    else:
        problems.append(f"{page_id}: more than {MAX_STOPS} Tab stops")
    if not seen:
        problems.append(f"{page_id}: nothing on the page has the focus when it is shown")
    return problems


@pytest.mark.parametrize("form", sorted(EXAMPLES))
async def test_every_field_is_reachable_and_visible_at_80x24(form: str, tmp_path: Path) -> None:
    path = tmp_path / "ea.toml"
    shutil.copy(EXAMPLES[form], path)
    app = EqiaApp(path)
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: getattr(app.screen, "accepting_keys", False), 30)
        for page_id in page_shapes(path):
            problems += await tab_through(pilot, page_id)
    assert not problems, "\n".join(problems)
