"""Provides the progress update report: each action's agreed plan, its latest progress, grade and impact.

build_progress_report(form, assessments) lays an action plan out as councils
publish scrutiny progress updates, in the wording of the form ([text] progress_*):
per action its owner, target date, agreed action, success measure, evidence of
progress, assessment of progress (graded 1-4) and evidence of impact, each dated,
then earlier updates, and the grading key at the end. Each action is headed with the
form's word for an action, its number and a short title (short_title) of what is to be done.
It is built as the same report tree as the assessment report
(eqia.report.tree), so every renderer (txt, md, html, docx, pdf) prints it.
Values are plain strings; renderers escape them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from eqia.document import dates
from eqia.document.actions import GRADES, grade_text, is_overdue, latest_graded_update, latest_update
from eqia.document.form import FormSpec, fill
from eqia.document.model import ActionItem, Assessment
from eqia.report.tree import Field, FieldTable, Heading, Paragraph, Report, Table

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
        title=form.progress_label("title"),
        subtitle=subtitle,
        language=form.form.language,
        reference=reference,
        name=name,
        skip_link=form.wording("skip_link"),
    )
    add = report.blocks.append
    add(Heading(1, "", report.title))
    if subtitle:
        add(Paragraph(subtitle))
    dated = " " + fill(form.progress_label("reported_on"), date=dates.show(today, form)) if today else ""
    add(Paragraph(form.progress_label("intro") + dated))
    if not assessments:
        add(Paragraph(form.progress_label("none")))
    for index, a in enumerate(assessments):
        own = forms[index] if forms is not None else form
        level = 2
        if single is None:
            ref, title = _header(a, "reference", form), _header(a, "ea_name", form)
            add(Heading(2, "", ": ".join(p for p in (ref, title) if p) or "Assessment"))
            level = 3
        _assessment(report, own, a, level, today)
    add(Heading(2, "", form.progress_label("grading_key")))
    columns = (form.progress_label("grade_column"), form.progress_label("meaning_column"))
    add(Table(columns, tuple((str(g), meaning) for g, meaning in GRADES.items())))
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
        rows.append(Field(form.progress_label("review_date"), dates.show(review, form)))
    rows.append(Field(form.progress_label("actions"), _summary(a)))
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
    label = f"{form.wording('action_item')} {number}"
    add(Heading(level, "", f"{label}: {title}" if title else label))
    target = dates.show(item.target_date, form) or form.progress_label("no_target_date")
    if today is not None and is_overdue(item, today):
        target += f" ({form.progress_label('overdue')})"
    evidence, grade, impact = (form.progress_label(k) for k in ("evidence", "grade", "impact"))
    not_graded = form.progress_label("not_graded")
    rows = [
        Field(form.action_label("issue"), item.issue),  # in full: the heading has only a short title
        Field(form.progress_label("owner"), item.owner),
        Field(form.progress_label("target_date"), target),
        Field(form.progress_label("action"), item.action),
        Field(form.progress_label("success_measure"), item.success_measure),
    ]
    latest = latest_update(item)
    graded = latest_graded_update(item)
    if latest is None:
        rows.append(Field(evidence, form.progress_label("no_update")))
        rows.append(Field(grade, not_graded))
    else:
        rows.append(Field(f"{evidence} ({dates.show(latest.date, form)})", latest.evidence_of_progress))
        if graded is not None:
            rows.append(Field(f"{grade} ({dates.show(graded.date, form)})", grade_text(graded.grade)))
        else:
            rows.append(Field(grade, not_graded))
        rows.append(Field(f"{impact} ({dates.show(latest.date, form)})", latest.evidence_of_impact))
        if latest.by:
            rows.append(Field(form.progress_label("reported_by"), latest.by))
    extra = [
        Field(form.action_label("characteristics"), ", ".join(names.get(c, c) for c in item.characteristics)),
        Field(form.action_label("resources"), item.resources),
        Field(form.progress_label("status"), form.progress_label("closed") if item.closed else ""),
    ]
    add(FieldTable((*(r for r in rows[:1] if r.value), *rows[1:], *(r for r in extra if r.value))))
    earlier = [u for u in sorted(item.updates, key=lambda u: u.date) if u is not latest]
    if earlier:
        add(Paragraph(fill(form.progress_label("earlier"), action=label)))
        add(
            Table(
                (form.progress_label("date"), grade, evidence, impact),
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
