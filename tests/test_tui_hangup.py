"""A dropped SSH session: the real `eqia edit` in a pseudo-terminal gets SIGHUP mid-typing."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest
from pilot_steps import click, settle, wait_until

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP is a POSIX signal")

NO_AUTOSAVE = (
    "import eqia.tui.screens.editor as editor; editor.AUTOSAVE_SECONDS = 3600; "
    "from eqia.cli import main; main()"
)
"""`eqia` with its autosave an hour away: what is typed reaches the file only if a save is asked for."""
PAGE_UP = b"3.6 Concluding Statement on Full Assessment"
"""The page's title, which the sidebar (where the title wraps) never draws in one piece."""
UNSAVED = "Commissioning Strategy \u2022".encode()
"""The title bar's mark for changes not saved yet: the app has taken what was typed."""


class Terminal:
    """A pseudo-terminal running a command, with everything it prints collected."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.master = master
        self.output = b""
        self.closed = False
        self._arrived = threading.Condition()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
        )
        os.close(slave)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self._arrived:
                self.output += chunk
                self.closed = not chunk
                self._arrived.notify_all()
            if not chunk:
                return

    def wait_for(self, text: bytes, timeout: float = 30) -> None:
        """Wait until the program has drawn text; fail if it exits or the timeout (a ceiling) passes."""
        with self._arrived:
            self._arrived.wait_for(lambda: text in self.output or self.closed, timeout)
            if text not in self.output:
                raise AssertionError(f"{text!r} never appeared on the terminal")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)


def test_hangup_keeps_what_was_typed(tmp_path: Path) -> None:
    path = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, path)
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "COLUMNS": "100",
    }
    term = Terminal([sys.executable, "-m", "eqia", "edit", str(path)], env)
    try:
        term.wait_for(b"Review Date")
        term.type(b"\x02")  # ctrl+b: back to the concluding statement, a long answer
        term.wait_for(PAGE_UP)  # back on the page: keys typed before its answer is up wait for it
        term.type(b"HANGUPTEST")
        term.wait_for(UNSAVED)  # typed, not saved: well inside the autosave delay
        os.kill(term.process.pid, signal.SIGHUP)
        term.process.wait(timeout=20)
    finally:
        if term.process.poll() is None:
            term.process.kill()
    recovery = path.with_name(f".{path.name}.eqia-recovery")
    kept = (recovery.read_text(encoding="utf-8") if recovery.exists() else "") + path.read_text(
        encoding="utf-8"
    )
    assert "HANGUPTEST" in kept
    assert b"Traceback" not in term.output


async def test_reopening_after_a_kill_offers_the_recovered_text(tmp_path: Path) -> None:
    from eqia.tui.app import EqiaApp
    from eqia.tui.screens.dialogs import ChoiceDialog

    path = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, path)
    env = {**os.environ, "TERM": "xterm-256color", "XDG_STATE_HOME": str(tmp_path / "state")}
    term = Terminal([sys.executable, "-c", NO_AUTOSAVE, "edit", str(path)], env)
    try:
        term.wait_for(b"Review Date")
        term.type(b"\x02")
        term.wait_for(PAGE_UP)
        term.type(b"RECOVERME")
        term.wait_for(UNSAVED)
        os.kill(term.process.pid, signal.SIGTERM)  # killed mid-edit, before any save
        term.process.wait(timeout=20)
    finally:
        if term.process.poll() is None:
            term.process.kill()
    # Nothing saved the file (its autosave is an hour away): what was typed is only in the recovery copy.
    assert "RECOVERME" not in path.read_text(encoding="utf-8")
    app = EqiaApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog), timeout=10)
        assert app.screen.dialog_title == "Unsaved changes found"
        await click(pilot, "#choice-restore")
        assert await wait_until(pilot, lambda: not isinstance(app.screen, ChoiceDialog))
        await settle(pilot)
        editor = app.screen_stack[-1]
        assert "RECOVERME" in editor.session.assessment.value("concluding_statement")
