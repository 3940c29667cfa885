"""Provides `eqia merge`: two people's versions of an assessment merged answer by answer, on the command line
and as git's merge driver (`eqia merge --git %O %A %B`)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from eqia.cli.output import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, echo, error, fail, line
from eqia.errors import EqiaError

if TYPE_CHECKING:
    from eqia.document.merge3 import Choice, Resolver
    from eqia.document.model import Conflict
    from eqia.usecases.merging import MergedFile

# Deferred imports: the merge and the file layer load when the command runs, so `eqia --help` stays quick.

TWO_WAY_REFUSED = (
    "with two files and no common version, eqia asks which to keep for each difference, and there is "
    "no terminal to ask on. Give the version both started from first (eqia merge BASE OURS THEIRS), "
    "run it in a terminal, or pass --conflicts to keep ours and record every difference as a conflict "
    "in the file's [[conflicts]] for eqia check to list."
)


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions on this run's standard input."""
    return sys.stdin.isatty()


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="[BASE] OURS THEIRS"
)
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False), help="Write the merged file here (default: over OURS)."
)
@click.option("--git", "as_git", is_flag=True, help="Run as git's merge driver: eqia merge --git %O %A %B.")
@click.option(
    "--conflicts",
    "record_all",
    is_flag=True,
    help="With two files: record every difference as a conflict instead of asking.",
)
def merge(files: tuple[str, ...], out: str | None, as_git: bool, record_all: bool) -> None:
    """Merge two people's versions of an assessment, answer by answer, against the version both started
    from (BASE). A change only one side made is taken; an answer both changed differently keeps ours and
    both texts in the file's [[conflicts]] (eqia check reports each, EQ030). Actions are matched by what
    they say, progress updates and the review history are joined.

    With two files (copies a sync client left side by side) there is no common version: each difference
    is asked on the terminal. The result is written over OURS unless --out is given.

    Exit 0 merged cleanly, 1 conflicts recorded, 2 bad input (nothing is written).
    """
    if len(files) not in (2, 3):
        raise click.UsageError("give BASE OURS THEIRS, or OURS THEIRS when there is no common version.")
    if as_git and (len(files) != 3 or out is not None):
        raise click.UsageError("as git's merge driver, give the three files git passes: --git %O %A %B.")
    base, ours, theirs = files if len(files) == 3 else (None, *files)
    resolve: Resolver | None = None
    if base is None and not record_all:
        if not stdin_is_terminal():
            fail(EqiaError(TWO_WAY_REFUSED, file=ours))
        resolve = ask
    # As git's driver, ours is git's own temporary file: written in place, with no lock file beside it.
    done = _merge(base, ours, theirs, ours if as_git else out, resolve)
    result = done.result
    keys = [c.key for c in result.conflicts]
    listed = f" ({', '.join(keys)})" if keys else ""
    counts = f"{_count(len(result.from_theirs), 'change')} from theirs, {len(result.from_ours)} from ours"
    line(f"merged: {counts}, {_count(len(keys), 'conflict')}{listed}")
    for note in result.notes:
        line(f"note: {note}")
    if keys:
        line(
            f"{done.path}: ours is kept at each conflict and both texts in [[conflicts]]; choose one, delete "
            f"the entry, and run eqia check {done.path} to see what is left."
        )
    elif not as_git:
        line(f"written to {done.path}")
    sys.exit(EXIT_FINDINGS if keys else EXIT_OK)


def _merge(base: str | None, ours: str, theirs: str, out: str | None, resolve: Resolver | None) -> MergedFile:
    from eqia.usecases.merging import merge_files

    try:
        return merge_files(base, ours, theirs, out, resolve)
    except EqiaError as exc:
        fail(exc)
    except Exception as exc:  # a merge driver must never end in a traceback; nothing was written
        error(f"{ours}: eqia could not merge these files ({type(exc).__name__}: {exc}); nothing was written.")
        sys.exit(EXIT_BAD_INPUT)
    raise AssertionError("unreachable")  # fail() exits


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


CHOICES: dict[str, Choice] = {"o": "ours", "t": "theirs", "b": "both"}


def ask(conflict: Conflict) -> Choice:
    """Ask on the terminal which version of a differing value to keep."""
    echo(f"\n{conflict.key} differs:")
    for side, text in (("ours", conflict.ours), ("theirs", conflict.theirs)):
        shown = "\n          ".join((text or "(nothing)").splitlines())
        echo(f"  {side + ':':<8}{shown}")
    choice = click.prompt(
        "Keep (o)urs, (t)heirs, or (b)oth, recorded as a conflict",
        type=click.Choice(list(CHOICES)),
        default="b",
    )
    return CHOICES[choice]
