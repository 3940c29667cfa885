"""Provides ProgressDialog: one progress update on an action (date, evidence, grade 1-4, impact).

Its fields scroll between the title and the buttons, so Add and Cancel stay on screen at 80x24."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static, TextArea

from eqia.document import dates
from eqia.document.form import FormSpec
from eqia.tui.screens.dialogs import Dialog
from eqia.tui.widgets.choice_select import ChoiceSelect

GRADES = {1: "1 Fully Achieved", 2: "2 On-Track", 3: "3 Slipped", 4: "4 Not Achieved"}


class ProgressDialog(Dialog[dict[str, Any] | None]):
    """Asks for a progress update; dismisses with its fields, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "add", "Add update", id="add-update", priority=True),
    ]

    def __init__(self, action: str, form: FormSpec) -> None:
        super().__init__(classes="dialog-screen")
        self.action_text = action
        self.form = form
        """The assessment's form: how it writes dates."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog progress-dialog"):
            yield Static("Progress update", classes="dialog-title")
            yield Static(self.action_text or "(this action)", classes="progress-action", markup=False)
            with VerticalScroll(classes="progress-fields", can_focus=False):
                yield Static(f"Date of the update ({dates.pattern(self.form)})", classes="question")
                yield Input(dates.show(dt.date.today(), self.form), id="update-date")
                yield Static("Evidence of progress", classes="question")
                yield TextArea(id="update-progress", soft_wrap=True, tab_behavior="focus")
                yield Static("Assessment of progress", classes="question")
                yield ChoiceSelect(
                    [(label, grade) for grade, label in GRADES.items()],
                    value=2,
                    allow_blank=False,
                    id="update-grade",
                )
                yield Static("Evidence of impact", classes="question")
                yield TextArea(id="update-impact", soft_wrap=True, tab_behavior="focus")
                yield Static("", id="update-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add update (ctrl+s)", id="add", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#update-progress", TextArea).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.action_add()
        else:
            self.close(None)

    def action_add(self) -> None:
        try:
            date = dates.parse(self.query_one("#update-date", Input).value, self.form)
        except ValueError as exc:
            self.query_one("#update-error", Static).update(str(exc))
            return
        grade = self.query_one("#update-grade", Select).value
        self.close(
            {
                "date": date,
                "evidence_of_progress": self.query_one("#update-progress", TextArea).text,
                "grade": grade if isinstance(grade, int) else None,
                "evidence_of_impact": self.query_one("#update-impact", TextArea).text,
            }
        )

    def action_cancel(self) -> None:
        self.close(None)
