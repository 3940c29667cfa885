"""Keyboard steps a person takes in the app, shared by the Pilot walkthroughs.

Each step waits for what the next one needs (the box showing what was typed, the next page mounted,
a dialog gone, the file saved), never for a fixed time: a fast machine goes at its own pace, a slow
one gets as long as it needs, and only a bug reaches a timeout.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input, RadioSet, SelectionList, TextArea
from textual.worker import WorkerCancelled

LOOK_SECONDS = 0.05
"""wait_until looks at least timeout / LOOK_SECONDS times before it gives up."""
MESSAGE_ROUNDS = 50
"""A ceiling on how many rounds of messages (each handler posting the next) `quiet` waits through."""


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 5.0) -> bool:
    """Let the app run, a refresh at a time, until condition() holds; returns whether it holds.
    The timeout is only a ceiling for a bug: it gives up after `timeout` seconds and no fewer than
    one look per LOOK_SECONDS of it, so a loaded CI box, where every refresh is slow, is not cut short."""
    end = time.monotonic() + timeout
    looks = 0
    while not condition():
        if time.monotonic() > end and looks * LOOK_SECONDS >= timeout:
            return bool(condition())
        await pilot.pause()
        looks += 1
    return True


def _nothing_queued(pilot) -> bool:
    nodes = (pilot.app, *pilot.app.screen.walk_children(with_self=True))
    return all(node._message_queue.empty() for node in nodes)


async def quiet(pilot) -> None:
    """Let the app handle every message it has queued, and the messages those handlers post in turn
    (a key, then the widget's Changed bubbling up to the screen), until nothing is queued; no time
    passes for its own sake and nothing is redrawn."""
    for _ in range(MESSAGE_ROUNDS):
        await pilot._wait_for_screen()
        if _nothing_queued(pilot):
            return
    await pilot.pause()


async def handled(pilot, condition: Callable[[], object], timeout: float = 10.0) -> bool:
    """Wait until condition() holds for what follows from keys or messages the app was sent: first
    the app handles everything queued (quiet), which is all a key's effect on a widget or the session
    needs; if the condition still does not hold (a worker, a timer, a layout), wait_until."""
    if condition():
        return True
    await quiet(pilot)
    return await wait_until(pilot, condition, timeout)


async def settle(pilot) -> None:
    """Let the app finish what the last key started: its messages and theirs (a choice's Yes asking
    about the action plan), its workers (a page being mounted, a save, the recovery copy), and the
    messages those sent."""
    await quiet(pilot)
    await workers_done(pilot)
    await quiet(pilot)


async def workers_done(pilot) -> None:
    """Wait for the app's workers to end, however they end: one cancelled on purpose (an autosave
    overtaken by a later one) is as finished as one that completed."""
    for _ in range(MESSAGE_ROUNDS):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def focus(pilot, widget) -> None:
    widget.focus()
    assert await handled(pilot, lambda: widget.has_focus), f"{widget!r} never took the focus"


TAB_STOPS = 80
"""tab_to gives up after this many presses: a field further than that is not reachable in practice."""


async def tab_to(pilot, widget) -> None:
    """Reach a widget as a keyboard user does: Tab until it has the focus (round the page, the sidebar
    and back if it is behind the focus). Fails if Tab never gets there."""
    for _ in range(TAB_STOPS):
        if widget.has_focus:
            return
        send_keys(pilot, "tab")  # handled at once (quiet), without Pilot.press's wait for an idle screen
        await quiet(pilot)
    assert widget.has_focus, f"Tab never reached {widget!r} (the focus is on {pilot.app.focused!r})"


def shown_text(widget) -> str:
    """What an answer box shows: an Input's value or a TextArea's text."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    raise TypeError(f"not a text box: {widget!r}")


