"""Provides AnswerField: one question (or header field) with its answer and optional comment, and
CommentText, the comment box.

A field never touches the assessment or its siblings: it posts AnswerField.Changed
with the key path and the new value, and the editor screen applies it.

A choice's follow-ups (the questions its answer shows) sit inside its field, under the options and
above its comment, so they appear where the answer reveals them. The field's own widgets are the ones
whose nearest field is this one: a follow-up's answer is never read as its parent's.

Moving on is quick: Tab goes to the next answer, passing over a choice's comment box while it is
empty (ctrl+e goes into it, and shift+tab reaches it too); Enter on the option already chosen goes
on to the next question, and Enter in a comment of one line to the next answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, RadioSet, Static, TextArea

from eqia.document import dates
from eqia.document.keypath import KeyPath
from eqia.tui.widgets.editing import AnswerChoice, AnswerLine, AnswerText
from eqia.tui.widgets.toggles import Choices, GridChoices

CHOICE_KINDS = ("yes_no", "choice")


class CommentText(AnswerText):
    """A comment box. Enter moves on to the next answer while the comment is one line (a short note);
    shift+enter or ctrl+j breaks the line, and once it has several lines Enter does too."""

    BINDINGS = [Binding("ctrl+j,shift+enter", "line_break", "New line", show=False)]

    @dataclass
    class Finished(Message):
        """Enter in a comment of one line: move on."""

        comment: CommentText

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only and "\n" not in self.text:
            event.stop()
            event.prevent_default()
            self.post_message(self.Finished(self))

    def action_line_break(self) -> None:
        if not self.read_only and self._can_type_here():
            self._replace_via_keyboard("\n", *self.selection)


def tab_stop(widget: Widget) -> bool:
    """Whether Tab stops at a widget: not at an empty comment of a choice (ctrl+e goes there)."""
    if not isinstance(widget, CommentText) or widget.text.strip():
        return True
    owner = owner_field(widget)
    return owner is None or owner.spec.kind not in CHOICE_KINDS


def owner_field(widget: Widget) -> AnswerField | None:
    """The field a widget belongs to: its nearest AnswerField."""
    node = widget.parent
    while node is not None and not isinstance(node, AnswerField):
        node = node.parent
    return node


@dataclass
class FieldSpec:
    """What a field asks and where its answer lives."""

    key: KeyPath
    """Key path of the answer table (answers.purpose) or, for header fields, of the value."""
    label: str
    kind: str
    """text, line, yes_no, date, choice."""
    options: tuple[str, ...] = ()
    comment: bool = False
    help: str = ""
    required: bool = False
    offers_action: bool = False
    question_id: str = ""
    in_table: bool = True
    """False for header fields: the value sits at key itself, with no answer/comment."""
    date_format: str = dates.DEFAULT_FORMAT
    """How the assessment's form prints dates (a strftime pattern): a date field shows and reads it."""

    @property
    def answer_key(self) -> KeyPath:
        return (*self.key, "answer") if self.in_table else self.key

    @property
    def comment_key(self) -> KeyPath:
        return (*self.key, "comment")


