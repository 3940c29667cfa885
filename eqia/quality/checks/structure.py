"""Provides the checks of structure (EQ001-EQ008): unknown keys, answer kinds, required answers,
relevance, hidden answers, form versions and the review date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from eqia.document import dates
from eqia.document.edits import value_at
from eqia.document.form import FormSpec, Question, RepeatField
from eqia.document.keypath import parse_dotted
from eqia.document.migrate import moved_answers, orphans, pending, retired_ids
from eqia.document.model import Answer, entry_is_empty, is_blank
from eqia.document.outline import (
    all_slots,
    applies,
    assessed,
    is_shown,
)
from eqia.quality.checks.base import (
    CheckContext,
    KeyPath,
    label,
    relevance_label,
    short,
)

# -- the checks ---------------------------------------------------------------------


def unknown_keys(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers, header fields or characteristics that the form does not define."""
    form, a = ctx.form, ctx.assessment
    header_ids = {h.id for h in form.header}
    for key in a.header:
        if key not in header_ids:
            yield ("header", key), f"`{key}` is not a header field of the form {form.id}."
    retired = retired_ids(form)
    optional = {oid for oid, _ in form.optional_items()}
    for i, oid in enumerate(a.include):
        if oid not in optional:
            yield ("include", i), f"`{oid}` is not an optional group or section of the form {form.id}."
    yield from _unknown_answers(form, a.answers, ("answers",), None, retired)
    char_ids = {c.id for c in form.characteristics}
    for cid, rec in a.characteristics.items():
        if cid not in char_ids:
            yield (
                ("characteristics", cid),
                f"`{cid}` is not a protected characteristic of the form {form.id}.",
            )
            continue
        yield from _unknown_answers(form, rec.answers, ("characteristics", cid, "answers"), cid, retired)
        for qid in rec.answers:
            q = form.question(qid, "characteristic")
            if q is not None and not applies(q, cid):
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


def _unknown_answers(
    form: FormSpec, answers: dict, prefix: KeyPath, cid: str | None, retired: set[str]
) -> Iterator[tuple[KeyPath, str]]:
    scope = "characteristic" if cid else "assessment"
    for key, entry in answers.items():
        q = form.question(key, scope)
        if q is None:
            if key not in retired:  # answers to retired questions are EQ007's
                yield (*prefix, key), f"`{key}` is not a question of the form {form.id}."
        elif q.each and isinstance(entry, dict):
            items = {i.id for i in form.items(q.each, cid)}
            for item in entry:
                if item not in items:
                    yield (
                        (*prefix, key, item),
                        f"`{item}` is not one of the items this question is asked for.",
                    )
        elif q.each and isinstance(entry, Answer):
            yield (
                (*prefix, key),
                f"this question is answered once per item, as [{'.'.join(map(str, (*prefix, key)))}.<item>].",
            )
        elif not q.each and isinstance(entry, dict):
            yield (*prefix, key), "this question takes one answer, not one per item."
        elif q.kind != "repeat" and isinstance(entry, Answer) and entry.rows:
            yield (*prefix, key, "rows"), "this question takes one answer, not rows."


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
        if answer is None:
            continue
        if slot.question.kind == "repeat":
            fields = {f.id: f for f in slot.question.fields}
            for index, row in enumerate(answer.rows):
                for name, value in row.items():
                    path = (*slot.key_path, "rows", index, name)
                    if name not in fields:
                        yield (
                            path,
                            f"`{name}` is not a field of this question; its fields: {', '.join(fields)}.",
                        )
                    elif (problem := _kind_problem(fields[name], value)) is not None:
                        yield path, problem
            continue
        if answer.answer is None:
            continue
        if (problem := _kind_problem(slot.question, answer.answer)) is not None:
            yield (*slot.key_path, "answer"), problem


def _kind_problem(q: Question | RepeatField, value: object) -> str | None:
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
        if not rec.full_assessment and not all(entry_is_empty(e) for e in rec.answers.values()):
            yield (
                ("characteristics", cid, "full_assessment"),
                f"{label(ctx, cid)} has full-assessment answers but is not marked "
                f"\u201c{ctx.form.relevance_wording('full')}\u201d in the relevance test "
                f"({relevance_label(ctx)}); they will not be reported. Mark it, or remove the answers.",
            )


