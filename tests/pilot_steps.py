"""Keyboard steps a person takes in the app, shared by the Pilot walkthroughs."""

from __future__ import annotations

from textual.widgets import RadioSet


async def settle(pilot, seconds: float = 0.3) -> None:
    """Let typing pause long enough for checks to run, and background workers to finish."""
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 5.0) -> bool:
    """Pause until condition() holds or timeout passes; a slow CI box gets time, a bug still fails."""
    waited = 0.0
    while not condition() and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    return condition()


async def type_text(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def choose(pilot, radios: RadioSet, label: str) -> None:
    """Pick a radio button by keyboard: arrows to it, then enter."""
    labels = [str(b.label) for b in radios.query("RadioButton")]
    radios.focus()
    await pilot.pause()
    for _ in range(len(labels) + 1):
        if radios._selected is not None and labels[radios._selected] == label:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert radios.pressed_button is not None and str(radios.pressed_button.label) == label
