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
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="SIGHUP is a POSIX signal")


class Terminal:
    """A pseudo-terminal running a command, with everything it prints collected."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.master = master
        self.output = b""
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
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never appeared on the terminal")
            time.sleep(0.05)

    def type(self, keys: bytes) -> None:
        for key in keys:
            os.write(self.master, bytes([key]))
            time.sleep(0.02)


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
        term.wait_for(b"The aims of the draft")  # the long answer is on screen, focused
        time.sleep(0.5)
        term.type(b"HANGUPTEST")
        time.sleep(0.1)  # well inside the autosave delay
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
    term = Terminal([sys.executable, "-m", "eqia", "edit", str(path)], env)
    try:
        term.wait_for(b"Review Date")
        term.type(b"\x02")
        term.wait_for(b"The aims of the draft")
        time.sleep(0.5)
        term.type(b"RECOVERME")
        time.sleep(0.1)
        os.kill(term.process.pid, signal.SIGTERM)  # killed mid-edit, before the autosave
        term.process.wait(timeout=20)
    finally:
        if term.process.poll() is None:
            term.process.kill()
    if "RECOVERME" in path.read_text(encoding="utf-8"):
        pytest.skip("the autosave won the race on this machine; nothing to recover")
    app = EqiaApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, ChoiceDialog) and app.screen.dialog_title == "Unsaved changes found"
        await pilot.click("#choice-restore")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        editor = app.screen_stack[-1]
        assert "RECOVERME" in editor.session.assessment.value("concluding_statement")
