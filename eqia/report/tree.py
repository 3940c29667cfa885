"""Provides the report tree: the published layout decided once, for every renderer.

build_report(form, assessment) turns an assessment into a flat, format-neutral
list of blocks (headings with their numbers, paragraphs, question/answer rows,
tables). Renderers (text, Markdown, HTML, Word, PDF, terminal) only lay these
blocks out; none decides numbering, wording or which sections appear.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from eqia.document import dates
from eqia.document.form import Characteristic, FormSpec, Question, Section, fill
from eqia.document.model import Answer, Assessment, entry_is_empty
from eqia.document.outline import is_shown, numbered, placeholders
from eqia.document.plain import visible
from eqia.document.public import public_summary
from eqia.document.wording import TEXT_DEFAULTS
from eqia.report.lists import Para, Piece, split_text


@dataclass(slots=True)
class Heading:
    level: int
    """1 is the document title; numbered sections start at 2."""
    number: str
    title: str

    @property
    def text(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(slots=True)
class Paragraph:
    text: str
    """May hold line breaks and blank lines, kept as the author typed them."""
    flow: tuple[Piece, ...] = field(init=False, repr=False, compare=False)
    """The text as paragraphs and lists (eqia.report.lists): what every renderer lays out."""

    def __post_init__(self) -> None:
        self.flow = split_text(self.text)


@dataclass(slots=True)
class Field:
    label: str
    value: str


@dataclass(slots=True)
class FieldTable:
    """The header block: label and value per row."""

    rows: tuple[Field, ...]


@dataclass(slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(slots=True)
class QuestionAnswer:
    """A question, its answer and the assessor's comment; short answers sit beside the question."""

    question: str
    answer: str
    comment: str = ""
    short: bool = False
    """Yes/No and one-line answers: rendered in the question's row."""
    comment_label: str = "Comment:"
    answer_flow: tuple[Piece, ...] = field(init=False, repr=False, compare=False)
    """The answer as paragraphs and lists (one paragraph when short)."""
    comment_flow: tuple[Piece, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.answer_flow = (Para(self.answer),) if self.short else split_text(self.answer)
        self.comment_flow = split_text(self.comment)


@dataclass(slots=True)
class ActionRow:
    fields: tuple[Field, ...]
    title: str = ""
    """The action's numbered label, in the form's word: "Action 2" (text.action_item)."""


Block = Heading | Paragraph | FieldTable | Table | QuestionAnswer | ActionRow


@dataclass
class Report:
    title: str
    subtitle: str
    language: str
    reference: str
    name: str
    blocks: list[Block] = field(default_factory=list)
    skip_link: str = TEXT_DEFAULTS["skip_link"]
    """The words of the HTML page's "skip to the report" link, from the form."""
    summary_label: str = ""
    summary: str = ""
    """The summary for the public (eqia.document.public), which leads a published page and the summary
    exports."""
    made_visible: bool = field(default=False, repr=False, compare=False)
    """Set by visible_report: every text is already as a reader may see it (no control character)."""

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]


def visible_report(report: Report) -> Report:
    """The report with every text made visible (eqia.document.plain.visible): no control character,
    escape sequence or bidi override of a file reaches an export or the terminal, and every renderer
    shows the same stand-ins. Each renderer calls this first; a report that needs nothing is
    returned as it is, and so is each block that needs nothing."""
    if report.made_visible:  # the export renders one report in several formats: looked at once
        return report
    blocks = [_visible_block(b) for b in report.blocks]
    heads = (report.title, report.subtitle, report.language, report.reference, report.name)
    shown = tuple(visible(t) for t in heads)
    skip = visible(report.skip_link)
    summary = (visible(report.summary_label), visible(report.summary))
    if (
        shown == heads
        and skip == report.skip_link
        and summary == (report.summary_label, report.summary)
        and all(a is b for a, b in zip(blocks, report.blocks, strict=True))
    ):
        report.made_visible = True
        return report
    return Report(
        *shown, blocks=blocks, skip_link=skip, summary_label=summary[0], summary=summary[1], made_visible=True
    )


