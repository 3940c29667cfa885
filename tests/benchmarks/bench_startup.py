"""Benchmark: cold start of `eqia edit EA002326` to its first interactive screen, against a bare Textual app.

Run: python tests/benchmarks/bench_startup.py [--rounds 10]
Both run headless in fresh interpreters, side by side, alternating, with a control between
them: the same kinds of Textual widget as eqia's first page, and no eqia code. Each child prints the
wall-clock time at which its first screen is painted and ready for keys (the bare app: one
Static; eqia: the first page of EA002326 with an answer focused) and then exits; the figure
is that time minus the moment the parent started the interpreter. Prints the medians and
eqia's ratio to its control (goal: at most 1.2x the control, median of the rounds, in one run).

Then, in one more fresh interpreter, a scripted run of a copy of EA002326 (Pilot, headless, 100x30):
every page in turn by ctrl+n, then keys typed into a long answer. Prints milliseconds per event: a
page switch, from the key to the new page up with its first answer focused (PageShown); and a
keypress, from the key until the answer shows it, so that later changes can be held to both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
GOAL = 1.2
"""eqia's first page at most this many times its control's (the same widgets, no eqia code)."""

BARE = """
import time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello")

    def on_mount(self):
        self.call_after_refresh(self.ready)

    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Bare().run(headless=True)
"""

# A control, not a goal: the kinds of Textual widget eqia's first page shows (header, a
# sidebar list of 24 sections, a question with a date box and a comment area, a checks
# line, the footer with its keys), with fixed text and no eqia code at all. The gap from
# BARE to WIDGETS is Textual's; the gap from WIDGETS to EQIA is eqia's.
WIDGETS = """
import time
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, OptionList, Static, TextArea

class Widgets(App):
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit"), Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "next", "Next"), Binding("ctrl+b", "back", "Back"),
        Binding("f1", "help", "Help"), Binding("ctrl+e", "preview", "Preview"),
    ]
    CSS = "#sidebar { width: 34; } #content { width: 1fr; }"

    def compose(self):
        yield Header()
        with Horizontal():
            yield OptionList(*[f"\u25cb {n}.1 Section title number {n} of the form" for n in range(24)],
                             id="sidebar")
            with Vertical(id="content"):
                yield Static("", id="banner")
                yield Static("4 Review Date", id="page-title")
                with VerticalScroll():
                    yield Static("When will this assessment be reviewed? (dd/mm/yyyy)")
                    yield Input("31/03/2025", placeholder="dd/mm/yyyy")
                    yield Static("Read as Monday 31 March 2025.")
                    yield Static("Comment (optional)")
                    yield TextArea("", soft_wrap=True)
                yield Static("No problems on this page.")
        yield Footer()

    def on_mount(self):
        self.query_one(Input).focus()
        self.call_after_refresh(self.ready)

    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Widgets().run(headless=True)
"""

EQIA = f"""
import time
from pathlib import Path
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen

class Timed(EqiaApp):
    def on_editor_screen_page_shown(self, message: EditorScreen.PageShown) -> None:
        self.call_after_refresh(self.ready)

    def ready(self):
        print(time.time(), flush=True)
        self.exit()

Timed(Path({str(EXAMPLE)!r})).run(headless=True)
"""


EVENTS = f"""
import asyncio, os, shutil, statistics, tempfile, time
from pathlib import Path
from textual.widgets import TextArea
from eqia.tui.app import EqiaApp
from eqia.tui.screens.editor import EditorScreen

class Timed(EqiaApp):
    shown = 0
    def on_editor_screen_page_shown(self, message):
        self.shown += 1

async def until(pilot, condition):
    while not condition():
        await pilot.pause()

async def main():
    folder = Path(tempfile.mkdtemp())
    os.environ["XDG_STATE_HOME"] = str(folder / "state")
    path = Path(shutil.copy({str(EXAMPLE)!r}, folder / "ea.toml"))
    app = Timed(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.shown)
        screen = app.screen
        seen = app.shown
        screen.show_page(screen.pages[0].id)  # the file opens where it was left: walk from the start
        await until(pilot, lambda: app.shown > seen)
        switches = []
        for _ in range(len(screen.pages) - 1):
            seen = app.shown
            start = time.perf_counter()
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.shown > seen)
            switches.append(time.perf_counter() - start)
        seen = app.shown
        screen.show_page("purpose")  # a long answer: 1 Purpose of the activity
        await until(pilot, lambda: app.shown > seen)
        box = next(b for b in screen.query(TextArea) if not b.read_only and b.has_class("answer"))
        box.move_cursor(box.document.end)
        box.focus()
        await pilot.pause()
        keys = []
        for character in "the service is reviewed every year" * 2:
            before = box.text
            start = time.perf_counter()
            await pilot.press(character if character != " " else "space")
            await until(pilot, lambda: box.text != before)
            keys.append(time.perf_counter() - start)
        print(statistics.mean(switches), len(switches), statistics.mean(keys), len(keys))
    shutil.rmtree(folder)

asyncio.run(main())
"""


# Bytecode as a user has it: pip compiles Textual's on install, and eqia's is written on the
# first run. A shell with PYTHONDONTWRITEBYTECODE would make eqia recompile on every start.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def child(code: str) -> str:
    """What a fresh interpreter running code prints."""
    return subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        timeout=300,
        capture_output=True,
        text=True,
        env=ENV,
    ).stdout


def once(code: str) -> float:
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        timeout=60,
        capture_output=True,
        text=True,
        env=ENV,
    )
    return float(done.stdout.split()[-1]) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    once(BARE), once(WIDGETS), once(EQIA)  # warm the file cache and bytecode
    bare, widgets, eqia = [], [], []
    for _ in range(args.rounds):
        bare.append(once(BARE))
        widgets.append(once(WIDGETS))
        eqia.append(once(EQIA))
    b, w, e = statistics.median(bare), statistics.median(widgets), statistics.median(eqia)
    print(f"bare Textual app, one Static:          {b * 1000:7.1f} ms (median of {args.rounds})")
    print(f"control: eqia's widgets, no eqia code: {w * 1000:7.1f} ms ({w / b:.2f}x bare)")
    print(f"eqia edit EA002326, first page ready:  {e * 1000:7.1f} ms ({e / b:.2f}x bare)")
    print(f"eqia / its control: {e / w:.2f}x (goal <= {GOAL}x) {'OK' if e / w <= GOAL else 'OVER GOAL'}")
    switch, switches, key, keys = (float(x) for x in child(EVENTS).split()[-4:])
    print(f"page switch (ctrl+n to page up):       {switch * 1000:7.1f} ms per event ({switches:.0f} pages)")
    print(f"keypress reaching the answer:          {key * 1000:7.1f} ms per event ({keys:.0f} keys)")


if __name__ == "__main__":
    main()
