"""Provides loading and saving of assessment files: tomllib to read, tomlkit to write.

Reading uses the stdlib parser (fast, for scripts). Saving re-parses the file
as it was read with tomlkit and merges the new content into it key by key, so
that comments and formatting of everything that did not change are kept, and
an unchanged assessment saves to identical bytes.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from eqia import SCHEMA_VERSION
from eqia.document.form import FormSpec
from eqia.document.keypath import KeyPath, dotted
from eqia.document.model import Answer, Assessment, is_blank
from eqia.errors import AssessmentError
from eqia.files.atomic import digest_of, replace_if_unchanged, write_atomic
from eqia.files.tomlfile import line_of, parse, read_text


@dataclass
class AssessmentFile:
    """An assessment as read from disk, with what is needed to save it kindly."""

    path: Path
    assessment: Assessment
    text: str
    """The file's text as read: the base that a save merges into."""
    digest: str
    """SHA-256 of the file's bytes as read, to notice someone else's save."""


# -- reading -------------------------------------------------------------------------


def read(path: str | Path) -> AssessmentFile:
    """Read and validate an assessment file (fast path: tomllib + pydantic)."""
    path = Path(path)
    text, raw = read_text(path, AssessmentError)
    data = parse(text, path, AssessmentError)
    assessment = from_data(data, path, text)
    return AssessmentFile(path, assessment, text, digest_of(raw))


def load(path: str | Path) -> Assessment:
    return read(path).assessment


def from_data(data: dict[str, Any], path: Path, text: str = "") -> Assessment:
    """Validate parsed TOML as an assessment; problems name the key and line."""
    version = data.get("schema_version")
    if version is None:
        raise AssessmentError(
            "this is not an eqia assessment: it has no `schema_version` at the top.",
            file=path,
            hint="An assessment starts with schema_version, form and form_version; `eqia new` writes one.",
        )
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise AssessmentError(
            f"this file was written by a newer eqia (schema version {version}); "
            f"this eqia reads schema version {SCHEMA_VERSION} and older.",
            file=path,
            key="schema_version",
            line=line_of(text, ("schema_version",)),
            hint="Upgrade eqia (pip install -U eqia) to open it; the file was not changed.",
        )
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, path, text) from None


def _validation_error(exc: ValidationError, path: Path, text: str) -> AssessmentError:
    errors = exc.errors()
    # Unions report one error per branch; the first is the most telling.
    err = errors[0]
    loc = _clean_loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        message = (
            "this key is not part of an eqia assessment (unknown key). Check its spelling, or remove it."
        )
    elif kind == "missing":
        message = "this key is required but missing."
    else:
        got = err.get("input")
        shown = repr(got) if not isinstance(got, (dict, list)) else f"a {_TOML_KIND.get(type(got), 'value')}"
        expected = _EXPECTED.get(kind.split("_")[0]) or err["msg"].rstrip(".").replace(
            "Input should be", "it should be"
        )
        message = f"{expected} (found {shown})."
    more = len({tuple(_clean_loc(e["loc"])) for e in errors}) - 1
    hint = (
        f"There {'is' if more == 1 else 'are'} {more} more problem{'s' if more != 1 else ''} after this one."
        if more > 0
        else None
    )
    return AssessmentError(
        message, file=path, key=dotted(loc) or None, line=line_of(text, loc) if loc else None, hint=hint
    )


_EXPECTED = {
    "bool": "this must be true or false, without quotes",
    "string": "this must be text, in quotes",
    "date": "this must be a date written like 2026-10-31, without quotes",
    "datetime": "this must be a date and time written like 2026-10-31T14:30:00",
    "int": "this must be a whole number",
    "list": "this must be a list, written in [ ]",
    "dict": "this must be a table",
    "model": "this must be a table",
}
_TOML_KIND = {dict: "table", list: "list"}


def _clean_loc(loc: tuple[Any, ...]) -> KeyPath:
    """Drop pydantic's union branch names (`Answer`, `dict[str,Answer]`) from a location."""
    return tuple(
        p
        for p in loc
        if not (isinstance(p, str) and (p[:1].isupper() or "[" in p or p.startswith("function-")))
    )


# -- turning an assessment into ordered data -------------------------------------------


def to_data(assessment: Assessment, form: FormSpec) -> dict[str, Any]:
    """The assessment as plain data in the file's order; unanswered questions left out."""
    out: dict[str, Any] = {
        "schema_version": assessment.schema_version,
        "form": assessment.form,
        "form_version": assessment.form_version,
    }
    if assessment.include:
        out["include"] = list(assessment.include)
    header = _ordered(
        {k: v for k, v in assessment.header.items() if not is_blank(v)}, [h.id for h in form.header]
    )
    if header:
        out["header"] = header
    answers = _answers_data(assessment.answers, form, "assessment")
    if answers:
        out["answers"] = answers
    chars: dict[str, Any] = {}
    for cid, rec in assessment.characteristics.items():
        entry: dict[str, Any] = {}
        if rec.relevant is not None:
            entry["relevant"] = rec.relevant
        if rec.full_assessment is not None:
            entry["full_assessment"] = rec.full_assessment
        if not is_blank(rec.reason):
            entry["reason"] = rec.reason
        if rec_answers := _answers_data(rec.answers, form, "characteristic"):
            entry["answers"] = rec_answers
        if entry:
            chars[cid] = entry
    if chars := _ordered(chars, [c.id for c in form.characteristics]):
        out["characteristics"] = chars
    if assessment.actions:
        out["actions"] = [_prune(a.model_dump()) for a in assessment.actions]
    if unparsed := {k: v for k, v in assessment.unparsed.items() if v}:
        out["unparsed"] = unparsed
    if assessment.conflicts:
        out["conflicts"] = [c.model_dump() for c in assessment.conflicts]
    review = _prune(assessment.review.model_dump())
    review.setdefault("status", assessment.review.status)
    # Plain values first: after a [[review.history]] table they would belong to it.
    out["review"] = dict(sorted(review.items(), key=lambda kv: isinstance(kv[1], list)))
    return out