def required_missing(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Required answers that are missing."""
    form, a = ctx.form, ctx.assessment
    for field_ in form.header:
        if field_.required and is_blank(a.header.get(field_.id)):
            yield ("header", field_.id), f"{field_.label} is required."
    for slot in all_slots(form, a):
        if not slot.question.required:
            continue
        answer = slot.answer(a)
        blank = answer is None or (
            answer.is_empty() if slot.question.kind == "repeat" else is_blank(answer.answer)
        )
        if blank:
            where = f"{slot.characteristic.label}: " if slot.characteristic else ""
            yield (*slot.key_path, "answer"), f'{where}"{short(slot.text)}" needs an answer.'


def relevance_undecided(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A protected characteristic without its relevance test answered."""
    for c in ctx.form.characteristics_in(ctx.assessment.include):
        rec = ctx.assessment.characteristics.get(c.id)
        if rec is None or rec.relevant is None:
            yield (
                ("characteristics", c.id, "relevant"),
                f"{c.label}: say whether it is relevant ({relevance_label(ctx)}).",
            )
        elif rec.full_assessment is None:
            yield (
                ("characteristics", c.id, "full_assessment"),
                f"{c.label}: say whether a full assessment is required ({relevance_label(ctx)}).",
            )


def hidden_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Answers kept for questions that the form no longer asks, given earlier answers."""
    form, a = ctx.form, ctx.assessment
    for c in assessed(form, a):
        rec = a.characteristics[c.id]
        for section in form.sections:
            for q in section.questions:
                if q.id in rec.answers and applies(q, c.id) and not is_shown(form, a, q, section, c.id):
                    if entry_is_empty(rec.answers[q.id]):
                        continue
                    yield (
                        ("characteristics", c.id, "answers", q.id),
                        f"{c.label}: this answer is kept but not shown, because the question it "
                        "follows was not answered the way that asks it.",
                    )


def form_version(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Written with an older form version: answers moved to renamed questions or kept for removed ones."""
    a, form = ctx.assessment, ctx.form
    for moved in moved_answers(form, a):
        q = form.question(
            moved.new, "characteristic" if moved.key_path[0] == "characteristics" else "assessment"
        )
        asked = f" “{short(q.text)}”" if q is not None else ""
        yield (
            moved.key_path,
            f"this answer was written for the question `{moved.old}`, which version {moved.version} of the "
            f"form renamed to `{moved.new}`{asked}. Check it still answers the question, then run "
            "`eqia upgrade` on the file to record that it follows the current form.",
        )
    for orphan in orphans(form, a):
        why = f" ({orphan.note})" if orphan.note else ""
        yield (
            orphan.key_path,
            f"version {orphan.version} of the form removed the question `{orphan.qid}`{why}. Its answer is "
            "kept here and is not in the report: move what matters into another answer, then delete it.",
        )
    if a.form_version != form.version and not pending(form, a):
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
                    f"the review date {dates.show(value, ctx.form)} has passed; "
                    "review the assessment and set a new date."
                ),
            )


def unparsed_values(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Text typed where a date (or another kind of value) belongs that could not be read."""
    for key, text in ctx.assessment.unparsed.items():
        key_path = parse_dotted(key) or ("unparsed", key)
        kept = value_at(ctx.assessment, key_path)
        if isinstance(kept, dt.date):
            kept_text = f"the last date that could be read, {dates.show(kept, ctx.form)}"
        elif kept is None or kept == "":
            kept_text = "no value"
        else:
            kept_text = f"the last value that could be read, {short(str(kept), 30)!r}"
        yield (
            key_path,
            f"\u201c{short(text, 30)}\u201d was typed here but is not a date eqia can read (type it as "
            f"{dates.pattern(ctx.form)}, for example {dates.example(ctx.form)}). The file keeps {kept_text} "
            "and the text as typed, until it is corrected.",
        )
