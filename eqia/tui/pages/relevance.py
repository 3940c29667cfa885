"""Provides RelevancePage: the relevance test, one choice per characteristic in the form's words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Select, Static

from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView
from eqia.tui.widgets.choice_select import ChoiceSelect

CHOICES = {"not": (False, False), "relevant": (True, False), "full": (True, True)}
"""A choice's (relevant, full assessment)."""


def choice_of(assessment: Assessment, cid: str) -> Any:
    """The relevance choice an assessment records for a characteristic (Select.NULL when undecided)."""
    rec = assessment.characteristics.get(cid)
    if rec is None or rec.relevant is None:
        return Select.NULL
    return "full" if rec.full_assessment else ("relevant" if rec.relevant else "not")


class RelevancePage(PageView):
    """Not relevant, relevant only, or relevant with a full assessment, for each characteristic."""

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

    def show_state(self, assessment: Assessment) -> None:
        """Put each choice back to what the assessment records (after a cancelled change, say)."""
        super().show_state(assessment)
        for select in self.query(Select):
            cid = (select.id or "").removeprefix("rel-")
            wanted = choice_of(assessment, cid)
            self._told[cid] = wanted
            if select.value != wanted:
                select.value = wanted

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.read_only or not isinstance(event.value, str):
            return
        cid = (event.select.id or "").removeprefix("rel-")
        if event.value == self._told.get(cid):
            return  # the page being built, or a choice put back
        self._told[cid] = event.value
        relevant, full = CHOICES[event.value]
        self.post_message(self.Chosen(cid, relevant, full))
