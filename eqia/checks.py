"""Provides the checks: pure functions of (form, assessment) that return findings.

Each check has a stable id (EQ001...) that never changes meaning, a slug, a
default severity and a one-line summary (its docstring's first line), and is
listed once in CHECKS. `eqia check --list-rules` prints them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from eqia.forms import FormSpec, Question
from eqia.model import Answer, Assessment
from eqia.outline import all_slots, applies, assessed, is_shown

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One problem found in an assessment, located by key path."""

    rule: str
    slug: str
    severity: Severity
    key_path: KeyPath
    message: str


@dataclass(frozen=True)
class CheckContext:
    form: FormSpec
    assessment: Assessment
    today: dt.date = field(default_factory=dt.date.today)


CheckFn = Callable[[CheckContext], Iterator[tuple[KeyPath, str]]]


@dataclass(frozen=True)
class Check:
    id: str
    slug: str
    severity: Severity
    fn: CheckFn

    @property
    def summary(self) -> str:
        return (self.fn.__doc__ or "").strip().splitlines()[0]


# -- the checks ---------------------------------------------------------------------


def unknown_keys(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers, header fields or characteristics that the form does not define."""
    form, a = ctx.form, ctx.assessment
    header_ids = {h.id for h in form.header}
    for key in a.header:
        if key not in header_ids:
            yield ("header", key), f"`{key}` is not a header field of the form {form.id}."
    questions = {q.id: q for _, q in form.questions("assessment")}
    themes = {t.id for t in form.themes}
    for key, entry in a.answers.items():
        q = questions.get(key)
        if q is None:
            yield ("answers", key), f"`{key}` is not a question of the form {form.id}."
        elif q.each and isinstance(entry, dict):
            for item in entry:
                if item not in themes:
                    yield ("answers", key, item), f"`{item}` is not one of the form's strategic themes."
        elif q.each and isinstance(entry, Answer):
            yield ("answers", key), f"this question is answered once per theme, as [answers.{key}.<theme>]."
        elif not q.each and isinstance(entry, dict):
            yield ("answers", key), "this question takes one answer, not one per item."
    char_ids = {c.id for c in form.characteristics}
    char_questions = {q.id: q for _, q in form.questions("characteristic")}
    for cid, rec in a.characteristics.items():
        if cid not in char_ids:
            yield (
                ("characteristics", cid),
                f"`{cid}` is not a protected characteristic of the form {form.id}.",
            )
            continue
        for qid in rec.answers:
            q = char_questions.get(qid)
            if q is None:
                yield (
                    ("characteristics", cid, "answers", qid),
                    f"`{qid}` is not a question of the form {form.id}.",
                )
            elif not applies(q, cid):
                yield (
                    ("characteristics", cid, "answers", qid),
                    f"this question is only asked for {', '.join(q.applies_to)}.",
                )
    for i, action in enumerate(a.actions):
        for cid in action.characteristics:
            if cid not in char_ids:
                yield (
                    ("actions", i, "characteristics"),
                    f"`{cid}` is not a protected characteristic of the form.",
                )


def answer_kinds(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers of the wrong kind: Yes/No, date, choice or text as the form asks."""
    form, a = ctx.form, ctx.assessment
    for field_ in form.header:
        value = a.header.get(field_.id)
        if value is None:
            continue
        path = ("header", field_.id)
        if field_.kind == "activity_type":
            allowed = [t.value for t in form.activity_types]
            if value not in allowed:
                yield (
                    path,
                    f"{value!r} is not an activity type of this form; use one of: {', '.join(allowed)}.",
                )
        elif field_.kind == "date" and not isinstance(value, dt.date):
            yield path, f"{field_.label} must be a date (written 2025-03-31 in the file)."
        elif field_.kind != "date" and not isinstance(value, str):
            yield path, f"{field_.label} must be text, in quotes."
    for slot in all_slots(form, a, shown_only=False):
        answer = slot.answer(a)
        if answer is None or answer.answer is None:
            continue
        if (problem := _kind_problem(slot.question, answer.answer)) is not None:
            yield (*slot.key_path, "answer"), problem


def _kind_problem(q: Question, value: object) -> str | None:
    if q.kind == "yes_no" and value not in ("Yes", "No"):
        return f'the answer must be "Yes" or "No", not {value!r}.'
    if q.kind == "date" and not isinstance(value, dt.date):
        return "the answer must be a date (written 2025-03-31 in the file, without quotes)."
    if q.kind == "choice" and value not in q.options:
        return f"the answer must be one of: {', '.join(q.options)}."
    if q.kind in ("text", "line") and not isinstance(value, str):
        return "the answer must be text, in quotes."
    return None


def unassessed_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers for a characteristic that is not marked for full assessment."""
    for cid, rec in ctx.assessment.characteristics.items():
        if rec.answers and not rec.full_assessment:
            yield (
                ("characteristics", cid, "full_assessment"),
                f"{_label(ctx, cid)} has full-assessment answers but is not marked "
                '"Full Assessment Required"; they will not be reported. Mark it, or remove the answers.',
            )


def required_missing(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Required answers that are missing."""
    form, a = ctx.form, ctx.assessment
    for field_ in form.header:
        if field_.required and _empty(a.header.get(field_.id)):
            yield ("header", field_.id), f"{field_.label} is required."
    for slot in all_slots(form, a):
        if not slot.question.required:
            continue
        answer = slot.answer(a)
        if answer is None or _empty(answer.answer):
            where = f"{slot.characteristic.label}: " if slot.characteristic else ""
            yield (*slot.key_path, "answer"), f'{where}"{_short(slot.text)}" needs an answer.'


def relevance_undecided(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A protected characteristic without its relevance test answered."""
    for c in ctx.form.characteristics:
        rec = ctx.assessment.characteristics.get(c.id)
        if rec is None or rec.relevant is None:
            yield (
                ("characteristics", c.id, "relevant"),
                f"{c.label}: say whether it is relevant (relevance test).",
            )
        elif rec.full_assessment is None:
            yield (
                ("characteristics", c.id, "full_assessment"),
                f"{c.label}: say whether a full assessment is required (relevance test).",
            )


def hidden_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers kept for questions that the form no longer asks, given earlier answers."""
    form, a = ctx.form, ctx.assessment
    for c in assessed(form, a):
        rec = a.characteristics[c.id]
        for section in form.sections:
            for q in section.questions:
                if q.id in rec.answers and applies(q, c.id) and not is_shown(form, a, q, section, c.id):
                    if rec.answers[q.id].is_empty():
                        continue
                    yield (
                        ("characteristics", c.id, "answers", q.id),
                        f"{c.label}: this answer is kept but not shown, because the question it "
                        "follows was not answered the way that asks it.",
                    )


def form_version(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The assessment was written with another version of its form."""
    a, form = ctx.assessment, ctx.form
    if a.form_version != form.version:
        yield (
            ("form_version",),
            (
                f"written with version {a.form_version} of the form {form.id}; "
                f"the form is now at version {form.version}. Check the answers still fit the questions."
            ),
        )


def review_date_past(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The review date has passed."""
    for _, q in ctx.form.questions("assessment"):
        if q.kind != "date" or q.id != "review_date":
            continue
        value = ctx.assessment.value(q.id)
        if isinstance(value, dt.date) and value < ctx.today:
            yield (
                ("answers", q.id, "answer"),
                (
                    f"the review date {value.strftime('%d/%m/%Y')} has passed; "
                    "review the assessment and set a new date."
                ),
            )


CHECKS: tuple[Check, ...] = (
    Check("EQ001", "unknown-key", "error", unknown_keys),
    Check("EQ002", "answer-kind", "error", answer_kinds),
    Check("EQ003", "unassessed-answers", "error", unassessed_answers),
    Check("EQ004", "required-missing", "error", required_missing),
    Check("EQ005", "relevance-undecided", "error", relevance_undecided),
    Check("EQ006", "hidden-answer", "warning", hidden_answers),
    Check("EQ007", "form-version", "warning", form_version),
    Check("EQ008", "review-date-past", "warning", review_date_past),
)


def run_checks(form: FormSpec, assessment: Assessment, today: dt.date | None = None) -> list[Finding]:
    """All findings for an assessment, in registry order."""
    ctx = CheckContext(form, assessment, today or dt.date.today())
    return [
        Finding(check.id, check.slug, check.severity, tuple(path), message)
        for check in CHECKS
        for path, message in check.fn(ctx)
    ]


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(ctx: CheckContext, cid: str) -> str:
    return next((c.label for c in ctx.form.characteristics if c.id == cid), cid)
