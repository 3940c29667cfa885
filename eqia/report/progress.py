"""Provides the progress update report: each action's agreed plan, its latest progress, grade and impact.

build_progress_report(form, assessments) lays an action plan out as councils
publish scrutiny progress updates: per action its Responsibility, Date, Agreed
Action, Agreed Success Measure, Evidence of Progress, Assessment of Progress
(graded 1-4) and Evidence of Impact, each dated, then earlier updates, and the
grading key at the end. Each action is headed "Action N: " and a short title (short_title) of
what is to be done. It is built as the same report tree as the assessment report
(eqia.report.tree), so every renderer (txt, md, html, docx, pdf) prints it.
Values are plain strings; renderers escape them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from eqia.document import dates
from eqia.document.actions import GRADES, grade_text, is_overdue, latest_graded_update, latest_update
from eqia.document.form import FormSpec
from eqia.document.model import ActionItem, Assessment
from eqia.report.tree import Field, FieldTable, Heading, Paragraph, Report, Table

TITLE = "Progress Update"
GRADING_KEY_TITLE = "Assessment of Progress Gradings"
INTRODUCTION = (
    "Progress on each action of the action plan: what was agreed, the evidence of progress, "
    "an assessment of progress graded 1 to 4 (see the gradings at the end) and any evidence of impact."
)
NO_UPDATE = "No progress update has been recorded for this action yet."
NOT_GRADED = "Not graded yet"
TITLE_LENGTH = 60
"""About how long an action's heading may be after "Action N: "."""
# A sentence ends at . ! or ? before a space and a capital (or the end), but not in "i.e." or "e.g.".
_SENTENCE_END = re.compile(r"(?<!\b[a-zA-Z]\.[a-zA-Z])(?<!\b[a-zA-Z])[.!?](?=\s+[A-Z\"“‘'(]|$)")


def build_progress_report(
    form: FormSpec,
    assessments: list[Assessment],
    today: dt.date | None = None,
    forms: list[FormSpec] | None = None,
) -> Report:
    """The progress update report for one or more assessments (one section each when several).

    `form` gives the report's language and date format; `forms`, when given, is each assessment's
    own form (assessments of several forms in one report), whose labels its section prints.
    With `today`, the report is dated and actions past their target date, not closed and not
    Fully Achieved are marked overdue; without it the report depends only on the assessments.
    """
    single = assessments[0] if len(assessments) == 1 else None
    name = _header(single, "ea_name", form) if single else ""
    reference = _header(single, "reference", form) if single else ""
    if single is not None:
        subtitle = f"{name} ({reference})" if name and reference else name or reference
    else:
        subtitle = f"{len(assessments)} assessments" if assessments else ""
    report = Report(
        title=TITLE,
        subtitle=subtitle,
        language=form.form.language,
        reference=reference,
        name=name,
    )
    add = report.blocks.append
    add(Heading(1, "", TITLE))
    if subtitle:
        add(Paragraph(subtitle))
    add(Paragraph(INTRODUCTION + (f" Reported on {dates.show(today, form)}." if today else "")))
    if not assessments:
        add(Paragraph("There are no assessments to report on."))
    for index, a in enumerate(assessments):
        own = forms[index] if forms is not None else form
        level = 2
        if single is None:
            ref, title = _header(a, "reference", form), _header(a, "ea_name", form)
            add(Heading(2, "", ": ".join(p for p in (ref, title) if p) or "Assessment"))
            level = 3
        _assessment(report, own, a, level, today)
    add(Heading(2, "", GRADING_KEY_TITLE))
    add(Table(("Grade", "Meaning"), tuple((str(g), meaning) for g, meaning in GRADES.items())))
    return report


