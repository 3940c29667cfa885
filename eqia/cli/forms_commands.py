"""Provides `eqia forms`: list, show and check the forms assessments are written against."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eqia.cli.output import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    echo,
    error,
    fail,
    line,
)
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.


@click.group()
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
            line(f"{form_id:<20} (broken) {exc}")
            continue
        line(f"{form.id:<20} {form.version:<8} {form.form.name}  [{path}]")


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
        fail(exc)
    for text in preview_lines(form, activity_type):
        echo(text)


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
            error(exc)
            worst = EXIT_BAD_INPUT
            continue
        count = sum(len(s.questions) for s in form.sections)
        line(
            f"{raw}: {form.id} {form.version}: {len(form.sections)} sections, {count} questions, "
            f"{len(form.characteristics)} characteristics. OK."
        )
    sys.exit(worst)
