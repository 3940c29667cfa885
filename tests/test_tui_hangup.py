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
