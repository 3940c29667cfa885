"""Provides `eqia history`: who changed each answer of an assessment, when and why, from git (or, outside
git, from the assessment's own review history)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from eqia.cli.output import fail, line, to_json
from eqia.document.plain import visible
from eqia.errors import EqiaError

if TYPE_CHECKING:
    from eqia.usecases.history import Change, History

# Deferred imports: the history (git, the forms, pydantic) loads only when the command runs, so
# `eqia --help` stays quick.


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--question",
    "-q",
    "question",
    default=None,
    metavar="KEY",
    help="Only this answer, by its dotted key, or the answers under a key (characteristics.age).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a list of {key, question, author, email, date, commit, message, before, after}.",
)
def history(path: str, question: str | None, as_json: bool) -> None:
    """Who changed each answer of an assessment, when and with which commit message, newest first.

    Read from git (following the file through renames); where the file is not in a git repository,
    from the changes of status the assessment records itself.
    """
    from eqia.usecases.history import file_history

    try:
        found = file_history(path, question)
    except EqiaError as exc:
        fail(exc, file=path)
    if as_json:
        for said in _preamble(found):  # on stderr: stdout is the JSON alone
            click.echo(f"eqia: {visible(said, one_line=True)}", err=True)
        click.echo(to_json([c.as_json() for c in found.changes]))
        return
    for said in _preamble(found):
        line(said)
    if not found.changes:
        what = f"answers under `{question}`" if question else "answers"
        line(f"No changes to {what} in the history of {path}.")
        return
    by_key: dict[str, list[Change]] = {}
    for change in found.changes:  # newest first: an answer comes where its latest change is
        by_key.setdefault(change.key, []).append(change)
    for key, changes in by_key.items():
        line("")
        line(f"{key}: {changes[0].question}")
        for c in changes:
            who = c.author + (f" <{c.email}>" if c.email else "")
            if found.source == "git":
                line(f"  {_when(c.date)}  {who}  {c.commit[:7]}  {c.message}")
            else:
                note = f": {c.message}" if c.message else ""
                line(f"  {_when(c.date)}  {who}  {c.before or '(new)'} \u2192 {c.after}{note}")


def _preamble(found: History) -> list[str]:
    """The lines said before the changes: where they come from, and what is left out."""
    out = [found.why_not_git] if found.why_not_git else []
    if found.source == "git" and found.changes:
        answers, commits = len({c.key for c in found.changes}), len({c.commit for c in found.changes})
        out.append(f"{found.path}: {answers} answer(s) changed in {commits} commit(s), newest first.")
    return out + found.notes


def _when(iso: str) -> str:
    """A date and time as people read it: 2026-03-04 14:05."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
