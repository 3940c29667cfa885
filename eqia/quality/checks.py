"""Provides the checks: pure functions of (form, assessment) that return findings.

Each check has a stable id (EQ001...) that never changes meaning, a slug, a
default severity and a one-line summary (its docstring's first line), and is
listed once in CHECKS. `eqia check --list-rules` prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from eqia.document import dates
from eqia.document.form import Characteristic, FormSpec, Question, RepeatField
from eqia.document.keypath import KeyPath, parse_dotted
from eqia.document.migrate import as_written, moved_answers, orphans, pending, retired_ids
from eqia.document.model import Answer, Assessment, entry_is_empty, is_blank
from eqia.document.outline import (
    Slot,
    all_slots,
    applies,
    assessed,
    characteristic_pages,
    heading_label,
    is_shown,
    section_label,
)
from eqia.quality.review import content_hash

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


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
                f"{_label(ctx, cid)} has full-assessment answers but is not marked "
                f"\u201c{ctx.form.relevance_wording('full')}\u201d in the relevance test "
                f"({_relevance_label(ctx)}); they will not be reported. Mark it, or remove the answers.",
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
            yield (*slot.key_path, "answer"), f'{where}"{_short(slot.text)}" needs an answer.'


def relevance_undecided(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A protected characteristic without its relevance test answered."""
    for c in ctx.form.characteristics_in(ctx.assessment.include):
        rec = ctx.assessment.characteristics.get(c.id)
        if rec is None or rec.relevant is None:
            yield (
                ("characteristics", c.id, "relevant"),
                f"{c.label}: say whether it is relevant ({_relevance_label(ctx)}).",
            )
        elif rec.full_assessment is None:
            yield (
                ("characteristics", c.id, "full_assessment"),
                f"{c.label}: say whether a full assessment is required ({_relevance_label(ctx)}).",
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
        asked = f" “{_short(q.text)}”" if q is not None else ""
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


# -- due regard: completeness, evidence, consultation --------------------------------


def full_assessment_empty(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A characteristic marked for full assessment with none of its questions answered."""
    for c in assessed(ctx.form, ctx.assessment):
        rec = ctx.assessment.characteristics[c.id]
        if all(entry_is_empty(entry) for entry in rec.answers.values()):
            pages = [heading_label(e) for e in characteristic_pages(ctx.form, ctx.assessment, c.id)]
            where = f" ({_join(pages)})" if pages else ""
            yield (
                ("characteristics", c.id, "answers"),
                f"{c.label} is marked \u201c{ctx.form.relevance_wording('full')}\u201d but none of its "
                f"full-assessment questions{where} is answered. Complete its pages, or change the "
                f"relevance test ({_relevance_label(ctx)}) if no full assessment is needed.",
            )


def no_evidence_plan(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """No evidence for a characteristic, and no word on what evidence will be gathered."""
    for slot, _, answer in _answered(ctx, "evidence", "No"):
        if _unexplained(ctx, answer.comment):
            yield (
                (*slot.key_path, "comment"),
                f"{_where(slot)}there is no evidence to support the assessment. Say in the comment "
                "what evidence will be gathered, from where and by when: a decision needs an "
                "informed view of its effect on this group.",
            )


def evidence_conflict(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Evidence that does not present a consistent view, with no comment explaining how."""
    for slot, _, answer in _answered(ctx, "consistent_view", "No"):
        if _unexplained(ctx, answer.comment):
            yield (
                (*slot.key_path, "comment"),
                f"{_where(slot)}the evidence does not present a consistent view. Say in the comment "
                "where the sources disagree and which one the assessment relies on, and why.",
            )


def views_not_sought(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Views of the group or of stakeholders not obtained, with no reason given."""
    for qid, whose in (("views_of_group", "{group}"), ("views_of_stakeholders", "relevant stakeholders")):
        for slot, c, answer in _answered(ctx, qid, "No"):
            if not _unexplained(ctx, answer.comment):
                continue
            who = whose.format(group=c.group.lower())
            yield (
                (*slot.key_path, "comment"),
                f"{_where(slot)}the views of {who} were not obtained. Say in the comment why not, "
                "or how and when they will be sought: the decision-maker needs to know what "
                "those affected think.",
            )


def action_plan_missing(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A further action plan is required for a characteristic, but the action plan has no item for it."""
    planned = {cid for action in ctx.assessment.actions for cid in action.characteristics}
    for slot, c, _ in _answered(ctx, "further_action_plan", "Yes"):
        if slot.question.offers_action and c.id not in planned:
            yield (
                (*slot.key_path, "answer"),
                f"{_where(slot)}a further action plan is required, but no item of the action plan "
                f"({_action_plan_label(ctx)}) is for {c.label}. Add one: what will be done, by whom and "
                "by when.",
            )


# -- quality of the writing ----------------------------------------------------------------

#: Answers that say nothing, compared in lower case without spaces or punctuation ("" is "-").
BOILERPLATE = frozenset({"", "na", "none", "nil", "noimpact", "notapplicable", "tbc"})
#: Texts at least this long (whitespace normalised) are compared across characteristics.
REPEATED_MIN_LENGTH = 40
#: How many characteristics must share the same text for it to be reported.
REPEATED_MIN_COUNT = 3


def boilerplate_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Text answers that say nothing: "N/A", "none", "no impact", "TBC", "-" and the like."""
    for slot, text in _text_answers(ctx, ("text", "line")):
        if _boilerplate(text):
            yield (
                (*slot.key_path, "answer"),
                f'{_where(slot)}"{_short(text.strip(), 30)}" does not answer "{_short(slot.text)}". '
                "Say what applies and why; if the question really does not apply, explain why not.",
            )


def repeated_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The same long text pasted as one question's answer for three or more characteristics."""
    found: list[tuple[Slot, Characteristic, tuple[str, str]]] = []
    groups: dict[tuple[str, str], list[Characteristic]] = {}
    for slot, text in _text_answers(ctx, ("text", "line")):
        normal = _normal(text)
        if slot.characteristic is not None and len(normal) >= REPEATED_MIN_LENGTH:
            key = (slot.question.id, normal.casefold())
            found.append((slot, slot.characteristic, key))
            groups.setdefault(key, []).append(slot.characteristic)
    for slot, c, key in found:  # in report order
        if len(groups[key]) < REPEATED_MIN_COUNT:
            continue
        others = _join([other.label for other in groups[key] if other is not c])
        yield (
            (*slot.key_path, "answer"),
            f"{c.label}: this answer is word for word the same as for {others}. Shared text is fine "
            f"where the facts really are the same, but say what is particular to {c.group.lower()}.",
        )


def answer_too_short(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Text answers too short to explain anything (under the form's min_explanation_length)."""
    minimum = ctx.form.form.min_explanation_length
    for slot, text in _text_answers(ctx, ("text",)):
        normal = _normal(text)
        if len(normal) < minimum and not _boilerplate(text):
            yield (
                (*slot.key_path, "answer"),
                f'{_where(slot)}"{normal}" is too short to explain anything (under {minimum} '
                f'characters). Answer "{_short(slot.text)}" in a sentence or two: what, how and why.',
            )


# -- timing, consistency and approval ---------------------------------------------------


def decision_before_assessment(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The decision was taken before the assessment was first submitted or approved."""
    decided = ctx.assessment.header.get("decision_date")
    if not isinstance(decided, dt.date):
        return
    if isinstance(decided, dt.datetime):
        decided = decided.date()
    done = [e for e in ctx.assessment.review.history if e.status in ("submitted", "approved")]
    if not done:
        return
    first = min(done, key=lambda e: e.at)
    if first.at.date() > decided:
        yield (
            ("header", "decision_date"),
            f"the decision was taken before the assessment was completed: decided on "
            f"{dates.show(decided, ctx.form)}, but the assessment was first {first.status} on "
            f"{dates.show(first.at, ctx.form)}. Due regard must be had before and at the time of a "
            "decision, not after it.",
        )


def relevance_unexplained(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A relevant characteristic without full assessment that the initial analysis does not mention."""
    analysis = ctx.assessment.get("initial_analysis")
    parts = (analysis.answer, analysis.comment) if analysis else ()
    said = " ".join(part for part in parts if isinstance(part, str))
    for c in ctx.form.characteristics:
        rec = ctx.assessment.characteristics.get(c.id)
        if rec is None or rec.relevant is not True or rec.full_assessment is not False:
            continue
        if not _mentions(said, c):
            where = section_label(
                ctx.form, ctx.assessment, "the initial analysis", question="initial_analysis"
            )
            yield (
                ("characteristics", c.id, "full_assessment"),
                f"{c.label} is relevant but has no full assessment, and the analysis of the initial "
                f"assessment ({where}) does not mention it: say there why no full assessment is needed "
                f"for {c.group.lower()}.",
            )


def edited_after_approval(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An approved or published assessment whose content changed after approval."""
    review = ctx.assessment.review
    if (
        review.status in ("approved", "published")
        and review.approved_hash
        and content_hash(as_written(ctx.form, ctx.assessment)) != review.approved_hash
    ):
        yield (
            ("review", "approved_hash"),
            f"the assessment is {review.status} but was edited after approval: its content no "
            "longer matches what the quality control officer approved. Submit it again for "
            "approval, or undo the change.",
        )


def approved_without_hash(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An approved or published assessment with no record of what was approved."""
    review = ctx.assessment.review
    if review.status in ("approved", "published") and not review.approved_hash:
        yield (
            ("review", "approved_hash"),
            f"the assessment is {review.status} but has no approval fingerprint (approved_hash), so "
            "later edits cannot be detected. Approve it with `eqia` rather than by editing the status.",
        )


def must_correct_open(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An answer the quality control officer marked "must correct" (it blocks approval)."""
    review = ctx.assessment.review
    if review.status not in ("draft", "returned"):
        return
    for index, verdict in enumerate(review.verdicts):
        if verdict.verdict != "must_correct":
            continue
        note = f": {verdict.comment.strip()}" if verdict.comment.strip() else "."
        yield (
            parse_dotted(verdict.key) or ("review", "verdicts", index),
            f"quality control marked this answer \u201cmust correct\u201d{note} "
            "The assessment cannot be approved until it is corrected and the verdict changed.",
        )


def closed_without_update(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An action-plan item closed without a final progress update."""
    for i, item in enumerate(ctx.assessment.actions):
        if item.closed and not item.updates:
            yield (
                ("actions", i, "closed"),
                (
                    f"action {i + 1} is closed but has no progress update; add a final update "
                    "(evidence of progress, grade and evidence of impact) before closing it."
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
    Check("EQ009", "full-assessment-empty", "error", full_assessment_empty),
    Check("EQ010", "no-evidence-plan", "error", no_evidence_plan),
    Check("EQ011", "evidence-conflict", "warning", evidence_conflict),
    Check("EQ012", "views-not-sought", "warning", views_not_sought),
    Check("EQ013", "action-plan-missing", "error", action_plan_missing),
    Check("EQ014", "boilerplate-answer", "warning", boilerplate_answers),
    Check("EQ015", "repeated-answer", "info", repeated_answers),
    Check("EQ016", "answer-too-short", "warning", answer_too_short),
    Check("EQ017", "decision-before-ea", "error", decision_before_assessment),
    Check("EQ018", "relevance-unexplained", "warning", relevance_unexplained),
    Check("EQ019", "edited-after-approval", "error", edited_after_approval),
    Check("EQ020", "approved-no-hash", "warning", approved_without_hash),
    Check("EQ021", "must-correct-open", "info", must_correct_open),
    Check("EQ022", "closed-without-update", "error", closed_without_update),
)


def run_checks(form: FormSpec, assessment: Assessment, today: dt.date | None = None) -> list[Finding]:
    """All findings for an assessment, in registry order."""
    ctx = CheckContext(form, assessment, today or dt.date.today())
    return [
        Finding(check.id, check.slug, check.severity, tuple(path), message)
        for check in CHECKS
        for path, message in check.fn(ctx)
    ]


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(ctx: CheckContext, cid: str) -> str:
    return next((c.label for c in ctx.form.characteristics if c.id == cid), cid)


def _relevance_label(ctx: CheckContext) -> str:
    """The relevance test's page as this assessment numbers it ("2.3 Relevance Test")."""
    return section_label(ctx.form, ctx.assessment, "the relevance test", kind="relevance")


def _action_plan_label(ctx: CheckContext) -> str:
    """The action plan's section as this assessment numbers it ("5 Action Plan")."""
    return section_label(ctx.form, ctx.assessment, "the action plan", kind="action_plan")


def _where(slot: Slot) -> str:
    return f"{slot.characteristic.label}: " if slot.characteristic else ""


def _answered(ctx: CheckContext, qid: str, value: str) -> Iterator[tuple[Slot, Characteristic, Answer]]:
    """Shown per-characteristic slots of question qid whose answer is value."""
    for slot in all_slots(ctx.form, ctx.assessment):
        if slot.characteristic is None or slot.question.id != qid:
            continue
        answer = slot.answer(ctx.assessment)
        if answer is not None and answer.answer == value:
            yield slot, slot.characteristic, answer


def _text_answers(ctx: CheckContext, kinds: tuple[str, ...]) -> Iterator[tuple[Slot, str]]:
    """Shown slots of these question kinds with a non-blank text answer."""
    for slot in all_slots(ctx.form, ctx.assessment):
        if slot.question.kind not in kinds:
            continue
        answer = slot.answer(ctx.assessment)
        if answer is not None and isinstance(answer.answer, str) and answer.answer.strip():
            yield slot, answer.answer


def _normal(text: str) -> str:
    return " ".join(text.split())


def _boilerplate(text: str) -> bool:
    """Non-blank text that says nothing: N/A, none, nil, no impact, not applicable, TBC, "-"."""
    return bool(text.strip()) and re.sub(r"[\W_]+", "", text.casefold()) in BOILERPLATE


def _unexplained(ctx: CheckContext, comment: str | None) -> bool:
    """Whether a comment fails to explain: missing, boilerplate or too short."""
    if comment is None or is_blank(comment) or _boilerplate(comment):
        return True
    return len(_normal(comment)) < ctx.form.form.min_explanation_length


def _mentions(text: str, c: Characteristic) -> bool:
    terms = {c.label, c.table_label, c.group}
    return any(re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, re.IGNORECASE) for t in terms if t)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
