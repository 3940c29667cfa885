"""Provides the `eqia` command line. Commands that do not open the terminal UI never import Textual."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from eqia import __version__
from eqia.document.plain import UNSAFE_BEYOND_ASCII, visible
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


# Everything printed goes through one of these: text from files (names, answers, keys, file
# names) is made visible (eqia.document.plain), so a control character or escape sequence in a
# file is shown, never obeyed by the terminal.


def _echo(text: str, *, nl: bool = True) -> None:
    """Print text that may span lines (a report, a list): tabs and line breaks kept."""
    click.echo(visible(text), nl=nl)


def _line(text: str) -> None:
    """Print one line: a line break in a file name, a key or an answer cannot start another."""
    click.echo(visible(text, one_line=True))


def _error(message: object) -> None:
    """Print one error paragraph to stderr, on one line."""
    click.echo(f"eqia: error: {visible(str(message), one_line=True)}", err=True)


_OBEYED = re.compile(UNSAFE_BEYOND_ASCII)


def _json(data: Any) -> str:
    """JSON for scripts, other scripts' letters kept as they are; a character a terminal would obey
    is written as its \\u escape (json escapes ASCII's own), which is the same JSON data."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _OBEYED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _cell(value: object, style: str = "") -> Any:
    """A rich table cell holding text from a file: made visible, never read as markup."""
    from rich.text import Text

    return Text(visible(str(value)), style=style)


def _fail(error: EqiaError, code: int = EXIT_BAD_INPUT, *, file: str | Path | None = None) -> None:
    """Print the one-paragraph error and exit; file names the file when the error does not."""
    if error.file is None and file is not None:
        error.file = str(file)
    _error(error)
    sys.exit(code)


def _toml_files(paths: tuple[str, ...]) -> list[Path]:
    from eqia.files.opening import expand_paths

    return expand_paths(paths)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="eqia")
@click.pass_context
def main(ctx: click.Context) -> None:
    """eqia: write, quality-check and publish equality impact assessments.

    Assessments are TOML files (one per assessment, in assessments/), written
    against a form (forms/*.toml) such as Birmingham City Council's Equality
    Analysis. Run `eqia` alone to open the app, or `eqia edit FILE`.
    """
    if ctx.invoked_subcommand is None:
        _run_app(None)


def _run_app(path: Path | None, *, review: bool = False, reviewer: str = "") -> None:
    """Open the terminal UI (the only place Textual is imported)."""
    from eqia.tui.app import EqiaApp  # deferred: Textual is loaded only for the app

    app = EqiaApp(path, review=review, reviewer=reviewer)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