def _visible_block(block: Block) -> Block:
    kind = type(block)
    if kind is QuestionAnswer:
        texts = (block.question, block.answer, block.comment, block.comment_label)
        shown = tuple(visible(t) for t in texts)
        if shown == texts:
            return block
        return QuestionAnswer(shown[0], shown[1], shown[2], block.short, shown[3])
    if kind is Heading:
        number, title = visible(block.number), visible(block.title)
        if number is block.number and title is block.title:
            return block
        return Heading(block.level, number, title)
    if kind is Paragraph:
        text = visible(block.text)
        return block if text is block.text else Paragraph(text)
    if kind is FieldTable or kind is ActionRow:
        rows = block.rows if kind is FieldTable else block.fields
        shown_rows = tuple(_visible_field(r) for r in rows)
        title = visible(block.title) if kind is ActionRow else ""
        if all(a is b for a, b in zip(shown_rows, rows, strict=True)) and (
            kind is FieldTable or title is block.title
        ):
            return block
        return FieldTable(shown_rows) if kind is FieldTable else ActionRow(shown_rows, title)
    if kind is Table:
        columns = tuple(visible(c) for c in block.columns)
        rows = tuple(tuple(visible(c) for c in row) for row in block.rows)
        return block if (columns, rows) == (block.columns, block.rows) else Table(columns, rows)
    return block


def _visible_field(row: Field) -> Field:
    label, value = visible(row.label), visible(row.value)
    return row if label is row.label and value is row.value else Field(label, value)


def format_value(form: FormSpec, value: object) -> str:
    if type(value) is str:
        return value
    if isinstance(value, dt.date):
        return dates.show(value, form)
    if isinstance(value, bool):
        return form.wording("yes") if value else form.wording("no")
    return "" if value is None else str(value)


ORGANISATION_SETTING = "EQIA_ORGANISATION"


def organisation(form: FormSpec, assessment: Assessment) -> str:
    """The organisation the report is for: the assessment's `organisation` header field (where the
    form has one), else the EQIA_ORGANISATION setting, else the form's own (its `organisation`
    wording; "" if none)."""
    own = assessment.header.get("organisation")
    if isinstance(own, str) and own.strip() and any(h.id == "organisation" for h in form.header):
        return own.strip()
    return os.environ.get(ORGANISATION_SETTING, "").strip() or form.wording("organisation")


def _for_organisation(text: str, form: FormSpec, name: str) -> str:
    """The form's title or subtitle with the form's organisation's name replaced by `name`."""
    default = form.wording("organisation")
    return text.replace(default, name) if default and name != default else text


def build_report(form: FormSpec, assessment: Assessment) -> Report:
    """The whole report for an assessment, in the form's order and numbering."""
    values = placeholders(form, assessment)
    header = assessment.header
    name = organisation(form, assessment)
    title = _for_organisation(form.form.title, form, name)
    subtitle = _for_organisation(form.form.subtitle, form, name)
    report = Report(
        title=title,
        subtitle=subtitle,
        language=form.form.language,
        reference=format_value(form, header.get("reference", "")),
        name=format_value(form, header.get("ea_name", "")),
        skip_link=form.wording("skip_link"),
    )
    report.summary_label, report.summary = public_summary(form, assessment)
    add = report.blocks.append
    add(Heading(1, "", title))
    if subtitle:
        add(Paragraph(subtitle))
    add(
        FieldTable(
            tuple(
                Field(h.label, format_value(form, header.get(h.id)))
                for h in form.header
                if h.report_if_empty or header.get(h.id) not in (None, "")
            )
        )
    )
    for title_key, body_key in (
        ("introduction_title", "introduction"),
        ("initial_assessment_title", "initial_assessment"),
        ("relevant_characteristics_title", "relevant_characteristics"),
    ):
        if form.wording(title_key):
            add(Heading(2, "", form.wording(title_key)))
        if form.wording(body_key):
            add(Paragraph(fill(form.wording(body_key), **values)))
    if form.wording("answers_note"):
        add(Paragraph(form.wording("answers_note")))

    for entry in numbered(form, assessment):
        add(Heading(entry.level, entry.number, entry.title))
        if entry.section is None:
            continue
        if entry.section.intro:
            add(Paragraph(fill(entry.section.intro, **entry.values)))
        _content(report, form, assessment, entry.section, entry.characteristic, entry.values)
    return report