def _answers_data(answers: dict[str, Any], form: FormSpec, scope: str) -> dict[str, Any]:
    """Answers in the form's question order, items in the list's order; empty ones left out."""
    out: dict[str, Any] = {}
    for key, entry in answers.items():
        if isinstance(entry, Answer):
            if (data := _answer(entry)) is not None:
                out[key] = data
            continue
        items = {k: d for k, a in entry.items() if (d := _answer(a)) is not None}
        if items:
            q = form.question(key, scope)
            order = [i.id for i in form.items(q.each)] if q is not None and q.each else []
            out[key] = _ordered(items, order)
    return _ordered(out, [q.id for _, q in form.questions(scope)])


def _answer(answer: Answer) -> dict[str, Any] | None:
    data = {}
    if not is_blank(answer.answer):
        data["answer"] = answer.answer
    if not is_blank(answer.comment):
        data["comment"] = answer.comment
    rows = [{k: v for k, v in row.items() if not is_blank(v)} for row in answer.rows]
    if rows := [row for row in rows if row]:
        data["rows"] = rows
    return data or None


def _ordered(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    rank = {k: i for i, k in enumerate(order)}
    return dict(sorted(data.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def _prune(value: Any) -> Any:
    """Drop empty strings, empty lists, None and False flags from model dumps."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


# -- writing ---------------------------------------------------------------------------


def dumps(assessment: Assessment, form: FormSpec, base_text: str | None = None) -> str:
    """TOML text for an assessment, merged into base_text to keep its comments and layout."""
    # Deferred: tomlkit takes a tenth of eqia's start-up to import, and opening a file only reads
    # (with tomllib); the first save, in a worker, loads the writer.
    from eqia.files.tomlwrite import merged

    text = merged(base_text, to_data(assessment, form)).replace("\r\n", "\n")
    base = (base_text or "").replace("\r\n", "\n")
    # Tables added at the end bring their trailing blank line; end the file as it ended.
    if text.endswith("\n\n") and not base.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    # One line ending throughout: the file's own (Windows files stay Windows), LF for new files.
    if base_text and base_text.count("\r\n") * 2 > base_text.count("\n"):
        text = text.replace("\n", "\r\n")
    return text


def save(
    assessment: Assessment,
    path: str | Path,
    form: FormSpec,
    *,
    base: AssessmentFile | None = None,
    check_conflict: bool = True,
) -> AssessmentFile:
    """Save atomically, written against the form the file was opened with. With base, keep the file's
    comments, and refuse if it changed on disk."""
    path = Path(path)
    text = dumps(assessment, form, base.text if base is not None else None)
    data = text.encode("utf-8")
    if base is not None and check_conflict and base.path == path:
        # Checked under the lock at the moment of replacing, not before the slow merge above.
        replace_if_unchanged(path, data, base.digest)
    else:
        write_atomic(path, data)
    return AssessmentFile(path, assessment, text, digest_of(data))


NEW_FILE_BANNER = """\
# An equality impact assessment, written by eqia on the form {form_id} {version} ({form_name}).
# Answer it in the terminal with `eqia edit {name}`, or edit this file by hand:
# comments you add are kept when eqia saves. `eqia check {name}` lists what is missing.
"""


def _banner_path(path: Path) -> str:
    """The path as given, quoted for a shell, on one comment line (a control character shows as ?)."""
    return "".join(ch if ch.isprintable() else "?" for ch in shlex.quote(str(path)))


def create(
    path: str | Path, form: FormSpec, header: dict[str, str] | None = None, *, force: bool = False
) -> AssessmentFile:
    """Write a new, empty assessment for a form; refuses to overwrite unless force."""
    path = Path(path)
    if path.exists() and not force:
        raise AssessmentError(
            "a file already exists here, so eqia did not overwrite it.",
            file=path,
            hint="Choose another name, or pass --force to replace it.",
        )
    assessment = Assessment(
        form=form.id,
        form_version=form.version,
        header={k: v for k, v in (header or {}).items() if v},
    )
    banner = NEW_FILE_BANNER.format(
        form_id=form.id, version=form.version, form_name=form.form.name, name=_banner_path(path)
    )
    text = dumps(assessment, form, banner + f"schema_version = {SCHEMA_VERSION}\n")
    data = text.encode("utf-8")
    if not path.parent.exists():
        raise AssessmentError(f"the folder {path.parent} does not exist.", file=path)
    write_atomic(path, data)
    return AssessmentFile(path, assessment, text, digest_of(data))
