"""Provides what the published register says of one assessment, decided once from form and assessment:
its row of the index, its search entry, the top of its own page (summary, actions with their latest
grades, history) and its part of each characteristic's page. Plain, picklable data; every text made
visible (eqia.document.plain) and worded by the assessment's form. eqia.report.site_pages lays it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from eqia.document import dates
from eqia.document.actions import grade_text, latest_graded_update
from eqia.document.form import FormSpec, fill
from eqia.document.model import ActionItem, Assessment, is_blank
from eqia.document.outline import placeholders, slots
from eqia.document.plain import visible
from eqia.document.public import public_summary
from eqia.document.wording import SITE_LABELS
from eqia.report.tree import format_value

DIRECTORATE_FIELDS = ("department", "team", "directorate")
"""The header fields that name who owns an assessment, the first a form has being its directorate."""
SHOWN_KINDS = ("yes_no", "choice")
"""The per-characteristic answers a characteristic's page shows: what the assessment found."""
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

# The form's own wordings an assessment's pages use, beside its site_ wordings.
_FORM_WORDS = (
    "skip_link",
    "no_actions",
    "relevance_reason",
    "action_item",
    "action_issue",
    "action_action",
    "action_characteristics",
    "action_target_date",
    "action_latest_grade",
    "progress_not_graded",
)


@dataclass(frozen=True, slots=True)
class ActionLine:
    """One action as the register lists it."""

    label: str
    """The form's word and number: "Action 2"."""
    action: str
    issue: str
    characteristics: tuple[tuple[str, str], ...]
    """(id, label) of each characteristic it is for."""
    target_date: str
    grade: str
    """The latest graded update's grade ("2 (On-Track)"), or the form's "Not graded yet"."""
    closed: bool


@dataclass(frozen=True, slots=True)
class Asked:
    """A question of a characteristic's full assessment with its answer; a question asked for each
    item (each aim of the duty) has one answer per item."""

    question: str
    answers: tuple[tuple[str, str], ...]
    """(item, answer); the item is "" for a question asked once."""


@dataclass(frozen=True, slots=True)
class Finding:
    """What an assessment found for one characteristic it found relevant."""

    cid: str
    label: str
    decision: str
    """The form's words for the decision: "Relevant only" or "Full assessment required"."""
    full: bool
    reason: str
    asked: tuple[Asked, ...]
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One change of review status."""

    date: str
    iso: str
    status: str
    by: str


@dataclass(frozen=True, slots=True)
class Listing:
    """Everything the register shows of one published assessment, but its report."""

    reference: str
    name: str
    directorate: str
    decision_date: str
    """ISO 8601, or ""."""
    review_date: str
    """ISO 8601, or ""."""
    decision_shown: str
    """As the form prints dates, for the assessment's own page."""
    review_shown: str
    language: str
    summary: str
    characteristics: tuple[tuple[str, str], ...]
    """(id, label) of each characteristic the assessment tests for relevance, in the form's order."""
    full: tuple[tuple[str, str], ...]
    """(id, label) of each characteristic with a full assessment, in the form's order."""
    findings: tuple[Finding, ...]
    open_actions: int
    actions: tuple[ActionLine, ...]
    history: tuple[Change, ...]
    words: dict[str, str]
    """The form's wording for the assessment's pages (site_ keys without the prefix, and others)."""

    @property
    def year(self) -> str:
        return self.decision_date[:4]


