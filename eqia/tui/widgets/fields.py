"""Provides AnswerField: one question (or header field) with its answer and optional comment.

A field never touches the assessment or its siblings: it posts AnswerField.Changed
with the key path and the new value, and the editor screen applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, RadioSet, Static, TextArea

from eqia.document import dates
from eqia.document.keypath import KeyPath
from eqia.tui.widgets.toggles import Choice


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
    """A question, the widget to answer it, and an optional comment box."""

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
    ) -> None:
        super().__init__(id=id, classes="answer-field")
        self.spec = spec
        self.value = value
        self.typed = typed
        """Text kept as typed because it could not be read; shown instead of the value."""
        self.comment_value = comment or ""
        self.read_only = read_only
        self.review_notes: str | None = None
        """In review mode: the verdict and findings shown under the answer; the field takes focus."""

    def compose(self) -> ComposeResult:
        spec = self.spec
        label = spec.label + (" *" if spec.required else "")
        yield Static(label, classes="question", markup=False)
        if spec.kind in ("yes_no", "choice"):
            options = spec.options or ("Yes", "No")
            with RadioSet(classes="answer", disabled=self.read_only):
                for option in options:
                    yield Choice(option, value=option == self.value)
        elif spec.kind == "text":
            yield TextArea(
                self._text(self.value),
                classes="answer long",
                soft_wrap=True,
                read_only=self.read_only,
                tab_behavior="focus",
            )
        elif spec.kind == "date":
            if self.typed is not None:
                text = self.typed
            elif isinstance(self.value, dt.date):
                text = dates.show(self.value, spec.date_format)
            else:
                text = self._text(self.value)
            yield Input(
                text,
                placeholder=dates.pattern(spec.date_format),
                classes="answer date",
                disabled=self.read_only,
            )
            yield Static("", classes="field-error", markup=False)
        else:
            yield Input(self._text(self.value), classes="answer line", disabled=self.read_only)
        if self.review_notes is not None:
            yield Static(self.review_notes, classes="review-notes", markup=False)
        if spec.comment:
            yield Static("Comment (optional)", classes="comment-label")
            yield TextArea(
                self.comment_value,
                classes="comment",
                soft_wrap=True,
                read_only=self.read_only,
                tab_behavior="focus",
            )

    def show_review(self, notes: str) -> None:
        self.review_notes = notes
        self.query_one(".review-notes", Static).update(notes)

    @staticmethod
    def _text(value: Any) -> str:
        return "" if value is None else str(value)

    @on(RadioSet.Changed)
    def _radio(self, event: RadioSet.Changed) -> None:
        event.stop()
        value = str(event.pressed.label)
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, self.spec.answer_key, value))

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        if event.text_area.has_class("comment"):
            if text != self.comment_value:
                self.comment_value = text
                self.post_message(self.Changed(self, self.spec.comment_key, text))
        elif text != self._text(self.value):
            self.value = text
            self.post_message(self.Changed(self, self.spec.answer_key, text))

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value
        if self.spec.kind == "date":
            error = self.query_one(".field-error", Static)
            if not text.strip():
                error.update("")
                value: Any = ""
            else:
                try:
                    value = dates.parse(text, self.spec.date_format)
                except ValueError as exc:
                    error.update(f"{exc} Your text is kept until you correct it.")
                    if text != self.typed:
                        self.typed = text
                        self.post_message(self.Unparsed(self, self.spec.answer_key, text))
                    return
                error.update(f"Read as {value.strftime('%A %d %B %Y')}.")
            if value != self.value or self.typed is not None:
                self.value, self.typed = value, None
                self.post_message(self.Changed(self, self.spec.answer_key, value))
        elif text != self._text(self.value):
            self.value = text
            self.post_message(self.Changed(self, self.spec.answer_key, text))