def short_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A heading for an action: its first sentence, or as many whole words of it as fit in about
    `limit` characters, then "…"; a sentence's full stop is left off."""
    text = " ".join(text.split())
    end = _SENTENCE_END.search(text)
    first = text[: end.start() + 1] if end else text
    if len(first) <= limit:
        return first.removesuffix(".")
    cut = first.rfind(" ", 0, limit + 1)
    head = first[: cut if cut > limit // 2 else limit]
    return head.rstrip(" ,;:–-(") + "…"


def _header(a: Assessment | None, key: str, form: FormSpec | None = None) -> str:
    value = a.header.get(key, "") if a is not None else ""
    return dates.show(value, form) if isinstance(value, dt.date) else str(value or "")


def _summary(a: Assessment) -> str:
    """How many actions, and how many at each latest grade: "3 actions: 2 Fully Achieved, 1 On-Track"."""
    count = len(a.actions)
    grades = Counter(update.grade for item in a.actions if (update := latest_graded_update(item)))
    parts = [f"{grades[g]} {GRADES[g]}" for g in GRADES if grades[g]]
    ungraded = count - sum(grades.values())
    if ungraded:
        parts.append(f"{ungraded} not graded")
    head = f"{count} action{'s' if count != 1 else ''}"
    return head + (": " + ", ".join(parts) if count else "")


def _assessment(report: Report, form: FormSpec, a: Assessment, level: int, today: dt.date | None) -> None:
    add = report.blocks.append
    labels = {h.id: h.label for h in form.header}
    rows = [
        Field(labels.get("ea_name", "Name"), _header(a, "ea_name", form)),
        Field(labels.get("reference", "Reference"), _header(a, "reference", form)),
        Field(labels.get("directorate", "Directorate"), _header(a, "directorate", form)),
        Field(labels.get("service_area", "Service area"), _header(a, "service_area", form)),
    ]
    review = a.value("review_date")
    if isinstance(review, dt.date):
        rows.append(Field("Review Date", dates.show(review, form)))
    rows.append(Field("Actions", _summary(a)))
    add(FieldTable(tuple(r for r in rows if r.value)))
    if not a.actions:
        add(Paragraph(form.wording("no_actions")))
        return
    names = {c.id: c.label for c in form.characteristics} | dict(form.optional_items())
    for number, item in enumerate(a.actions, start=1):
        _action(report, form, item, number, level, names, today)


def _action(
    report: Report,
    form: FormSpec,
    item: ActionItem,
    number: int,
    level: int,
    names: dict[str, str],
    today: dt.date | None,
) -> None:
    add = report.blocks.append
    title = short_title(item.action or item.issue)
    add(Heading(level, "", f"Action {number}: {title}" if title else f"Action {number}"))
    target = dates.show(item.target_date, form) or "No target date"
    if today is not None and is_overdue(item, today):
        target += " (overdue)"
    rows = [
        Field(form.action_label("issue"), item.issue),  # in full: the heading has only a short title
        Field("Responsibility", item.owner),
        Field("Date", target),
        Field("Agreed Action", item.action),
        Field("Agreed Success Measure", item.success_measure),
    ]
    latest = latest_update(item)
    graded = latest_graded_update(item)
    if latest is None:
        rows.append(Field("Evidence of Progress", NO_UPDATE))
        rows.append(Field("Assessment of Progress", NOT_GRADED))
    else:
        rows.append(
            Field(f"Evidence of Progress ({dates.show(latest.date, form)})", latest.evidence_of_progress)
        )
        if graded is not None:
            rows.append(
                Field(f"Assessment of Progress ({dates.show(graded.date, form)})", grade_text(graded.grade))
            )
        else:
            rows.append(Field("Assessment of Progress", NOT_GRADED))
        rows.append(Field(f"Evidence of Impact ({dates.show(latest.date, form)})", latest.evidence_of_impact))
        if latest.by:
            rows.append(Field("Reported by", latest.by))
    extra = [
        Field("Protected characteristic(s)", ", ".join(names.get(c, c) for c in item.characteristics)),
        Field("Resources", item.resources),
        Field("Status", "Closed" if item.closed else ""),
    ]
    add(FieldTable((*(r for r in rows[:1] if r.value), *rows[1:], *(r for r in extra if r.value))))
    earlier = [u for u in sorted(item.updates, key=lambda u: u.date) if u is not latest]
    if earlier:
        add(Paragraph(f"Earlier updates on action {number}:"))
        add(
            Table(
                ("Date", "Assessment of Progress", "Evidence of Progress", "Evidence of Impact"),
                tuple(
                    (
                        dates.show(u.date, form),
                        grade_text(u.grade),
                        u.evidence_of_progress,
                        u.evidence_of_impact,
                    )
                    for u in earlier
                ),
            )
        )