def edit(path: str) -> None:
    """Open an assessment in the terminal UI, to answer or change it."""
    from eqia.files.opening import open_assessment

    try:  # fail fast, with the CLI's message, before the screen is taken over
        open_assessment(path)
    except EqiaError as exc:
        _fail(exc)
    _run_app(Path(path))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--form",
    "form_id",
    default=None,
    help="Form id (see `eqia forms list`). Asked for on a terminal; otherwise birmingham-ea.",
)
@click.option("--name", default="", help="The name of the activity, the form's first header field.")
@click.option(
    "--type", "activity_type", default="", help="Activity type: one of the form's (see `eqia forms show ID`)."
)
@click.option("--reference", default="", help="The assessment's reference number.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def new(path: str, form_id: str | None, name: str, activity_type: str, reference: str, force: bool) -> None:
    """Write a fresh, empty assessment to PATH."""
    from eqia.document.form import DEFAULT_FORM
    from eqia.files.forms import available_forms, load_form
    from eqia.usecases.creating import new_assessment

    if form_id is None:
        known = available_forms()
        if len(known) > 1 and _interactive():
            form_id = click.prompt(
                "Which form",
                type=click.Choice(known),
                default=DEFAULT_FORM if DEFAULT_FORM in known else known[0],
            )
    try:
        form = load_form(form_id or DEFAULT_FORM)
        new_assessment(path, form, name=name, activity_type=activity_type, reference=reference, force=force)
    except EqiaError as exc:
        _fail(exc)
    _line(f"Wrote {path} (form {form.id} {form.version}). Next: eqia check {path}")


def _interactive() -> bool:
    return sys.stdin.isatty()


@main.command()
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
    from eqia.usecases.checking import CHECKS, check_file, exit_code, results_json, rules_json

    if list_rules:
        if as_json:
            click.echo(json.dumps(rules_json(), indent=2))
        else:
            for c in CHECKS:
                _line(f"{c.id}  {c.slug:<22} {c.severity:<8} {c.summary}")
        return
    if not paths:
        raise click.UsageError("give at least one assessment file or folder to check.")
    files = _toml_files(paths)
    if not files:
        _fail(EqiaError(f"no assessment files (*.toml) in {', '.join(paths)}."))
    results = []
    for path in files:
        result = check_file(path)
        results.append(result)
        if as_json:
            continue
        if result.error is not None:
            _error(result.error)
            continue
        for f in result.findings:
            where = f"{path}:{f.line}" if f.line else str(path)
            _line(f"{where}: {f.finding.rule} {f.finding.severity} [{f.key}] {f.finding.message}")
        summary = ", ".join(
            f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in result.counts().items()
        )
        _line(f"{path}: {summary}")
    if as_json:
        click.echo(json.dumps(results_json(results, severity), indent=2))
    sys.exit(exit_code(results, severity))


@main.command()
@click.argument("path", type=click.Path())
@click.option("--width", type=int, default=None, help="Wrap at this many columns (default: the terminal).")
def show(path: str, width: int | None) -> None:
    """Print an assessment as its report, in the terminal."""
    from rich.console import Console

    from eqia.files.opening import open_assessment
    from eqia.report.render_terminal import render_terminal
    from eqia.report.tree import build_report

    try:
        opened = open_assessment(path)
    except EqiaError as exc:
        _fail(exc)
    report = build_report(opened.form, opened.assessment)
    Console(width=width, soft_wrap=False).print(render_terminal(report))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--by", "by", default="", help="Your name, recorded with verdicts and decisions.")
def review(path: str, by: str) -> None:
    """Review an assessment in the app: answers read-only, findings and verdicts beside each question.

    Keys: 1 acceptable, 2 improvable, 3 must correct, c comment, R return, A approve.
    """
    from eqia.files.opening import open_assessment

    try:
        open_assessment(path)
    except EqiaError as exc:
        _fail(exc)
    _run_app(Path(path), review=True, reviewer=by)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
def upgrade(path: str) -> None:
    """Move an assessment onto the current version of its form.

    Answers to renamed questions move to their new ids; answers to removed questions are kept,
    and `eqia check` points at them until you move or delete them. Nothing is dropped.
    """
    from eqia.usecases.upgrade import upgrade_file

    try:
        done = upgrade_file(path)
    except EqiaError as exc:
        _fail(exc, file=path)
    if not done.changed:
        _line(f"{path}: already on {done.form_id} {done.new_version}.")
        return
    _line(f"{path}: {done.form_id} {done.old_version} -> {done.new_version} ({done.steps} form change(s)).")
    for m in done.moved:
        _line(f"  moved   {'.'.join((*m.key_path[:-1], m.old))} -> {m.new}")
    for o in done.kept:
        _line(f"  kept    {'.'.join(o.key_path)} (question removed in {o.version}; see eqia check)")


def _move(path: str, to: str, by: str, note: str) -> None:
    from eqia.files.opening import open_assessment
    from eqia.files.store import save
    from eqia.quality.review import transition

    try:
        opened = open_assessment(path)
        assessment = opened.assessment.model_copy(deep=True)
        transition(assessment, to, by, note)  # type: ignore[arg-type]
        save(assessment, opened.path, opened.form, base=opened.file)
    except EqiaError as exc:
        _fail(exc, file=path)
    _line(f"{path}: {opened.assessment.review.status} -> {to} by {by.strip()}.")


_BY = click.option(
    "--by", "by", required=True, help="Who is doing this (name or email); kept in the history."
)
_NOTE = click.option("--note", default="", help="Why, in a sentence; kept in the history.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def submit(path: str, by: str, note: str) -> None:
    """Submit an assessment for quality control (draft or returned -> submitted)."""
    _move(path, "submitted", by, note)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def approve(path: str, by: str, note: str) -> None:
    """Approve a submitted assessment; records a SHA-256 of its content. Refused while an answer
    is marked "must correct"."""
    _move(path, "approved", by, note)


@main.command(name="return")
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def return_(path: str, by: str, note: str) -> None:
    """Return a submitted assessment to its author with the verdicts in the file."""
    _move(path, "returned", by, note)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@_BY
@_NOTE
def publish(path: str, by: str, note: str) -> None:
    """Mark an approved assessment as published."""
    _move(path, "published", by, note)


@main.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
def diff(old: str, new: str, as_json: bool) -> None:
    """Question by question, what changed between two versions of an assessment (for a resubmission).

    Exit 0 when they say the same, 1 when they differ, 2 for unreadable input.
    """
    from eqia.files.opening import open_assessment
    from eqia.quality.review import diff as differences

    try:
        a, b = open_assessment(old), open_assessment(new)
    except EqiaError as exc:
        _fail(exc)
    found = differences(b.form, a.assessment, b.assessment)
    if as_json:
        click.echo(_json([d.__dict__ for d in found]))
    elif not found:
        click.echo("No differences in the answers.")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=_cell(f"{old} \u2192 {new}"), show_lines=True, expand=True)
        table.add_column("Question")
        table.add_column("Before")
        table.add_column("After")
        for d in found:
            table.add_row(_cell(d.question), _cell(d.old, "red"), _cell(d.new, "green"))
        Console().print(table)
    sys.exit(EXIT_FINDINGS if found else EXIT_OK)


@main.command(name="list")
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
        _fail(exc)
    rows = filter_rows(every, status=status, overdue=overdue, directorate=directorate)
    if as_json:
        click.echo(_json(rows))
        return
    for row in rows:
        if row["status"] == "unreadable":
            _error(row["error"])
    if as_csv:
        _echo(to_csv(rows), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=_cell(f"Assessments in {folder}/ ({len(rows)})"), expand=True)
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
        cells = (
            row["reference"],
            row["name"],
            row["directorate"],
            row["status"],
            review,
            row["open_findings"],
            row["open_actions"],
        )
        table.add_row(*(_cell(c, style) for c in cells))
    Console().print(table)


@main.command()
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
        _fail(exc)
    rows = filter_actions(rows, owner=owner, overdue=overdue, grade=grade)
    for error in errors:
        _error(error.message)
    if as_json:
        data = {"actions": [r.as_json() for r in rows], "errors": [e.as_json() for e in errors]}
        click.echo(_json(data))
        return
    if as_csv:
        _echo(actions_csv(rows), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=_cell(f"Actions in {folder}/ ({len(rows)})"), expand=True)
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
        table.add_row(*(_cell(c, style) for c in cells))
    Console().print(table)


@main.command(name="due")
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
        _fail(exc)
    if as_json:
        click.echo(_json(result))
    else:
        _echo(due_text(result), nl=False)
    sys.exit(EXIT_FINDINGS if result["any_overdue"] else EXIT_OK)


@main.command(name="progress-report")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
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
    """A progress update report on the action plans of assessments, laid out like council progress updates."""
    from eqia.files.atomic import write_atomic
    from eqia.files.opening import open_assessment
    from eqia.report.progress import build_progress_report
    from eqia.usecases.export import renderer

    try:
        opened = [open_assessment(p) for p in paths]
        assessments = [o.assessment for o in opened]
        content = renderer(fmt)(build_progress_report(opened[0].form, assessments, dt.date.today()))
        data = content.encode("utf-8") if isinstance(content, str) else content
        if out:
            write_atomic(Path(out), data)
        elif isinstance(content, bytes):
            raise EqiaError(f"{fmt} is a binary format: give --out FILE.")
    except EqiaError as exc:
        _fail(exc)
    if not out:
        _echo(content, nl=False)


@main.group()
def forms() -> None:
    """Forms: the question sets assessments are written against (forms/*.toml)."""


@forms.command(name="list")
def forms_list() -> None:
    """Every form eqia can find, with its id, version and name."""
    from eqia.errors import FormError
    from eqia.files.forms import form_files, load_form_file

    for form_id, path in form_files().items():
        try:
            form = load_form_file(path)
        except FormError as exc:
            _line(f"{form_id:<20} (broken) {exc}")
            continue
        _line(f"{form.id:<20} {form.version:<8} {form.form.name}  [{path}]")


@forms.command(name="show")
@click.argument("form_id")
@click.option("--type", "activity_type", default="", help="Fill the questions for this activity type.")
def forms_show(form_id: str, activity_type: str) -> None:
    """The form's questions as the user will see them, numbered, with the group wording filled in."""
    from eqia.files.forms import load_form
    from eqia.usecases.form_preview import preview_lines

    try:
        form = load_form(form_id)
    except EqiaError as exc:
        _fail(exc)
    for line in preview_lines(form, activity_type):
        _echo(line)


@forms.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def forms_check(paths: tuple[str, ...]) -> None:
    """Validate form files a council has written: exit 0 when all are sound, 2 otherwise."""
    from eqia.errors import FormError
    from eqia.files.forms import load_form_file

    worst = EXIT_OK
    for raw in paths:
        try:
            form = load_form_file(Path(raw))
        except FormError as exc:
            _error(exc)
            worst = EXIT_BAD_INPUT
            continue
        count = sum(len(s.questions) for s in form.sections)
        _line(
            f"{raw}: {form.id} {form.version}: {len(form.sections)} sections, {count} questions, "
            f"{len(form.characteristics)} characteristics. OK."
        )
    sys.exit(worst)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format",
    "-f",
    "formats",
    default="html",
    show_default=True,
    help="Comma-separated formats: txt, md, html, docx, pdf; or all.",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False),
    default="exports",
    show_default=True,
    help="Folder to write the reports to (created if missing).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of cores).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary: per file, outputs or the error.")
