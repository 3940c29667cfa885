"""A file full of terminal escapes: every printing command, run in a pseudo-terminal, writes none of them.

The bytes that reach the terminal are read from the pty's other end, stdout and stderr together.
TERM=dumb keeps rich from styling, so any ESC in what is written came from a file; output
post-processing is off, so a carriage return written would be seen too.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from eqia.document.plain import visible

ROOT = Path(__file__).resolve().parent.parent

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
OPEN_LINK = "\x1b]8;;http://evil.example/"  # an OSC never terminated
C1_CSI = "\x9b31m"
BIDI = "\u202e"
CR = "\rOVERWRITTEN"


def hostile(text: str) -> str:
    """Text carrying every kind of escape a terminal obeys."""
    return f"{text}{CLEAR}{TITLE}{C1_CSI}\x07{BIDI}{CR}\x08{OPEN_LINK}"


#: What the terminal must never receive: C0 controls but tab and line feed (no CR either: output
#: post-processing is off), DEL, C1 controls, bidi embeddings, overrides and isolates.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
SHOWN = "\ufffd[2J"
"""How ESC [ 2 J looks once made visible."""


def toml_string(text: str) -> str:
    """A TOML basic string holding text, control characters as \\u escapes."""
    return json.dumps(text)


def assessment(answer: str) -> str:
    key = toml_string(hostile("key"))
    return f"""schema_version = 1
form = "birmingham-ea"
form_version = "1.0.0"

[header]
ea_name = {toml_string(hostile("Evil name"))}
reference = {toml_string(hostile("EA666"))}
directorate = {toml_string(hostile("People"))}
activity_type = "Amended Policy"
{key} = "stray header field"

[answers.purpose]
answer = {toml_string(hostile(answer) + chr(10) + chr(9) + "second line")}
comment = {toml_string(hostile("Comment"))}

[answers.review_date]
answer = 2020-01-01

[answers.{key}]
answer = "an answer to no question"

[[actions]]
issue = {toml_string(hostile("Issue"))}
action = {toml_string(hostile("Action"))}
owner = {toml_string(hostile("Owner"))}
target_date = 2020-01-01

[[actions.updates]]
date = 2020-02-01
evidence_of_progress = {toml_string(hostile("Progress"))}
grade = 3
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a hostile assessment (its file name hostile too), a file with a hostile form id
    and one with a hostile unknown key."""
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / f"evil-{BIDI}{CLEAR}.toml").write_text(assessment("Purpose"), encoding="utf-8")
    (folder / "changed.toml").write_text(assessment("Purpose changed"), encoding="utf-8")
    bad_form = f'schema_version = 1\nform = {toml_string(hostile("bad"))}\nform_version = "1.0.0"\n'
    (folder / "bad-form.toml").write_text(bad_form, encoding="utf-8")
    top = 'schema_version = 1\nform = "birmingham-ea"\nform_version = "1.0.0"\n'
    bad_key = f"{top}{toml_string(hostile('x'))} = 1\n"
    (folder / "bad-key.toml").write_text(bad_key, encoding="utf-8")
    return folder


def run_in_terminal(*args: str | Path, cwd: Path) -> tuple[int, bytes]:
    """Run `eqia ARGS` with a pseudo-terminal as stdin, stdout and stderr; its exit code and every
    byte it wrote."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST  # bytes reach the reader as written: no LF to CR LF
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    env = {**os.environ, "TERM": "dumb", "COLUMNS": "120", "LINES": "40"}
    env.pop("EQIA_FORMS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "eqia", *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return code, output


def problems(args: tuple[str | Path, ...], output: bytes, shown: str) -> list[str]:
    """What is wrong with what a command wrote: anything a terminal would obey, a traceback, or
    not showing the hostile text (made visible) that it was given."""
    command = " ".join(["eqia", *(Path(a).name if isinstance(a, Path) else a for a in args)])
    text = output.decode("utf-8")
    found = sorted(set(OBEYED.findall(text)))
    wrong = [f"{command!r} wrote {found!r}"] if found else []
    if "Traceback" in text:
        wrong.append(f"{command!r} crashed")
    if shown not in text:
        wrong.append(f"{command!r} did not show {shown!r}: {text[:300]!r}")
    return wrong


def test_every_printing_command_writes_no_escape(folder: Path, tmp_path: Path) -> None:
    evil = next(folder.glob("evil-*.toml"))
    copy = tmp_path / "submit.toml"
    shutil.copy(evil, copy)
    bad_form = folder / "bad-form.toml"
    commands: list[tuple[tuple[str | Path, ...], str]] = [
        # (arguments, what the output must show, so that the command did print the hostile text)
        (("show", evil), SHOWN),
        (("check", evil), "\ufffd"),
        (("check", folder), "\ufffd"),
        (("list", folder), "unreadable"),
        (("list", folder, "--csv"), SHOWN),
        (("list", folder, "--json"), "\\u202e"),
        (("actions", folder), "Owner"),
        (("actions", folder, "--csv"), SHOWN),
        (("actions", folder, "--json"), "\\u009b"),
        (("due", folder), SHOWN),
        (("due", folder, "--json"), "\\u202e"),
        (("diff", evil, folder / "changed.toml"), "Purpose"),
        (("diff", evil, folder / "changed.toml", "--json"), "\\u202e"),
        (("progress-report", evil), SHOWN),
        (("submit", copy, "--by", hostile("Eve")), "submitted by Eve"),
        (("show", bad_form), "not a form id"),
        (("check", bad_form), "not a form id"),
        (("forms", "show", hostile("bad")), "not a form id"),
        (("export", folder, "-f", "txt", "-o", tmp_path / "out"), "eqia: error:"),
    ]
    wrong = []
    for args, shown in commands:
        _, output = run_in_terminal(*args, cwd=ROOT)
        wrong += problems(args, output, shown)
    assert not wrong, "\n".join(wrong)


def test_exports_hold_no_control_character_and_show_the_same_stand_ins(folder: Path, tmp_path: Path) -> None:
    evil = next(folder.glob("evil-*.toml"))
    out = tmp_path / "out"
    code, output = run_in_terminal("export", evil, "-f", "txt,md,html", "-o", out, cwd=ROOT)
    assert code == 0, output
    files = sorted(out.iterdir())
    assert [f.suffix for f in files] == [".html", ".md", ".txt"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = sorted(set(OBEYED.findall(text)))
        assert not found, f"{path.name} holds {found!r}"
        assert "\ufffd" in text and "0;pwned" in text, path.name  # the escapes are shown, not dropped
        assert "\tsecond line" in text or "second line" in text  # layout kept


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[2Jb", "a\ufffd[2Jb"),
        ("t\x1b]0;title\x07x", "t\ufffd]0;title\ufffdx"),
        ("open \x1b]8;;http://x", "open \ufffd]8;;http://x"),  # unterminated: nothing after it is lost
        ("lone \x1b", "lone \ufffd"),
        ("\x9b31m red", "\ufffd31m red"),
        ("abc\u202edef\u2066g\u2069", "abc\ufffddef\ufffdg\ufffd"),
        ("one\r\ntwo\rthree\x0bfour\x0cfive\tsix\nseven", "one\ntwo\nthree\nfour\nfive\tsix\nseven"),
        ("nul\x00 bs\x08", "nul\ufffd bs\ufffd"),
        ("caf\u00e9 \u00a0 \u200d \u200f", "caf\u00e9 \u00a0 \u200d \u200f"),  # letters and marks kept
    ],
)
def test_visible_shows_what_a_terminal_would_obey(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    one_line = visible(raw, one_line=True)
    assert "\n" not in one_line and "\t" not in one_line
    assert not OBEYED.search(one_line)


def test_visible_returns_clean_text_as_it_is() -> None:
    text = "An answer\n\twith layout, £ and \u2013 dashes"
    assert visible(text) is text
