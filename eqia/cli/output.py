"""Provides what every command prints through: text from files made visible, never obeyed by a terminal;
one-paragraph errors and the exit codes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from eqia.document.plain import UNSAFE_BEYOND_ASCII, visible
from eqia.errors import EqiaError

# Deferred imports: rich's text and the file layer load only when a command prints a table or reads
# a folder, so `eqia --help` stays quick.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

# Everything printed goes through one of these: text from files (names, answers, keys, file
# names) is made visible (eqia.document.plain), so a control character or escape sequence in a
# file is shown, never obeyed by the terminal.


def echo(text: str, *, nl: bool = True) -> None:
    """Print text that may span lines (a report, a list): tabs and line breaks kept."""
    click.echo(visible(text), nl=nl)


def line(text: str) -> None:
    """Print one line: a line break in a file name, a key or an answer cannot start another."""
    click.echo(visible(text, one_line=True))


def note(message: object) -> None:
    """Print one note (not an error) to stderr, on one line."""
    click.echo(f"eqia: note: {visible(str(message), one_line=True)}", err=True)


def error(message: object) -> None:
    """Print one error paragraph to stderr, on one line."""
    click.echo(f"eqia: error: {visible(str(message), one_line=True)}", err=True)


_OBEYED = re.compile(UNSAFE_BEYOND_ASCII)


def to_json(data: Any) -> str:
    """JSON for scripts, other scripts' letters kept as they are; a character a terminal would obey
    is written as its \\u escape (json escapes ASCII's own), which is the same JSON data."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _OBEYED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell(value: object, style: str = "") -> Any:
    """A rich table cell holding text from a file: made visible, never read as markup."""
    from rich.text import Text

    return Text(visible(str(value)), style=style)


def fail(problem: EqiaError, code: int = EXIT_BAD_INPUT, *, file: str | Path | None = None) -> None:
    """Print the one-paragraph error and exit; file names the file when the error does not."""
    if problem.file is None and file is not None:
        problem.file = str(file)
    error(problem)
    sys.exit(code)


def toml_files(paths: tuple[str, ...]) -> list[Path]:
    from eqia.files.opening import expand_paths

    return expand_paths(paths)


def progress_bar(label: str, total: int | None) -> tuple[Any, Any]:
    """A progress bar on stderr for a batch ("Exporting", "Building"), started: (progress, task)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        auto_refresh=False,
        transient=True,
    )
    progress.start()
    return progress, progress.add_task(label, total=total)
