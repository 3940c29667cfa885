"""Provides OptionsPage: a switch for each optional group and section of the form."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Checkbox, Static

from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView
from eqia.tui.widgets.toggles import Tick


class OptionsPage(PageView):
    """Checkboxes for the form's optional characteristics and sections (ids opt-<id>)."""

    @dataclass
    class Toggled(Message):
        """The user switched an optional group or section on or off."""

        option: str
        on: bool

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        items = self.form.optional_items()
        self._told = {oid: oid in self.assessment.include for oid, _ in items}
        """What each box last said to the screen (or was set to): a quick on-off-on sends each step,
        where comparing with the assessment (a step behind) would drop one."""
        for oid, label in items:
            yield Tick(
                label,
                oid in self.assessment.include,
                id=f"opt-{oid}",
                classes="answer option",
                disabled=self.read_only,
            )
        if not items:
            yield Static("This form has no optional groups or sections.", classes="hint")

    def show_state(self, assessment: Assessment) -> None:
        super().show_state(assessment)
        for box in self.query(Checkbox):
            oid = (box.id or "").removeprefix("opt-")
            wanted = oid in assessment.include
            self._told[oid] = wanted
            if box.value != wanted:
                box.value = wanted

    @on(Checkbox.Changed)
    def _changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        oid = (event.checkbox.id or "").removeprefix("opt-")
        if self.read_only or self._told.get(oid) == event.value:
            return  # the page being built, or a box put back
        self._told[oid] = event.value
        self.post_message(self.Toggled(oid, event.value))