def listing(form: FormSpec, a: Assessment) -> Listing:
    """The register's view of a published assessment."""
    words = {key: visible(form.wording(f"site_{key}")) for key in SITE_LABELS}
    words |= {key: visible(form.wording(key)) for key in _FORM_WORDS}
    plan = next((sec for sec in form.sections if sec.kind == "action_plan"), None)
    if plan is not None and "site_action_plan" not in form.text:  # the form's own title of its plan
        words["action_plan"] = visible(fill(plan.title, **placeholders(form, a)))
    labels = {c.id: visible(c.label) for c in form.characteristics}
    actions = tuple(_action(form, item, number, labels) for number, item in enumerate(a.actions, start=1))
    decision = _date(a.header.get("decision_date"))
    review = _date(a.value("review_date"))
    chars = form.characteristics_in(a.include)
    return Listing(
        reference=_text(form, a.header.get("reference")),
        name=_text(form, a.header.get("ea_name")),
        directorate=directorate(form, a),
        decision_date=dates.iso(decision),
        review_date=dates.iso(review),
        decision_shown=dates.show(decision, form),
        review_shown=dates.show(review, form),
        language=visible(form.form.language, one_line=True),
        summary=summary(form, a),
        characteristics=tuple((c.id, labels[c.id]) for c in chars),
        full=tuple((c.id, labels[c.id]) for c in chars if _record(a, c.id, "full_assessment")),
        findings=tuple(
            _finding(form, a, c.id, labels, actions)
            for c in chars
            if _record(a, c.id, "relevant") or _record(a, c.id, "full_assessment")
        ),
        open_actions=sum(1 for item in a.actions if not item.closed),
        actions=actions,
        history=tuple(
            Change(dates.show(h.at, form), dates.iso(h.at), words[f"status_{h.status}"], visible(h.by))
            for h in a.review.history
        ),
        words=words,
    )


def summary(form: FormSpec, a: Assessment) -> str:
    """The plain-English summary: the form's summary for the public where it asks one and it is
    written, else the header's `summary` (eqia.document.public)."""
    return visible(public_summary(form, a)[1])


def directorate(form: FormSpec, a: Assessment) -> str:
    """Who owns the assessment: the first of department, team and directorate that the form has."""
    ids = {h.id for h in form.header}
    for key in DIRECTORATE_FIELDS:
        if key in ids:
            return _text(form, a.header.get(key)).strip()
    return ""


def published_at(a: Assessment) -> dt.datetime | None:
    """When the assessment was last published, from its history (None if not recorded)."""
    times = [h.at for h in a.review.history if h.status == "published"]
    return times[-1] if times else None


def long_date(iso: str) -> str:
    """An ISO date as the register's shared pages print it, in words: "9 February 2027"."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _text(form: FormSpec, value: object) -> str:
    return visible(format_value(form, value))


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _record(a: Assessment, cid: str, flag: str) -> bool:
    rec = a.characteristics.get(cid)
    return rec is not None and getattr(rec, flag) is True


def _action(form: FormSpec, item: ActionItem, number: int, labels: dict[str, str]) -> ActionLine:
    graded = latest_graded_update(item)
    grade = grade_text(graded.grade) if graded is not None else form.progress_label("not_graded")
    return ActionLine(
        label=visible(f"{form.wording('action_item')} {number}".strip()),
        action=visible(item.action),
        issue=visible(item.issue),
        characteristics=tuple((c, labels.get(c, visible(c))) for c in item.characteristics),
        target_date=dates.show(item.target_date, form),
        grade=visible(grade),
        closed=item.closed,
    )


def _finding(
    form: FormSpec, a: Assessment, cid: str, labels: dict[str, str], actions: tuple[ActionLine, ...]
) -> Finding:
    rec = a.characteristics[cid]
    full = rec.full_assessment is True
    return Finding(
        cid=cid,
        label=labels[cid],
        decision=visible(form.relevance_wording("full" if full else "relevant")),
        full=full,
        reason=visible((rec.reason or "").strip()),
        asked=_asked(form, a, cid) if full else (),
        actions=tuple(line for line in actions if any(c == cid for c, _ in line.characteristics)),
    )


def _asked(form: FormSpec, a: Assessment, cid: str) -> tuple[Asked, ...]:
    """The characteristic's answers of kind yes/no or choice, each with its question as the form words
    it for this characteristic, in the form's order."""
    char = form.characteristic(cid)
    values = placeholders(form, a, char)
    out: list[Asked] = []
    for section in form.sections:
        if section.scope != "characteristic" or not section.questions:
            continue
        if not form.section_included(section, a.include) or not section.asks_for(form, cid):
            continue
        found: dict[str, list[tuple[str, str]]] = {}
        for slot in slots(form, a, section, char, values=values):
            answer = slot.answer(a) if slot.question.kind in SHOWN_KINDS else None
            if answer is None or answer.answer is None or is_blank(answer.answer):
                continue
            item = visible(slot.text) if slot.item is not None else ""
            found.setdefault(slot.question.id, []).append((item, visible(format_value(form, answer.answer))))
        for question in section.questions:
            if question.id in found:
                out.append(Asked(visible(fill(question.text, **values)), tuple(found[question.id])))
    return tuple(out)
