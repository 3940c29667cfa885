"""A key storm: a seeded random stream of keys and pastes through the real app, over every kind of page
of the three shipped forms, checking every 500 keys that nothing typed was lost.

The stream mixes printable text, Unicode (combining marks, emoji joined by a zero-width joiner,
right-to-left text), editing and movement keys, function keys, undo and redo, select-all, page
changes, pastes of several lines, and terminal resizes. At each check the app must still be
running, and after ctrl+s and the save, the file must open and validate, hold exactly what the edit
session holds, and say what every visible field shows.

This module is also the engine of tests/benchmarks/bench_keystorm.py, the long run.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import time
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pilot_steps import workers_done
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Checkbox, RadioSet, Select, SelectionList, TextArea

from eqia.document import dates
from eqia.document.edits import value_at
from eqia.document.keypath import dotted
from eqia.errors import EqiaError
from eqia.files import store
from eqia.files.opening import open_assessment
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.widgets.editing import shown
from eqia.tui.widgets.fields import AnswerField

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml",
    ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
    ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml",
)
CHECK_EVERY = 500
SIZES = ((80, 24), (100, 30), (60, 20), (120, 40), (80, 50))

WORDS = (
    "the", "service", "users", "Age", "disabled", "carers", "review", "2027", "31/03/2027", "1/1/1",
    "café", "naïve", "façade", "Zoë", "e\u0301", "n\u0303", "\U0001f469\u200d\U0001f4bb",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f44d\U0001f3fd", "中文", "שלום", "مرحبا",
    "don't", '"quoted"', "back\\slash", "[table]", "a = 1", "#hash", "\u00ad", "ß", "\u2014",
)  # fmt: skip
EDIT_KEYS = (
    "backspace", "delete", "left", "right", "up", "down", "home", "end", "enter", "tab", "shift+tab",
    "ctrl+w", "ctrl+u", "ctrl+k", "pageup", "pagedown", "ctrl+left", "ctrl+right", "shift+left",
    "shift+right", "shift+home", "shift+end", "escape", "space",
)  # fmt: skip
UNDO_KEYS = ("ctrl+z", "ctrl+y", "f7", "f6", "ctrl+z", "ctrl+z")
PAGE_KEYS = ("ctrl+n", "ctrl+b")
RARE_KEYS = ("f1", "ctrl+r", "f2", "ctrl+s")
PASTES = (
    "Pasted line",
    "first line\nsecond line\n\nthird after a blank",
    "windows\r\nline ends\r\n",
    "tab\tseparated\tvalues",
    "line\u2028separator and\u2029paragraph",
    "\U0001f469\u200d\U0001f467 family and e\u0301",
    "a long paste " * 40,
    "",
    "\n",
    "bell\x07 and null\x00 and escape\x1b[0m",
)


@dataclass
class Tally:
    """What a storm found."""

    seed: int
    keys: int = 0
    checks: int = 0
    exits: int = 0
    """Times the app stopped running (a crash it could not contain)."""
    contained: int = 0
    """Failures inside the app that it contained and kept running through."""
    unparseable: int = 0
    mismatches: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def fail(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.problems.append(f"seed {self.seed}, after {self.keys} keys: {kind}: {text}")

    @property
    def clean(self) -> bool:
        return not (self.exits or self.contained or self.unparseable or self.mismatches)


def editor(app: EqiaApp) -> EditorScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, EditorScreen)), None)


def pages_by_kind(screen: EditorScreen) -> list[str]:
    """One page of each kind (and one with a repeating group), in the walkthrough's order."""
    chosen: dict[str, str] = {}
    for page in screen.pages:
        kind = page.kind
        section = page.section
        if section is not None and any(q.kind == "repeat" for q in section.questions):
            kind = "repeat"
        chosen.setdefault(kind, page.id)
    return list(chosen.values())


