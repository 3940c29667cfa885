"""Provides the commands over a folder of assessments: list, actions, due, progress-report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from eqia.cli.output import (
    EXIT_FINDINGS,
    EXIT_OK,
    cell,
    echo,
    error,
    fail,
    note,
    to_json,
)
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.


@click.command(name="list")
@click.argument("folder", required=False, default="assessments", type=click.Path(file_okay=False))
@click.option(
    "--status",
    type=click.Choice(["draft", "submitted", "returned", "approved", "published"]),
    help="Only assessments with this status.",
)
@click.option("--overdue", is_flag=True, help="Only assessments whose review date has passed.")
@click.option("--directorate", help="Only this directorate (case-insensitive).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (cells starting = + - @ are neutralised).")
def list_(
    folder: str, status: str | None, overdue: bool, directorate: str | None, as_json: bool, as_csv: bool
) -> None:
    """Every assessment in a folder: reference, name, directorate, status, review date, findings, actions."""
    from eqia.usecases.portfolio import filter_rows, portfolio, to_csv

    try:
        every = portfolio(Path(folder))
    except EqiaError as exc:
        fail(exc)
    rows = filter_rows(every, status=status, overdue=overdue, directorate=directorate)
    if as_json:
        click.echo(to_json(rows))
        return
    for row in rows:
        if row["status"] == "unreadable":
            error(row["error"])
        elif row.get("copy_note"):
            note(row["copy_note"])
    if as_csv:
        echo(to_csv(rows), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=cell(f"Assessments in {folder}/ ({len(rows)})"), expand=True)
    table.add_column("Reference", no_wrap=True)
    table.add_column("Name", ratio=2, overflow="fold")
    table.add_column("Directorate", ratio=1, min_width=10, overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Review", no_wrap=True)
    table.add_column("Findings", justify="right", no_wrap=True)
    table.add_column("Actions", justify="right", no_wrap=True)
    for row in rows:
        style = "red" if row["status"] == "unreadable" else ""
        review = row.get("review_date_shown", "")
        copy_of = Path(row["copy_of"]).name if row.get("copy_of") else ""
        row_name = f"{row['name']} (copy of {copy_of})" if copy_of else row["name"]
        cells = (
            row["reference"],
            row_name,
            row["directorate"],
            row["status"],
            review,
            row["open_findings"],
            row["open_actions"],
        )
        table.add_row(*(cell(c, style) for c in cells))
    Console().print(table)


@click.command()
@click.argument("folder", required=False, default="assessments", type=click.Path(file_okay=False))
@click.option("--owner", help="Only actions whose responsible officer contains this (case-insensitive).")
@click.option("--overdue", is_flag=True, help="Only actions past their target date, not closed or achieved.")
@click.option("--grade", type=click.IntRange(1, 4), help="Only actions whose latest grade is this (1-4).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (cells starting = + - @ are neutralised).")
def actions(
    folder: str, owner: str | None, overdue: bool, grade: int | None, as_json: bool, as_csv: bool
) -> None:
    """Every action of every assessment in a folder: owner, target date, latest grade, overdue."""
    from eqia.usecases.tracking import actions_csv, collect_actions, filter_actions

    try:
        rows, errors = collect_actions(Path(folder))
    except EqiaError as exc:
        fail(exc)
    rows = filter_actions(rows, owner=owner, overdue=overdue, grade=grade)
    for problem in errors:
        error(problem.message)
    if as_json:
        data = {"actions": [r.as_json() for r in rows], "errors": [e.as_json() for e in errors]}
        click.echo(to_json(data))
        return
    if as_csv:
        echo(actions_csv(rows), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=cell(f"Actions in {folder}/ ({len(rows)})"), expand=True)
    for name, opts in (
        ("Reference", {"no_wrap": True}),
        ("No.", {"justify": "right", "no_wrap": True}),
        ("Action", {"ratio": 3, "overflow": "fold"}),
        ("Owner", {"ratio": 1, "min_width": 12, "overflow": "fold"}),
        ("Target", {"no_wrap": True}),
        ("Grade", {"no_wrap": True}),
    ):
        table.add_column(name, **opts)
    for r in rows:
        style = "red" if r.overdue else ("dim" if r.closed else "")
        grade_cell = r.grade_text or ("closed" if r.closed else "")
        cells = (r.reference, r.index, r.action or r.issue, r.owner, r.target_shown, grade_cell)
        table.add_row(*(cell(c, style) for c in cells))
    Console().print(table)


@click.command(name="due")
@click.argument("folder", required=False, default="assessments", type=click.Path(file_okay=False))
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Also list what falls due within this many days.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def due_(folder: str, within_days: int, as_json: bool) -> None:
    """Assessments due for review and actions due, in a folder: exit 1 when anything is overdue."""
    from eqia.usecases.tracking import due, due_text

    try:
        result = due(Path(folder), dt.date.today(), within_days)
    except EqiaError as exc:
        fail(exc)
    if as_json:
        click.echo(to_json(result))
    else:
        echo(due_text(result), nl=False)
    sys.exit(EXIT_FINDINGS if result["any_overdue"] else EXIT_OK)


@click.command(name="progress-report")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["txt", "md", "html", "docx", "pdf"]),
    default="txt",
    show_default=True,
    help="Format of the report.",
)
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def progress_report(paths: tuple[str, ...], fmt: str, out: str | None) -> None:
    """A progress update report on the action plans of assessments, laid out like council progress updates.

    PATHS may be files or folders (searched for assessments, as `eqia export` does).
    """
    from eqia.files.atomic import write_atomic
    from eqia.files.opening import expand_paths, open_assessment
    from eqia.report.progress import build_progress_report
    from eqia.usecases.export import renderer

    try:
        files = expand_paths(paths)
        if not files:
            raise EqiaError(f"no assessment files (*.toml) in {', '.join(paths)}.")
        opened = [open_assessment(p) for p in files]
        assessments = [o.assessment for o in opened]
        forms = [o.form for o in opened]
        report = build_progress_report(forms[0], assessments, dt.date.today(), forms=forms)
        content = renderer(fmt)(report)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if out:
            write_atomic(Path(out), data)
        elif isinstance(content, bytes):
            raise EqiaError(f"{fmt} is a binary format: give --out FILE.")
    except EqiaError as exc:
        fail(exc)
    if not out:
        echo(content, nl=False)
