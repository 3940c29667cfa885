"""Provides the commands that open or start an assessment: edit, new, show, review, upgrade."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from eqia.cli.config_commands import configured_name
from eqia.cli.output import (
    fail,
    line,
)
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.


def run_app(path: Path | None, *, review: bool = False, reviewer: str = "") -> None:
    """Open the terminal UI (the only place Textual is imported), as the user named in the settings (the
    name recorded with verdicts and changes of status; reviewer, from --by, overrides it)."""
    from eqia.tui.app import EqiaApp  # deferred: Textual is loaded only for the app

    me = configured_name()
    app = EqiaApp(path, review=review, reviewer=reviewer, me=me)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
def edit(path: str) -> None:
    """Open an assessment in the terminal UI, to answer or change it."""
    from eqia.files.opening import open_assessment

    try:  # fail fast, with the CLI's message, before the screen is taken over
        open_assessment(path)
    except EqiaError as exc:
        fail(exc)
    run_app(Path(path))


@click.command()
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
@click.option(
    "--no-edit",
    is_flag=True,
    help="Only write the file (scripts): do not open it in the app. Never opened when not on a terminal.",
)
def new(
    path: str, form_id: str | None, name: str, activity_type: str, reference: str, force: bool, no_edit: bool
) -> None:
    """Write a fresh, empty assessment to PATH and, on a terminal, open it in the app to answer it."""
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
        fail(exc)
    wrote = f"Wrote {path} (form {form.id} {form.version})."
    if not no_edit and _on_terminal():
        line(wrote)  # stays on the terminal under the app's screen, and after it
        run_app(Path(path))
        return
    line(f"{wrote} Next: eqia edit {shlex.quote(path)}")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _on_terminal() -> bool:
    """Whether a person is at a terminal that the app can take over: both stdin and stdout."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command()
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
        fail(exc)
    report = build_report(opened.form, opened.assessment)
    Console(width=width, soft_wrap=False).print(render_terminal(report))


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--by", "by", default="", help="Your name, recorded with verdicts and decisions. Default: eqia config's."
)
def review(path: str, by: str) -> None:
    """Review an assessment in the app: answers read-only, findings and verdicts beside each question.

    Keys: 1 acceptable, 2 improvable, 3 must correct, c comment, R return, A approve.
    """
    from eqia.files.opening import open_assessment

    try:
        open_assessment(path)
    except EqiaError as exc:
        fail(exc)
    run_app(Path(path), review=True, reviewer=by)


@click.command()
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
        fail(exc, file=path)
    if not done.changed:
        line(f"{path}: already on {done.form_id} {done.new_version}.")
        return
    line(f"{path}: {done.form_id} {done.old_version} -> {done.new_version} ({done.steps} form change(s)).")
    for version, note in done.notes:
        line(f"  {version}   {note}")
    for m in done.moved:
        line(f"  moved   {'.'.join((*m.key_path[:-1], m.old))} -> {m.new}")
    for o in done.kept:
        line(f"  kept    {'.'.join(o.key_path)} (question removed in {o.version}; see eqia check)")
