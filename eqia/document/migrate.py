"""Provides form-version upgrades: an assessment written with an older version of its form, read
against the current one. Renamed questions move to their new ids; answers to removed questions
are kept where they are, never dropped, for `eqia check` to point at."""

from __future__ import annotations

from dataclasses import dataclass

from eqia.document.form import FormSpec, Migration, version_key
from eqia.document.model import Assessment, entry_is_empty


@dataclass(frozen=True)
class Moved:
    """An answer that a form version moved: from the old question id to the new one."""

    old: str
    new: str
    version: str
    key_path: tuple[str, ...]
    """Where the answer is now."""


@dataclass(frozen=True)
class Orphan:
    """An answer to a question that a form version removed."""

    qid: str
    version: str
    key_path: tuple[str, ...]
    note: str


def pending(form: FormSpec, assessment: Assessment) -> list[Migration]:
    """The form's migrations newer than the version the assessment was written with."""
    written = version_key(assessment.form_version)
    return [m for m in form.migrations if version_key(m.version) > written]


def upgrade(form: FormSpec, assessment: Assessment) -> list[Moved]:
    """Move answers of renamed questions to their new ids, in place; return what moved.

    When both the old and the new id hold an answer (someone answered the new question by
    hand), the old one is left where it is, so neither is lost; `orphans` then reports it.
    """
    moved: list[Moved] = []
    for migration in pending(form, assessment):
        for old, new in migration.renamed.items():
            for prefix, answers in _scopes(assessment):
                if old in answers and new not in answers:
                    answers[new] = answers.pop(old)
                    moved.append(Moved(old, new, migration.version, (*prefix, new)))
    return moved


def as_written(form: FormSpec, assessment: Assessment) -> Assessment:
    """The assessment with moved answers back under their old ids, as its form version had them:
    what an approval hash was taken over. The assessment itself when nothing moved."""
    moved = moved_answers(form, assessment)
    if not moved:
        return assessment
    copy = assessment.model_copy(deep=True)
    for m in moved:
        answers = copy.answers if m.key_path[0] == "answers" else copy.characteristics[m.key_path[1]].answers
        if m.old not in answers:
            answers[m.old] = answers.pop(m.new)
    return copy


def moved_answers(form: FormSpec, assessment: Assessment) -> list[Moved]:
    """Answers now under a question that was renamed since the assessment's form version."""
    out: list[Moved] = []
    for migration in pending(form, assessment):
        for old, new in migration.renamed.items():
            for prefix, answers in _scopes(assessment):
                entry = answers.get(new)
                if entry is not None and not entry_is_empty(entry):
                    out.append(Moved(old, new, migration.version, (*prefix, new)))
    return out


def orphans(form: FormSpec, assessment: Assessment) -> list[Orphan]:
    """Answers kept for questions that a form version removed or renamed away."""
    out: list[Orphan] = []
    for migration in form.migrations:
        gone = {qid: migration.note for qid in migration.removed}
        gone |= {old: migration.note for old in migration.renamed}
        for qid, note in gone.items():
            for prefix, answers in _scopes(assessment):
                if qid in answers:
                    out.append(Orphan(qid, migration.version, (*prefix, qid), note))
    return out


def retired_ids(form: FormSpec) -> set[str]:
    """Question ids that some version of the form removed or renamed."""
    out: set[str] = set()
    for migration in form.migrations:
        out |= set(migration.removed) | set(migration.renamed)
    return out


def _scopes(assessment: Assessment) -> list[tuple[tuple[str, ...], dict]]:
    scopes: list[tuple[tuple[str, ...], dict]] = [(("answers",), assessment.answers)]
    scopes += [
        (("characteristics", cid, "answers"), rec.answers) for cid, rec in assessment.characteristics.items()
    ]
    return scopes