def send_keys(pilot, *keys: str) -> None:
    """Press keys in one burst: the Key events Pilot.press makes (same names, same characters), sent to
    the app in order, without the idle wait Pilot.press takes after every key. The caller waits for
    what the keys should do instead."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)


async def press_text(pilot, widget, text: str, *, reach=focus) -> None:
    """Type text into widget with Pilot.press: a key at a time, the app idle before the next."""
    await reach(pilot, widget)
    await pilot.press(*text)
    shown = await handled(pilot, lambda: text in shown_text(widget))
    assert shown, f"typed {text!r}, the box shows {shown_text(widget)!r}"


async def type_text(pilot, widget, text: str, *, reach=focus) -> None:
    """Type text into widget by keyboard, a key per character as a fast typist would (send_keys),
    then wait until the box shows it. `reach` puts the focus in it (tab_to: by Tab, as a user does)."""
    await reach(pilot, widget)
    send_keys(pilot, *text)
    shown = await handled(pilot, lambda: text in shown_text(widget))
    assert shown, f"typed {text!r}, the box shows {shown_text(widget)!r}"


async def click(pilot, selector: str) -> None:
    """Click a widget of the screen on top once it is drawn (it has a place on the screen)."""

    def drawn() -> bool:
        found = pilot.app.screen.query(selector)
        return bool(found) and bool(found.first().region)

    assert await handled(pilot, drawn), f"{selector} is not on the screen"
    await pilot.click(selector)


async def press_next(pilot, screen) -> str:
    """ctrl+n, then wait until another page is on screen with its widgets mounted; returns its id."""
    before = screen.current
    await pilot.press("ctrl+n")
    assert await handled(pilot, lambda: screen.current != before), f"ctrl+n did not leave {before}"
    await settle(pilot)
    return screen.current


async def choose(pilot, radios: RadioSet, label: str, *, reach=focus) -> None:
    """Pick a radio button by keyboard: arrows to it, then enter. Right moves to the next option both
    in a question's options and in a row of a grid (where down goes to the item below)."""
    labels = [str(b.label) for b in radios.query("RadioButton")]
    await reach(pilot, radios)
    for _ in range(len(labels) + 1):
        before = radios._selected
        if before is not None and labels[before] == label:
            break
        send_keys(pilot, "right")
        moved = await handled(pilot, lambda before=before: radios._selected != before)
        assert moved, f"right did not move from {before} in {labels}"
    send_keys(pilot, "enter")
    picked = await handled(
        pilot, lambda: radios.pressed_button is not None and str(radios.pressed_button.label) == label
    )
    assert picked, f"{label!r} was not picked"


async def add_action(pilot, screen, characteristics: set[str], issue: str, action: str) -> None:
    """Add an action by keyboard: Tab to "Add action" and Enter, tick its characteristics in the list
    with the arrows and space, then Tab to each field it needs and type."""
    before = len(screen.session.assessment.actions)
    await tab_to(pilot, screen.query_one("#add-action"))
    await pilot.press("enter")
    assert await handled(pilot, lambda: len(screen.session.assessment.actions) == before + 1)
    await settle(pilot)
    chooser = screen.query_one(SelectionList)
    await tab_to(pilot, chooser)
    for index in range(chooser.option_count):
        if chooser.get_option_at_index(index).value in characteristics:
            for _ in range(chooser.option_count):
                if chooser.highlighted == index:
                    break
                await pilot.press("down" if (chooser.highlighted or 0) < index else "up")
            assert chooser.highlighted == index
            await pilot.press("space")
    chosen = await handled(pilot, lambda: set(chooser.selected) == characteristics)
    assert chosen, chooser.selected
    await settle(pilot)
    for name, value in (("issue", issue), ("action", action), ("owner", "Jo"), ("target_date", "30/06/2027")):
        field = next(f for f in screen.query("AnswerField") if f.spec.key[-1] == name)
        await type_text(pilot, field.query_one(".answer"), value, reach=tab_to)
    await settle(pilot)
