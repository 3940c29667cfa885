"""Provides QuestionsPage: a section's questions, with per-item grids and repeating groups.

Every question of the section is composed, shown or hidden by its show-if rule, so answering
Yes shows a follow-up at once and No hides it again without rebuilding the page.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from eqia.document.form import fill
from eqia.document.model import Assessment
from eqia.document.outline import is_shown, slots
from eqia.tui.pages.base import PageView
from eqia.tui.widgets.fields import AnswerField, FieldSpec
from eqia.tui.widgets.repeat import RepeatField


class QuestionsPage(PageView):
    """The questions of one section, for one characteristic when the section is per-characteristic."""

    def compose(self) -> ComposeResult:
        page, form, a = self.page, self.form, self.assessment
        section = page.section
        assert section is not None, "a questions page belongs to a section"
        yield from self.help_hint()
        cid = page.characteristic.id if page.characteristic else None
        asked: set[str] = set()
        for slot in slots(form, a, section, page.characteristic, shown_only=False, values=page.values):
            q = slot.question
            if q.each and q.id not in asked:  # a grid: the question once, then one answer per item
                asked.add(q.id)
                yield Static(fill(q.text, **page.values), classes="question each", markup=False)
            answer = slot.answer(a)
            if q.kind == "repeat":
                repeat = RepeatField(
                    slot.key_path,
                    slot.text,
                    q,
                    answer.rows if answer else [],
                    read_only=self.read_only,
                    date_format=form.date_format,
                    unparsed=a.unparsed,
                )
                repeat.display = is_shown(form, a, q, section, cid)
                yield repeat
                continue
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
                date_format=form.date_format,
            )
            field = AnswerField(
                spec,
                answer.answer if answer else None,
                answer.comment if answer else None,
                read_only=self.read_only,
                typed=self.typed(spec),
            )
            field.display = is_shown(form, a, q, section, cid)
            if self.notes is not None:
                field.can_focus = True
                field.review_notes = self.notes(spec)
            yield field

    def show_state(self, assessment: Assessment) -> None:
        """Show or hide the questions asked only after a given answer (show-if)."""
        super().show_state(assessment)
        section = self.page.section
        if section is None:
            return
        cid = self.page.characteristic.id if self.page.characteristic else None
        questions = {q.id: q for q in section.questions}
        for widget in self.query("AnswerField, RepeatField"):
            if isinstance(widget, RepeatField):
                q = widget.question
            elif isinstance(widget, AnswerField) and widget.parent is self:
                q = questions.get(widget.spec.question_id)
            else:
                continue  # a repeating group's cell: shown with its group
            if q is not None and q.show_if:
                widget.display = is_shown(self.form, assessment, q, section, cid)
