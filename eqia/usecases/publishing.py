"""Provides the gate before anything is published: personal data found in an assessment's free text
(EQ028) refuses publication until it is edited out or kept on purpose, with who and why (`eqia keep`)."""

from __future__ import annotations

import datetime as dt

from eqia.document.keypath import dotted
from eqia.document.model import Assessment, KeptData
from eqia.errors import EqiaError
from eqia.files.opening import Opened
from eqia.files.tomlfile import line_finder
from eqia.quality.checks.base import CheckContext
from eqia.quality.checks.privacy import free_text, officer_names, personal_data
from eqia.quality.personal_data import KINDS, find_personal_data


def blockers(opened: Opened) -> list[tuple[str, int | None, str]]:
    """The personal data still in an assessment: (dotted key, line, the finding's message)."""
    ctx = CheckContext(opened.form, opened.assessment)
    line_of = line_finder(opened.file.text)
    return [(dotted(path), line_of(path), message) for path, message in personal_data(ctx)]


def refusal(opened: Opened, doing: str = "published") -> EqiaError | None:
    """Why an assessment cannot be published yet, in one paragraph; None when nothing stands in the way."""
    found = blockers(opened)
    if not found:
        return None
    key, line, message = found[0]
    more = (
        f" This is 1 of {len(found)} such findings; `eqia check FILE` lists them all."
        if len(found) > 1
        else ""
    )
    return EqiaError(
        f"it cannot be {doing} while personal data is in it: {message}{more}",
        file=opened.path,
        key=key,
        line=line,
    )


def keep(
    opened: Opened, key: str, text: str, why: str, by: str, now: dt.datetime | None = None
) -> tuple[Assessment, KeptData]:
    """A copy of the assessment recording that the personal data `text` at `key` may be published;
    EqiaError when no such personal data is found there, or who and why are not said."""
    if not why.strip():
        raise EqiaError("say why this may be published (--why).", file=opened.path, key=key)
    if not by.strip():
        raise EqiaError("say who decided (--by NAME).", file=opened.path, key=key)
    ctx = CheckContext(opened.form, opened.assessment)
    names = officer_names(ctx)
    for path, _, value in free_text(ctx):
        if dotted(path) != key:
            continue
        for found in find_personal_data(value, names):
            if found.text == text:
                assessment = opened.assessment.model_copy(deep=True)
                at = (now or dt.datetime.now()).replace(microsecond=0)
                entry = KeptData(key=key, text=text, kind=found.kind, by=by.strip(), at=at, why=why.strip())
                assessment.review.kept = [
                    k for k in assessment.review.kept if (k.key, k.text) != (key, text)
                ] + [entry]
                return assessment, entry
        kinds = ", ".join(sorted({KINDS[f.kind] for f in find_personal_data(value, names)})) or "none"
        raise EqiaError(
            f"\u201c{text}\u201d is not personal data found in this answer (found there: {kinds}).",
            file=opened.path,
            key=key,
            hint="Copy the key and the text from the finding eqia check prints.",
        )
    raise EqiaError(
        f"`{key}` is not an answer, comment or action text of this assessment.",
        file=opened.path,
        key=key,
        hint="Copy the key from the finding eqia check prints.",
    )
