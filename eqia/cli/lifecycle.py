"""Provides the quality control commands: check, submit, return, approve, publish, keep, diff (of two
files, or of a file at git revisions)."""

from __future__ import annotations

import json
import sys

import click

from eqia.cli.config_commands import who
from eqia.cli.output import (
    EXIT_FINDINGS,
    EXIT_OK,
    cell,
    error,
    fail,
    line,
    to_json,
    toml_files,
)
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse is found.",
)
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON for scripts.")
@click.option("--list-rules", is_flag=True, help="List every check with its id and exit.")
def check(paths: tuple[str, ...], severity: str, as_json: bool, list_rules: bool) -> None:
    """Check assessments against their form: exit 0 clean, 1 findings, 2 unreadable input.

    PATHS may be files or folders (searched for *.toml).
    """
    from eqia.usecases.checking import CHECKS, check_files, exit_code, results_json, rules_json

    if list_rules:
        if as_json:
            click.echo(json.dumps(rules_json(), indent=2))
        else:
            width = max(len(c.slug) for c in CHECKS)
            for c in CHECKS:
                line(f"{c.id}  {c.slug:<{width}}  {c.severity:<8} {c.summary}")
        return
    if not paths:
        raise click.UsageError("give at least one assessment file or folder to check.")
    files = toml_files(paths)
    if not files:
        fail(EqiaError(f"no assessment files (*.toml) in {', '.join(paths)}."))
    results = check_files(files)
    for result in results:
        path = result.path
        if as_json:
            continue
        if result.error is not None:
            error(result.error)
            continue
        for f in result.findings:
            where = f"{path}:{f.line}" if f.line else str(path)
            line(f"{where}: {f.finding.rule} {f.finding.severity} [{f.key}] {f.finding.message}")
        summary = ", ".join(
            f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in result.counts().items()
        )
        line(f"{path}: {summary}")
    if as_json:
        click.echo(json.dumps(results_json(results, severity), indent=2))
    sys.exit(exit_code(results, severity))


def _move(path: str, to: str, by: str | None, note: str) -> None:
    from eqia.files.opening import open_assessment
    from eqia.files.store import save
    from eqia.quality.review import allowed, refusal, transition

    try:
        opened = open_assessment(path)
        if to == "published":
            from eqia.usecases.publishing import refusal as publishing_refusal

            if (refused := publishing_refusal(opened)) is not None:
                fail(refused, code=EXIT_FINDINGS)
        if not allowed(current := opened.assessment.review.status, to):  # type: ignore[arg-type]
            message, hint = refusal(current, to)  # type: ignore[arg-type]
            raise EqiaError(message, key="review.status", hint=hint)  # told before asking who you are
        by = who(by)
        assessment = opened.assessment.model_copy(deep=True)
        transition(assessment, to, by, note)  # type: ignore[arg-type]
        save(assessment, opened.path, opened.form, base=opened.file)
    except EqiaError as exc:
        fail(exc, file=path)
    line(f"{path}: {opened.assessment.review.status} -> {to} by {by.strip()}.")


_BY = click.option(
    "--by",
    "by",
    default=None,
    metavar="NAME",
    help="Who is doing this (name or email); kept in the history. Default: your name in `eqia config`; "
    "asked for on a terminal.",
)
_NOTE = click.option("--note", default="", help="Why, in a sentence; kept in the history.")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def submit(path: str, by: str | None, note: str) -> None:
    """Submit an assessment for quality control (draft or returned -> submitted)."""
    _move(path, "submitted", by, note)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def approve(path: str, by: str | None, note: str) -> None:
    """Approve a submitted assessment; records a SHA-256 of its content. Refused while an answer
    is marked "must correct"."""
    _move(path, "approved", by, note)


@click.command(name="return")
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def return_(path: str, by: str | None, note: str) -> None:
    """Return a submitted assessment to its author with the verdicts in the file."""
    _move(path, "returned", by, note)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def publish(path: str, by: str | None, note: str) -> None:
    """Mark an approved assessment as published."""
    _move(path, "published", by, note)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("key")
@click.argument("text")
@click.option("--why", required=True, help="Why it may be published, in a sentence; kept in the file.")
@_BY
def keep(path: str, key: str, text: str, why: str, by: str | None) -> None:
    """Record that personal data eqia check found (EQ028) may be published: KEY and TEXT as the
    finding gives them. Who and why are kept in the file; the finding then no longer blocks publishing."""
    from eqia.files.opening import open_assessment
    from eqia.files.store import save
    from eqia.usecases.publishing import keep as record

    try:
        opened = open_assessment(path)
        assessment, entry = record(opened, key, text, why, who(by))
        save(assessment, opened.path, opened.form, base=opened.file)
    except EqiaError as exc:
        fail(exc, file=path)
    line(f"{path}: kept {cell(entry.text)} at {key}, by {cell(entry.by)}: {cell(entry.why)}")


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
def diff(old: str, new: str, as_json: bool) -> None:
    """Question by question, what changed between two versions of an assessment (for a resubmission).

    Either side may be a file as git has it at a revision: FILE@REV, such as
    `eqia diff plan.toml@HEAD~3 plan.toml` or `eqia diff plan.toml@main plan.toml@my-branch`.
    Exit 0 when they say the same, 1 when they differ, 2 for unreadable input or an unknown revision.
    """
    from eqia.quality.review import diff as differences
    from eqia.usecases.history import open_side

    try:
        a, b = open_side(old), open_side(new)
    except EqiaError as exc:
        fail(exc)
    found = differences(b.form, a.assessment, b.assessment)
    if as_json:
        click.echo(to_json([d.__dict__ for d in found]))
    elif not found:
        click.echo("No differences in the answers.")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=cell(f"{old} \u2192 {new}"), show_lines=True, expand=True)
        table.add_column("Question")
        table.add_column("Before")
        table.add_column("After")
        for d in found:
            table.add_row(cell(d.question), cell(d.old, "red"), cell(d.new, "green"))
        Console().print(table)
    sys.exit(EXIT_FINDINGS if found else EXIT_OK)