def _content(
    report: Report,
    form: FormSpec,
    a: Assessment,
    section: Section,
    char: Characteristic | None,
    values: dict[str, str],
) -> None:
    add = report.blocks.append
    if section.kind == "activity_type":
        if a.header.get("activity_type"):
            add(Paragraph(fill(form.wording("activity_statement"), **values)))
    elif section.kind == "relevance":
        yes, no = form.wording("yes"), form.wording("no")
        rows = []
        for c in form.characteristics_in(a.include):
            rec = a.characteristics.get(c.id)
            relevant = "" if rec is None or rec.relevant is None else _relevance_word(form, rec.relevant)
            full = "" if rec is None or rec.full_assessment is None else (yes if rec.full_assessment else no)
            row = (c.table_label, relevant, full)
            if form.relevance.reasons:  # the reason for each decision, where the form asks for one
                row += ((rec.reason or "").strip() if rec is not None else "",)
            rows.append(row)
        columns = (
            form.wording("relevance_table_heading"),
            form.wording("relevant_column"),
            form.wording("full_assessment_column"),
        )
        if form.relevance.reasons:
            columns += (form.wording("relevance_reason_column"),)
        add(Table(columns, tuple(rows)))
    elif section.kind == "characteristic_relevance" and char is not None:
        rec = a.characteristics.get(char.id)
        reason = rec.reason if rec and form.relevance.reasons and rec.reason else ""
        label = f"{form.wording('relevance_reason')}:" if reason else "Comment:"
        word = _relevance_word(form, bool(rec and rec.relevant))
        add(QuestionAnswer(char.label, word, reason.strip(), short=True, comment_label=label))
    elif section.kind == "options":
        items = form.optional_items()
        yes, no = form.wording("yes"), form.wording("no")
        if items:
            add(
                Table(
                    (
                        form.wording("options_column"),
                        form.wording("included_column"),
                    ),
                    tuple((label, yes if oid in a.include else no) for oid, label in items),
                )
            )
    elif section.kind == "action_plan":
        _actions(report, form, a)
    if section.questions:
        _questions(report, form, a, section, char, values)


def _relevance_word(form: FormSpec, relevant: bool) -> str:
    """The form's word for a relevance test answer: "Relevant" or "Not Relevant"."""
    return form.wording("relevant") if relevant else form.wording("not_relevant")


@dataclass(slots=True)
class _Ask:
    """One question as a section asks it in the report, worked out once per batch."""

    question: Question
    text: str
    """The question filled in for the activity type and characteristic."""
    plain: bool
    """Printed with its answer: no per-item grid or repeating group, and the question shown."""
    short: bool | None
    """Whether the answer sits in the question's row; None: only when it is one line."""


def _short(q: Question) -> bool | None:
    """Whether the answer sits in the question's row: Yes/No, dates, choices; lines when one line."""
    return True if q.kind in ("yes_no", "date", "choice") else None if q.kind == "line" else False


def _plan(
    form: FormSpec, section: Section, char: Characteristic | None, values: dict[str, str]
) -> list[_Ask]:
    """The questions this section may print, in order. The template values derive from the
    activity type and the characteristic only, so the plan is kept per those two."""
    cid = char.id if char is not None else None
    key = (section.id, values.get("activity_type"), cid)
    plans = form.question_plans
    plan = plans.get(key)
    if plan is None:
        if len(plans) >= 4096:  # an unknown activity type is kept as typed, so keys are unbounded
            plans.clear()
        plan = plans[key] = [
            _Ask(
                q,
                fill(q.text, **values),
                q.print_question and not (q.each or q.kind == "repeat"),
                _short(q),
            )
            for q in section.questions
            if not q.applies_to or cid in q.applies_to
        ]
    return plan