def key_event(key: str) -> events.Key:
    """A named key (ctrl+z, f7, backspace) as Pilot.press makes it."""
    original = REPLACED_KEYS.get(key, key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def typed_events(text: str) -> list[events.Key]:
    """Characters as a terminal sends them: each with its own key name (Pilot.press cannot send a
    character whose Unicode name has several words, such as the zero-width joiner)."""
    return [events.Key(_character_to_key(character), character) for character in text]


BURST = 8
"""At most this many actions reach the app before it is let catch up (a fast typist, a busy app)."""
MIX = {"type": 50, "edit": 24, "undo": 10, "page": 6, "paste": 5, "rare": 3, "wait": 1, "resize": 1}
"""How often each kind of action comes in the storm (relative weights)."""
QUICK_MIX = {**MIX, "page": 2, "rare": 1}
"""For the storm in the test suite: page changes cost a page's build (a third of a second), so
fewer of them, and as many keys in the time."""


async def send(
    pilot, rng: random.Random, screen: EditorScreen, wait_until: Callable, mix: dict[str, int]
) -> int:
    """A few random actions, posted as a terminal delivers them (bursts of keys, a paste, a resize),
    then a wait for the app to be idle; returns how many keys they were."""
    keys = 0
    kinds, weights = list(mix), list(mix.values())
    for _ in range(rng.randint(1, BURST)):
        keys += await _act(pilot, rng, rng.choices(kinds, weights)[0], screen, wait_until)
    await pilot.pause()
    return keys


async def _act(pilot, rng: random.Random, kind: str, screen: EditorScreen, wait_until: Callable) -> int:
    """One action of a kind; returns how many keys it was."""
    app = pilot.app
    if kind == "type":  # a word or a few letters, as one burst
        text = rng.choice(WORDS) if rng.random() < 0.6 else "".join(rng.choices("abcdefxyzu AR123,.", k=4))
        burst = typed_events(text + (" " if rng.random() < 0.5 else ""))
    elif kind == "edit":
        burst = [key_event(k) for k in rng.choices(EDIT_KEYS, k=rng.randint(1, 3))]
    elif kind == "undo":
        burst = [key_event(rng.choice(UNDO_KEYS))]
    elif kind == "page":
        burst = [key_event(k) for k in rng.choices(PAGE_KEYS, k=rng.randint(1, 2))]
        if rng.random() < 0.5:  # and type straight on, before the page is up
            burst += typed_events(rng.choice(WORDS))
    elif kind == "paste":
        app.post_message(events.Paste(rng.choice(PASTES)))
        return 1
    elif kind == "rare":
        burst = [key_event(rng.choice(RARE_KEYS))]
    elif kind == "wait":  # a pause long enough for the autosave
        await wait_until(pilot, lambda: not screen.session.dirty, timeout=5)
        return 0
    else:
        await pilot.resize_terminal(*rng.choice(SIZES))
        return 0
    for event in burst:
        app.post_message(event)
    return len(burst)


async def back_to_editor(pilot, screen: EditorScreen) -> None:
    """Close dialogs, the preview and open drop-downs with escape, as a person would."""
    for _ in range(12):
        expanded = any(s.expanded for s in screen.query(Select))
        if pilot.app.screen is screen and not expanded:
            return
        await pilot.press("escape")
    raise AssertionError(f"escape does not get back to the editor from {pilot.app.screen!r}")


def as_kept(value: Any) -> str:
    """A text value as the file keeps it: only spaces and line breaks say nothing, so they are left out
    (eqia.document.model.is_blank), like no value at all."""
    text = "" if value is None else str(value)
    return text if text.strip() else ""


def _shown_value(widget: Any) -> Any:
    if isinstance(widget, RadioSet):
        return str(widget.pressed_button.label) if widget.pressed_button is not None else None
    if isinstance(widget, TextArea):
        return widget.text
    return widget.value


def field_mismatches(screen: EditorScreen, saved: Any) -> list[str]:
    """Every visible field whose shown value is not what the saved file says at its key path."""
    out = []
    for f in screen.query(AnswerField):
        if not shown(f):
            continue
        answer = f.query(".answer").first()
        key = f.spec.answer_key
        now, kept = _shown_value(answer), saved.unparsed.get(dotted(key))
        on_disk = value_at(saved, key)
        if f.spec.kind == "date" and now.strip():
            try:
                read = dates.parse(now, f.spec.date_format)
            except ValueError:
                read = None
            ok = kept == now if read is None else (on_disk == read and kept is None)
        elif f.spec.kind in ("choice", "yes_no"):
            ok = now == on_disk
        else:
            ok = as_kept(now) == as_kept(on_disk)
        if not ok:
            out.append(f"{dotted(key)} shows {now!r}, the file says {on_disk!r} (kept as typed: {kept!r})")
        if f.spec.comment:
            comment = f.query_one(".comment", TextArea).text
            on_disk = value_at(saved, f.spec.comment_key)
            if as_kept(comment) != as_kept(on_disk):
                out.append(f"{dotted(f.spec.comment_key)} shows {comment!r}, the file says {on_disk!r}")
    for select in screen.query(Select):  # the relevance test
        if not (select.id or "").startswith("rel-"):
            continue
        cid = (select.id or "").removeprefix("rel-")
        if True:
            from eqia.tui.pages.relevance import choice_of  # deferred as the app defers it

            if select.value != choice_of(saved, cid):
                out.append(
                    f"relevance of {cid} shows {select.value!r}, the file says {choice_of(saved, cid)!r}"
                )
    for box in screen.query(Checkbox):  # optional groups and sections
        oid = (box.id or "").removeprefix("opt-")
        if box.id != oid and box.value != (oid in saved.include):
            out.append(f"option {oid} shows {box.value}, the file says {oid in saved.include}")
    for chooser in screen.query(SelectionList):  # an action's characteristics
        plan = screen.page_view()
        index = getattr(plan, "current", None)
        if index is not None and index < len(saved.actions):
            chosen = set(chooser.selected)
            said = saved.actions[index].characteristics
            if chosen != set(said):
                out.append(f"action {index + 1} shows {sorted(chosen)}, the file says {said}")
    return out


def same_on_disk(screen: EditorScreen, path: Path) -> bool:
    session = screen.session
    return not session.dirty and path.read_text(encoding="utf-8") == store.dumps(
        session.assessment, session.form, session.file.text
    )


async def check(pilot, path: Path, tally: Tally, wait_until: Callable) -> None:
    """Still running; after ctrl+s the file opens, holds what the session holds and what is shown."""
    app = pilot.app
    tally.checks += 1
    if len(app.contained) > tally.contained:
        for details in app.contained[tally.contained :]:
            tally.contained += 1
            tally.problems.append(f"seed {tally.seed}, after {tally.keys} keys: contained: {details}")
    screen = editor(app)
    if not app.is_running:
        tally.fail("exits", f"the app stopped (return code {app.return_code})")
        return
    if screen is None:
        stack = [type(s).__name__ for s in app.screen_stack]
        tally.fail("exits", f"the editing screen was closed under the app (screens: {stack})")
        return
    await back_to_editor(pilot, screen)
    await pilot.press("ctrl+s")
    await workers_done(pilot)
    if not await wait_until(pilot, lambda: same_on_disk(screen, path), timeout=15):
        tally.fail("mismatches", f"the file is not what the session holds (dirty={screen.session.dirty})")
        return
    try:
        saved = open_assessment(path).assessment
    except EqiaError as exc:
        tally.fail("unparseable", str(exc))
        return
    for problem in field_mismatches(screen, saved):
        tally.fail("mismatches", problem)


async def storm(
    path: Path, seed: int, keys: int, wait_until: Callable, *, size=(80, 24), mix: dict[str, int] = MIX
) -> Tally:
    """Drive one app over one file with `keys` random keys from `seed`, checking as it goes."""
    rng = random.Random(seed)
    tally = Tally(seed)
    started = time.perf_counter()
    app = EqiaApp(path)
    try:
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen))
            screen = editor(app)
            assert screen is not None
            tour = pages_by_kind(screen)
            for stretch in range(keys // CHECK_EVERY + 1):
                # each stretch of the storm starts on another kind of page, then goes where keys take it
                await back_to_editor(pilot, screen)
                page = tour[stretch % len(tour)]
                if page in {p.id for p in screen.pages}:
                    screen.show_page(page)
                    await workers_done(pilot)
                end = min(keys, (stretch + 1) * CHECK_EVERY)
                while tally.keys < end and app.is_running:
                    tally.keys += await send(pilot, rng, screen, wait_until, mix)
                await check(pilot, path, tally, wait_until)
                if tally.keys >= keys or not app.is_running:
                    break
            await check(pilot, path, tally, wait_until)
    except (Exception, asyncio.CancelledError) as exc:  # the app ended with a failure (run_test raises it)
        if not app.contained and not tally.exits:
            tally.fail("exits", "".join(traceback.format_exception(app._exception or exc)))
    tally.seconds = time.perf_counter() - started
    return tally


@pytest.fixture(autouse=True)
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)  # an export from the storm's keys would land here


@pytest.mark.parametrize("source", FILES, ids=lambda p: p.stem.split("-")[0] + "-" + p.stem.split("-")[1])
async def test_a_key_storm_loses_nothing(tmp_path: Path, source: Path) -> None:
    from pilot_steps import wait_until

    path = tmp_path / source.name
    shutil.copy(source, path)
    seed = 1000 + FILES.index(source)
    tally = await storm(path, seed, 800, wait_until, mix=QUICK_MIX)
    assert tally.clean, f"key storm seed {seed}:\n" + "\n".join(tally.problems[:20])
    assert tally.checks >= 2
