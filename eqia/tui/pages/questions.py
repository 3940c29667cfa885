"""Provides QuestionsPage: a section's questions, with per-item grids and repeating groups.

Every question of the section is composed, shown or hidden by its show-if rule, so answering
Yes shows a follow-up at once and No hides it again without rebuilding the page. A follow-up that
depends on one earlier choice is drawn inside that choice's field, directly under its options and
above its comment, where the answer reveals it.
"""

from __future__ import annotations

from itertools import groupby

from textual.app import ComposeResult
from textual.widget import Widget

from eqia.document.form import Question, Section, fill
from eqia.document.model import Assessment
from eqia.document.outline import Slot, is_shown, slots
from eqia.tui.pages.base import PageView
from eqia.tui.widgets.fields import CHOICE_KINDS, AnswerField, FieldSpec
from eqia.tui.widgets.item_grid import ItemGrid
from eqia.tui.widgets.repeat import RepeatField


def revealed_by(question: Question, section: Section) -> str | None:
    """The earlier choice whose answer shows a question, when its show-if names only that one."""
    named = {condition.question for condition in question.show_if}
    if len(named) != 1:
        return None
    (parent_id,) = named
    for q in section.questions:
        if q.id == question.id:
            return None  # the choice comes after its follow-up: leave the follow-up where it is
        if q.id == parent_id:
            return parent_id if q.kind in CHOICE_KINDS and not q.each else None
    return None


class QuestionsPage(PageView):
    """The questions of one section, for one characteristic when the section is per-characteristic."""

    def compose(self) -> ComposeResult:
        page = self.page
        section = page.section
        assert section is not None, "a questions page belongs to a section"
        yield from self.help_hint()
        cid = page.characteristic.id if page.characteristic else None
        widgets: dict[str, Widget] = {}
        top: list[Widget] = []
        every = slots(
            self.form, self.assessment, section, page.characteristic, shown_only=False, values=page.values
        )
        for _, group in groupby(every, key=lambda slot: slot.question.id):
            question_slots = list(group)
            q = question_slots[0].question
            widget = self._question(q, question_slots)
            widget.display = is_shown(self.form, self.assessment, q, section, cid)
            widgets[q.id] = widget
            parent = widgets.get(revealed_by(q, section) or "")
            if isinstance(parent, AnswerField):
                parent.follow_ups.append(widget)
            else:
                top.append(widget)
        yield from top

    def _question(self, q: Question, question_slots: list[Slot]) -> Widget:
        """One question's widget: a repeating group, a grid of items, or one field."""
        form, a = self.form, self.assessment
        if q.kind == "repeat":
            slot = question_slots[0]
            answer = slot.answer(a)
            return RepeatField(
                slot.key_path,
                slot.text,
                q,
                answer.rows if answer else [],
                read_only=self.read_only,
                date_format=form.date_format,
                unparsed=a.unparsed,
            )
        if q.each:
            compact = q.kind in CHOICE_KINDS
            rows: list[Widget] = [self._field(q, slot, compact=compact) for slot in question_slots]
            return ItemGrid(q, fill(q.text, **self.page.values), rows)
        return self._field(q, question_slots[0])

    def _field(self, q: Question, slot: Slot, *, compact: bool = False) -> AnswerField:
        section = self.page.section
        assert section is not None
        answer = slot.answer(self.assessment)
        spec = FieldSpec(
            slot.key_path,
            slot.text,
            q.kind,
            q.options,
            q.comment,
            q.help or section.help,
            q.required,
            q.offers_action,
            q.id,
            date_format=self.form.date_format,
        )
        field = AnswerField(
            spec,
            answer.answer if answer else None,
            answer.comment if answer else None,
            read_only=self.read_only,
            typed=self.typed(spec),
            compact=compact,
        )
        if self.notes is not None:
            field.can_focus = True
            field.review_notes = self.notes(spec)
        return field

    def show_state(self, assessment: Assessment) -> None:
        """Show or hide the questions asked only after a given answer (show-if)."""
        super().show_state(assessment)
        section = self.page.section
        if section is None:
            return
        cid = self.page.characteristic.id if self.page.characteristic else None
        questions = {q.id: q for q in section.questions}
        for widget in self.query("AnswerField, RepeatField, ItemGrid"):
            if isinstance(widget, (RepeatField, ItemGrid)):
                q = widget.question
            elif isinstance(widget, AnswerField) and widget.spec.in_table and not widget.compact:
                q = questions.get(widget.spec.question_id)
            else:
                continue  # a cell of a repeating group or a grid: shown with its group
            if q is not None and q.show_if:
                widget.display = is_shown(self.form, assessment, q, section, cid)