def _questions(
    report: Report,
    form: FormSpec,
    a: Assessment,
    section: Section,
    char: Characteristic | None,
    values: dict[str, str],
) -> None:
    """Each answered question that the form asks here, with its answer and comment."""
    add = report.blocks.append
    label = form.wording("comment_label")
    cid = char.id if char is not None else None
    if cid is None:
        answers: dict[str, Any] = a.answers
    else:
        record = a.characteristics.get(cid)
        answers = record.answers if record is not None else {}
    if not answers and not any(q.if_blank for q in section.questions):
        return
    for ask in _plan(form, section, char, values):
        q = ask.question
        entry = answers.get(q.id)
        if (entry is None and not q.if_blank) or (q.show_if and not is_shown(form, a, q, section, cid)):
            continue
        if q.if_blank and (entry is None or entry_is_empty(entry)):
            add(QuestionAnswer(ask.text, q.if_blank, "", True, label))
            continue
        if ask.plain:  # most questions
            if type(entry) is Answer:
                value = entry.answer
                if type(value) is not str or not value.strip():  # the usual answer is text
                    if entry.is_empty():
                        continue
                    value = format_value(form, value)
                short = ask.short if ask.short is not None else "\n" not in value
                add(QuestionAnswer(ask.text, value, entry.comment or "", short, label))
            continue
        if q.each:
            items = (
                [(i.label, entry.get(i.id)) for i in form.items(q.each, cid)]
                if isinstance(entry, dict)
                else []
            )
            items = [(name, ans) for name, ans in items if ans is not None and not ans.is_empty()]
            if items:
                add(Paragraph(fill(q.text, **values)))
            for name, ans in items:
                add(_question_answer(form, q, fill(q.item_text, **values, item=name, theme=name), ans, label))
            continue
        if not isinstance(entry, Answer) or entry.is_empty():
            continue
        if q.kind == "repeat":
            _repeat(report, form, q, entry, ask.text, label)
            continue
        text = format_value(form, entry.answer)
        if text:
            add(Paragraph(text))
        if entry.comment:
            add(QuestionAnswer("", "", entry.comment, comment_label=label))


def _repeat(report: Report, form: FormSpec, q: Question, answer: Answer, text: str, label: str) -> None:
    """A repeating group: the question, then its rows as a table with one column per field."""
    add = report.blocks.append
    if q.print_question:
        add(Paragraph(text))
    rows = tuple(
        tuple(format_value(form, row.get(f.id)) for f in q.fields)
        for row in answer.rows
        if any(format_value(form, v).strip() for v in row.values())
    )
    if rows:
        add(Table(tuple(f.label for f in q.fields), rows))
    if answer.comment:
        add(QuestionAnswer("", "", answer.comment, comment_label=label))


def _question_answer(form: FormSpec, q: Question, text: str, answer: Answer, label: str) -> QuestionAnswer:
    value = format_value(form, answer.answer)
    short = _short(q)
    if short is None:
        short = "\n" not in value
    return QuestionAnswer(text, value, answer.comment or "", short=short, comment_label=label)


def _actions(report: Report, form: FormSpec, a: Assessment) -> None:
    if not a.actions:
        report.blocks.append(Paragraph(form.wording("no_actions")))
        return
    labels = {c.id: c.label for c in form.characteristics}
    word = form.wording("action_item")
    for number, item in enumerate(a.actions, start=1):
        latest = item.updates[-1] if item.updates else None
        label = form.action_label
        rows = [
            Field(label("issue"), item.issue),
            Field(label("characteristics"), ", ".join(labels.get(c, c) for c in item.characteristics)),
            Field(label("action"), item.action),
            Field(label("owner"), item.owner),
            Field(label("target_date"), format_value(form, item.target_date)),
            Field(label("success_measure"), item.success_measure),
            Field(label("resources"), item.resources),
        ]
        if latest is not None:
            rows.append(
                Field(
                    label("latest_progress"),
                    f"{format_value(form, latest.date)}: {latest.evidence_of_progress}",
                )
            )
        report.blocks.append(ActionRow(tuple(r for r in rows if r.value), f"{word} {number}".strip()))