class AnswerField(Vertical):
    """A question, the widget to answer it, the follow-ups its answer shows, and an optional comment
    box. A compact field is one row of a grid: the item, its options side by side, a one-line comment."""

    BINDINGS = [
        Binding("tab", "next_stop", "Next answer", show=False),
        Binding("ctrl+e", "comment", "Comment", id="comment"),
    ]

    @dataclass
    class Changed(Message):
        """The answer (or its comment) now says value."""

        field: AnswerField
        key_path: KeyPath
        value: Any

    @dataclass
    class Unparsed(Message):
        """Text was typed that is not a value of the field's kind (a date that is not one): keep it
        as typed; the answer keeps the last value that could be read."""

        field: AnswerField
        key_path: KeyPath
        text: str

    def __init__(
        self,
        spec: FieldSpec,
        value: Any,
        comment: str | None,
        *,
        read_only: bool = False,
        typed: str | None = None,
        id: str | None = None,
        follow_ups: list[Widget] | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(id=id, classes="answer-field grid-row" if compact else "answer-field")
        self.spec = spec
        self.value = value
        """The answer as last sent up (or as opened)."""
        self.typed = typed
        """Text kept as typed because it could not be read; shown instead of the value."""
        self.comment_value = comment or ""
        self.read_only = read_only
        self.review_notes: str | None = None
        """In review mode: the verdict and findings shown under the answer; the field takes focus."""
        self.follow_ups = follow_ups or []
        """The questions this choice's answer shows or hides, drawn under its options."""
        self.compact = compact

    def compose(self) -> ComposeResult:
        spec = self.spec
        label = spec.label + (" *" if spec.required else "")
        yield Static(label, classes="question item" if self.compact else "question", markup=False)
        if spec.kind in CHOICE_KINDS:
            kind = GridChoices if self.compact else Choices
            yield kind(spec.options or ("Yes", "No"), self.value, classes="answer", disabled=self.read_only)
        elif spec.kind == "text":
            yield AnswerText(
                self._text(self.value),
                classes="answer long",
                soft_wrap=True,
                read_only=self.read_only,
                tab_behavior="focus",
            )
        elif spec.kind == "date":
            yield AnswerLine(
                self._date_text(),
                placeholder=dates.pattern(spec.date_format),
                classes="answer date",
                disabled=self.read_only,
            )
            yield Static(self._kept_note(), classes="field-error", markup=False)
        else:
            yield AnswerLine(self._text(self.value), classes="answer line", disabled=self.read_only)
        if self.review_notes is not None:
            yield Static(self.review_notes, classes="review-notes", markup=False)
        if self.follow_ups:
            yield Vertical(*self.follow_ups, classes="follow-ups")
        if not spec.comment:
            return
        comment = CommentText(
            self.comment_value,
            classes="comment",
            soft_wrap=True,
            read_only=self.read_only,
            tab_behavior="focus",
        )
        if self.compact:
            yield Horizontal(Static("Comment", classes="comment-label"), comment, classes="grid-comment")
        else:
            yield Static("Comment (optional)", classes="comment-label")
            yield comment

    def _date_text(self) -> str:
        if self.typed is not None:
            return self.typed
        if isinstance(self.value, dt.date):
            return dates.show(self.value, self.spec.date_format)
        return self._text(self.value)

    def _kept_note(self) -> str:
        """Under a date kept as typed: that it is not read as a date yet, and the last one that was."""
        if self.typed is None:
            return ""
        last = dates.show(self.value, self.spec.date_format) if isinstance(self.value, dt.date) else "none"
        return (
            f"! Not a date yet ({dates.pattern(self.spec.date_format)}): kept as typed until you correct "
            f"it. The last date that could be read: {last}."
        )

    def show_review(self, notes: str) -> None:
        self.review_notes = notes
        for widget in self.own(".review-notes"):
            if isinstance(widget, Static):
                widget.update(notes)

    def own(self, selector: str) -> list[Widget]:
        """This field's widgets matching selector, not its follow-ups'."""
        return [widget for widget in self.query(selector) if owner_field(widget) is self]

    # -- moving on ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "comment":  # offered while the focus is in this field, out of its comment
            return self.spec.comment and not self.read_only and not self._in_comment()
        return True

    def _in_comment(self) -> bool:
        focused = self.screen.focused if self.is_attached else None
        return focused is not None and focused.has_class("comment") and owner_field(focused) is self

    def action_comment(self) -> None:
        """Go into this field's comment box."""
        for widget in self.own(".comment"):
            widget.focus()
            widget.scroll_visible(animate=False)

    def action_next_stop(self) -> None:
        """Tab: the next widget that takes focus, passing over a choice's empty comment."""
        self._next_stop(past_comment=False)

    def _next_stop(self, *, past_comment: bool) -> None:
        """Focus the next Tab stop after the focused widget; past_comment also passes this field's own
        comment (Enter on a chosen option goes on to the next question)."""
        screen = self.screen
        chain = screen.focus_chain
        if not chain:
            return
        start = chain.index(screen.focused) if screen.focused in chain else -1
        for widget in chain[start + 1 :] + chain[: start + 1]:
            if past_comment and widget.has_class("comment") and owner_field(widget) is self:
                continue
            if tab_stop(widget):
                widget.focus()
                return

    @on(Choices.Done)
    def _chosen(self, event: Choices.Done) -> None:
        event.stop()
        self._next_stop(past_comment=True)

    @on(CommentText.Finished)
    def _commented(self, event: CommentText.Finished) -> None:
        event.stop()
        self._next_stop(past_comment=False)

    @staticmethod
    def _text(value: Any) -> str:
        return "" if value is None else str(value)

    # -- what the user changed ----------------------------------------------------------
    @on(AnswerChoice.Cleared)
    def _cleared(self, event: AnswerChoice.Cleared) -> None:
        event.stop()
        self._send(event.choices)

    @on(RadioSet.Changed)
    def _radio(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._send(event.radio_set)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._send(event.text_area)

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        event.stop()
        self._send(event.input)

    @on(AnswerText.Wiped)
    def _wiped(self, event: AnswerText.Wiped) -> None:
        event.stop()
        self.notify(
            f"{event.removed:,} characters deleted from \u201c{self.spec.label[:60]}\u201d. "
            "ctrl+z brings them back; after quitting, the palette\u2019s \u201cBring back an earlier "
            "answer\u201d does (F2).",
            title="Answer cleared",
            severity="warning",
        )

    def _send(self, widget: Widget) -> None:
        message = self._read(widget)
        if message is not None:
            self.post_message(message)

    def pending(self) -> list[Changed | Unparsed]:
        """What the widgets say that has not been sent up yet (its messages may still be queued):
        the screen applies it at once before a save, a quit, a page change or a recovery copy."""
        if self.read_only or not self.is_attached:
            return []
        out = []
        for widget in self.own(".answer, .comment"):
            message = self._read(widget)
            if message is not None:
                out.append(message)
        return out

    def holds(self, message: Changed | Unparsed) -> bool:
        """Whether a message says what the field last sent (not an older value overtaken since)."""
        if isinstance(message, AnswerField.Unparsed):
            return self.typed == message.text
        if message.key_path == self.spec.comment_key and self.spec.comment:
            return self.comment_value == message.value
        return self.typed is None and self.value == message.value

    def shown_value(self) -> Any:
        """The answer as the widget shows it: text, a date's text, or the option chosen (None if none)."""
        widget = self.own(".answer")[0]
        if isinstance(widget, RadioSet):
            pressed = widget.pressed_button
            return str(pressed.label) if pressed is not None else None
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _read(self, widget: Widget) -> Changed | Unparsed | None:
        """The change a widget holds that was not sent yet, recorded as sent; None if there is none."""
        if isinstance(widget, RadioSet):
            pressed = widget.pressed_button
            if pressed is None:
                if not (isinstance(widget, AnswerChoice) and widget.cleared) or self.value is None:
                    return None
                self.value = None  # undo took the only choice back: the question is unanswered again
                return self.Changed(self, self.spec.answer_key, None)
            value = str(pressed.label)
            if value == self.value:
                return None
            self.value = value
            return self.Changed(self, self.spec.answer_key, value)
        if isinstance(widget, TextArea):
            text = widget.text
            if widget.has_class("comment"):
                if text == self.comment_value:
                    return None
                self.comment_value = text
                return self.Changed(self, self.spec.comment_key, text)
            if text == self._text(self.value):
                return None
            self.value = text
            return self.Changed(self, self.spec.answer_key, text)
        if not isinstance(widget, Input):
            return None
        text = widget.value
        if self.spec.kind != "date":
            if text == self._text(self.value):
                return None
            self.value = text
            return self.Changed(self, self.spec.answer_key, text)
        notes = self.own(".field-error")  # absent while the field is being built or taken down
        error = notes[0] if notes and isinstance(notes[0], Static) else Static()
        if not text.strip():
            error.update("")
            value: Any = ""
        else:
            try:
                value = dates.parse(text, self.spec.date_format)
            except ValueError as exc:
                error.update(f"! {exc} Your text is kept until you correct it.")
                if text == self.typed:
                    return None
                self.typed = text
                return self.Unparsed(self, self.spec.answer_key, text)
            error.update(f"Read as {value.strftime('%A %d %B %Y')}.")
        if (value or None) == (self.value or None) and self.typed is None:
            return None
        self.value, self.typed = value, None
        return self.Changed(self, self.spec.answer_key, value)
