"""Provides the modal dialogs: a choice among buttons, an error message, help text, a path prompt,
earlier answers, and the confirmation of a change of review status with its note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from eqia.document import dates
from eqia.document.form import FormSpec
from eqia.tui.widgets.lists import PagedOptionList

if TYPE_CHECKING:  # only for the annotation: the session is the screen's, not the dialog's
    from eqia.usecases.session import Earlier

STACK_WIDTH = 60
"""Choices wider than this, as buttons in a row, are put one under another."""


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen that closes once, and only while it is on top. Textual's dismiss pops whatever
    screen is on top: a second Enter, click or choice queued behind the first (a fast double press)
    would dismiss the screen under the dialog, the editor, and with it the assessment's typing."""

    _done = False

    def close(self, result: ScreenResultType | None = None) -> None:
        """Dismiss with a result, the first time only."""
        if self._done or self.app.screen is not self:
            return
        self._done = True
        self.dismiss(result)


class ChoiceDialog(Dialog[str]):
    """Asks a question with a few answers; dismisses with the chosen answer's id. The arrow keys move
    between the answers as Tab does: a new user reaches for them first."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        *(Binding(key, "app.focus_next", show=False) for key in ("down", "right")),
        *(Binding(key, "app.focus_previous", show=False) for key in ("up", "left")),
    ]

    def __init__(
        self, title: str, message: str, choices: list[tuple[str, str]], *, cancel: str = "cancel"
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.dialog_title = title
        self.message = message
        self.choices = choices
        self.cancel_id = cancel

    def compose(self) -> ComposeResult:
        # Side by side when they fit in the narrowest dialog (80 columns), else one under another.
        stacked = sum(max(16, len(label) + 4) + 1 for _, label in self.choices) > STACK_WIDTH
        with Vertical(classes="dialog"):
            yield Static(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-message", markup=False)
            row = (
                Vertical(classes="dialog-buttons stacked")
                if stacked
                else Horizontal(classes="dialog-buttons")
            )
            with row:
                for index, (choice_id, label) in enumerate(self.choices):
                    yield Button(
                        label,
                        id=f"choice-{choice_id}",
                        variant="primary" if index == 0 else "default",
                        compact=stacked,
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.close((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.close(self.cancel_id)


class MessageDialog(Dialog[None]):
    """Shows a message (an error, or help for a question) until dismissed."""

    BINDINGS = [Binding("escape", "close", "Close", id="close"), Binding("enter", "close", show=False)]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="dialog-screen")
        self.dialog_title = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.dialog_title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed)
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.close(None)

    def action_close(self) -> None:
        self.close(None)


class PromptDialog(Dialog[str | None]):
    """Asks for one line of text (a file path, a name); None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, message: str, value: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.dialog_title = title
        self.message = message
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.dialog_title, classes="dialog-title", markup=False)
            yield Static(self.message, classes="dialog-message", markup=False)
            yield Input(self.value, id="prompt")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close(event.value.strip() or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.close(self.query_one("#prompt", Input).value.strip() or None)
        else:
            self.close(None)

    def action_cancel(self) -> None:
        self.close(None)


class EarlierAnswersDialog(Dialog[int | None]):
    """What an answer said in the versions kept beside the file, newest first; dismisses with the
    index of the one to bring back, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, label: str, earlier: list[Earlier], form: FormSpec) -> None:
        super().__init__(classes="dialog-screen")
        self.label = label
        self.earlier = earlier
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Bring back an earlier answer", classes="dialog-title")
            yield Static(
                f"\u201c{self.label}\u201d as it was when the file was opened or saved, newest first. "
                "Enter brings the chosen one back (ctrl+z then undoes it); escape keeps the answer as it is.",
                classes="dialog-message",
                markup=False,
            )
            yield PagedOptionList(*[self._option(i, e) for i, e in enumerate(self.earlier)], id="earlier")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")

    def _option(self, index: int, earlier: Earlier) -> Option:
        value = earlier.value
        text = dates.show(value, self.form) if isinstance(value, dt.date) else str(value)
        flat = " ".join(text.split())
        preview = flat if len(flat) <= 150 else flat[:150] + "\u2026"
        why = "as opened" if earlier.why == "opened" else "saved"
        head = f"{dates.show_time(earlier.at, self.form)}, {why} ({len(text):,} characters)"
        return Option(Text(f"{head}\n  {preview}"), id=str(index))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.close(int(event.option.id or 0))

    @on(Button.Pressed)
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.close(None)

    def action_cancel(self) -> None:
        self.close(None)


@dataclass(frozen=True)
class Decision:
    """A change of review status confirmed: who makes it, and the note for the history."""

    by: str
    note: str


class DecisionDialog(Dialog[Decision | None]):
    """Confirms a change of review status (submit, return, approve): says what will happen, asks for
    an optional note and, when eqia does not know it yet, the name of who makes it. Dismisses with a
    Decision, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(
        self, title: str, message: str, confirm: str, *, by: str = "", note_prompt: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.dialog_title = title
        self.message = message
        self.confirm = confirm
        self.by = by
        """Who makes the change; asked for when empty."""
        self.note_prompt = note_prompt or "Note for the history (optional):"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog decision-dialog"):
            yield Static(self.dialog_title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message, classes="dialog-message", markup=False)
                if not self.by:
                    yield Static("Your name (kept in the history):", classes="question", markup=False)
                    yield Input(id="decision-by")
                yield Static(self.note_prompt, classes="question", markup=False)
                yield Input(id="decision-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm, id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _decide(self) -> None:
        by = self.by or self.query_one("#decision-by", Input).value.strip()
        if not by:
            self.notify("Type your name first: it is kept in the history.", severity="warning")
            self.query_one("#decision-by", Input).focus()
            return
        self.close(Decision(by, self.query_one("#decision-note", Input).value.strip()))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "decision-by":
            self.query_one("#decision-note", Input).focus()
        else:
            self._decide()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self._decide()
        else:
            self.close(None)

    def action_cancel(self) -> None:
        self.close(None)
