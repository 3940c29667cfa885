"""Provides RelevancePage: the relevance test, one choice per characteristic in the form's words, and
beside it the reason for the decision where the form asks for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static

from eqia.document.form import Characteristic
from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView
from eqia.tui.widgets.choice_select import ChoiceSelect
from eqia.tui.widgets.fields import AnswerField, FieldSpec

CHOICES = {"not": (False, False), "relevant": (True, False), "full": (True, True)}
"""A choice's (relevant, full assessment)."""


def choice_of(assessment: Assessment, cid: str) -> Any:
    """The relevance choice an assessment records for a characteristic (Select.NULL when undecided)."""
    rec = assessment.characteristics.get(cid)
    if rec is None or rec.relevant is None:
        return Select.NULL
    return "full" if rec.full_assessment else ("relevant" if rec.relevant else "not")


class RelevancePage(PageView):
    """Not relevant, relevant only, or relevant with a full assessment, for each characteristic, each
    with its reason where the form asks for one (required when not relevant)."""

    @dataclass
    class Chosen(Message):
        """The user picked a different relevance choice for a characteristic."""

        characteristic: str
        relevant: bool
        full: bool

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        choices = [(self.form.relevance_wording(choice), choice) for choice in CHOICES]
        self._told: dict[str, Any] = {}
        """What each choice last said to the screen (or was put back to): two quick choices send both,
        where comparing with the assessment (a step behind) would drop one."""
        for c in self.form.characteristics_in(self.assessment.include):
            self._told[c.id] = choice_of(self.assessment, c.id)
            with Horizontal(classes="rel-row"):
                yield Static(c.label, classes="rel-name", markup=False)
                yield ChoiceSelect(
                    choices,
                    value=choice_of(self.assessment, c.id),
                    id=f"rel-{c.id}",
                    disabled=self.read_only,
                    prompt="Not decided yet",
                    classes="answer",
                )
            if self.form.relevance.reasons:
                yield self._reason_field(c)

    def _reason_field(self, c: Characteristic) -> AnswerField:
        """A one-line reason under the choice; an AnswerField, so that it is saved, kept and brought
        back like any typed answer."""
        spec = FieldSpec(
            key=("characteristics", c.id, "reason"),
            label=self.form.wording("relevance_reason"),
            kind="line",
            required=self._reason_required(c.id),
            help=self.page.section.help if self.page.section else "",
            in_table=False,
        )
        rec = self.assessment.characteristics.get(c.id)
        field = AnswerField(
            spec, rec.reason if rec else None, None, read_only=self.read_only, id=f"reason-{c.id}"
        )
        field.add_class("rel-reason")
        if self.notes is not None:  # review: a verdict can be given on a reason
            field.can_focus = True
            field.review_notes = self.notes(spec)
        return field

    def _reason_required(self, cid: str) -> bool:
        return choice_of(self.assessment, cid) == "not"

    def show_state(self, assessment: Assessment) -> None:
        """Put each choice back to what the assessment records (after a cancelled change, say), and mark
        the reasons that are required now."""
        super().show_state(assessment)
        for select in self.query(Select):
            cid = (select.id or "").removeprefix("rel-")
            wanted = choice_of(assessment, cid)
            self._told[cid] = wanted
            if select.value != wanted:
                select.value = wanted
        for cid, choice in self._told.items():
            self._mark_reason(cid, choice)

    def _mark_reason(self, cid: str, choice: Any) -> None:
        """Star the reason's label while it is required: when the characteristic is not relevant."""
        for field in self.query(f"#reason-{cid}").results(AnswerField):
            field.spec.required = choice == "not"
            label = field.spec.label + (" *" if field.spec.required else "")
            field.query_one(".question", Static).update(label)

    @on(events.DescendantFocus)
    def _keep_in_view(self, event: events.DescendantFocus) -> None:
        # Focus given as the page goes up (from the sidebar's relevance lines) comes before the page is
        # laid out, when Textual's own scrolling to it cannot tell where it is: scroll once it can.
        self.call_after_refresh(self._show_decision, event.widget)

    def _show_decision(self, widget: Widget) -> None:
        """Bring a focused choice or reason into view, with the choice above a reason."""
        if not widget.is_attached or not widget.has_focus:
            return
        field = next((a for a in widget.ancestors if isinstance(a, AnswerField)), None)
        if field is not None:
            cid = str(field.spec.key[1])
            self.query_one(f"#rel-{cid}").parent.scroll_visible(animate=False)  # type: ignore[union-attr]
        widget.scroll_visible(animate=False)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.read_only or not isinstance(event.value, str):
            return
        cid = (event.select.id or "").removeprefix("rel-")
        if event.value == self._told.get(cid):
            return  # the page being built, or a choice put back
        self._told[cid] = event.value
        self._mark_reason(cid, event.value)
        relevant, full = CHOICES[event.value]
        self.post_message(self.Chosen(cid, relevant, full))