def export(
    paths: tuple[str, ...], formats: str, out_dir: str, jobs: int | None, quiet: bool, as_json: bool
) -> None:
    """Export assessments to published reports laid out like the Birmingham EA.

    PATHS may be files or folders (searched for *.toml). Exit 0 when every file
    was exported, 1 when any failed (the others are still exported), 2 for bad
    arguments.
    """
    from eqia.usecases.export import parse_formats, run

    try:
        wanted = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(
            f"{exc}; choose from txt, md, html, docx, pdf or all.", param_hint="--format"
        ) from None
    inputs = _toml_files(paths)
    if not inputs:
        _fail(EqiaError(f"no assessment files (*.toml) in {', '.join(paths)}."))
    out = Path(out_dir)
    show_progress = not quiet and not as_json and sys.stderr.isatty()
    results = []
    failed = 0
    progress = task = None
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(
            TextColumn("Exporting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            auto_refresh=False,
            transient=True,
        )
        progress.start()
        task = progress.add_task("export", total=len(inputs))
    try:
        for result in run(inputs, wanted, out, jobs or _cores()):
            results.append(result)
            if result.error is not None:
                failed += 1
                if not as_json:
                    message = str(result.error["text"])
                    if progress is not None:
                        progress.console.print(
                            f"eqia: error: {visible(message, one_line=True)}", markup=False, highlight=False
                        )
                    else:
                        _error(message)
            if progress is not None and task is not None:
                progress.advance(task)
                progress.refresh()
    except EqiaError as exc:
        if progress is not None:
            progress.stop()
        _fail(exc)
    finally:
        if progress is not None:
            progress.stop()
    if as_json:
        results.sort(key=lambda r: r.file)
        click.echo(
            json.dumps(
                {
                    "exported": len(results) - failed,
                    "failed": failed,
                    "files": [r.as_json() for r in results],
                },
                indent=2,
            )
        )
    elif show_progress:
        written = sum(len(r.outputs) for r in results)
        done = f"Exported {len(results) - failed} of {len(results)} assessments ({written} files) to {out}/"
        click.echo(visible(done), err=True)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


if __name__ == "__main__":
    main()
