"""Provides starting a new assessment: an empty file for a form, with its name, activity type and
reference, for `eqia new` and the app's start screen alike."""

from __future__ import annotations

from pathlib import Path

from eqia.document.form import FormSpec
from eqia.errors import EqiaError
from eqia.files.store import AssessmentFile, create


def new_assessment(
    path: str | Path,
    form: FormSpec,
    *,
    name: str = "",
    activity_type: str = "",
    reference: str = "",
    force: bool = False,
) -> AssessmentFile:
    """Write a fresh assessment; EqiaError when the activity type is not the form's or the file exists."""
    allowed = [t.value for t in form.activity_types]
    if activity_type and activity_type not in allowed:
        raise EqiaError(
            f"{activity_type!r} is not an activity type of the form {form.id}.",
            hint="Use one of: " + ", ".join(allowed) + ".",
        )
    header = {"ea_name": name, "activity_type": activity_type, "reference": reference}
    return create(path, form, header, force=force)
