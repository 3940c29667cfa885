"""Provides RepeatField: a repeating group (kind = "repeat"), one block of fields per row.

Each cell is an AnswerField whose key path ends in (rows, index, field), so typing goes
through the same Changed message as every other answer. Adding a row only adds widgets
(the row exists in the file once something is typed in it). A row's Remove button asks the screen
to remove it (RowRemoveRequested), which asks first when the row holds answers; the button is out of
the Tab order, so Tab after a row's last answer never lands on it (the palette offers "Remove row N…"
to the keyboard).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Static

from eqia.document import dates
from eqia.document.form import Question
from eqia.document.keypath import KeyPath, dotted
from eqia.tui.widgets.fields import AnswerField, FieldSpec


class RepeatField(Vertical):
    """The question, its rows, and buttons to add and remove rows."""

    @dataclass
    class RowRemoveRequested(Message):
        """The user asked to remove row `index` of the group at key_path."""

        key_path: KeyPath
        index: int

    def __init__(
        self,
        key: KeyPath,
        label: str,
        question: Question,
        rows: list[dict[str, Any]],
        *,
        read_only: bool,
        date_format: str = dates.DEFAULT_FORMAT,
        unparsed: dict[str, str] | None = None,
    ) -> None:
        super().__init__(classes="repeat-field")
        self.key = key
        self.label = label
        self.question = question
        self.rows = [dict(r) for r in rows] or [{}]
        self.read_only = read_only
        self.date_format = date_format
        """How the form prints dates, for the rows' date fields."""
        self.unparsed = unparsed or {}
        """Text kept as typed where a cell's value could not be read, by dotted key."""

    def compose(self) -> ComposeResult:
        required = " *" if self.question.required else ""
        yield Static(self.label + required, classes="question", markup=False)
        for index, row in enumerate(self.rows):
            yield self._row(index, row)
        if not self.read_only:
            yield Button("Add a row", id=f"add-row-{self.question.id}", classes="add-row")

    def _row(self, index: int, row: dict[str, Any]) -> Vertical:
        cells: list[Any] = [Static(f"Row {index + 1}", classes="row-label")]
        for f in self.question.fields:
            spec = FieldSpec(
                (*self.key, "rows", index, f.id),
                f.label,
                f.kind,
                f.options,
                in_table=False,
                question_id=self.question.id,
                date_format=self.date_format,
            )
            typed = self.unparsed.get(dotted(spec.answer_key))
            cells.append(AnswerField(spec, row.get(f.id), None, read_only=self.read_only, typed=typed))
        if not self.read_only:
            remove = Button(f"Remove row {index + 1}\u2026", classes="remove-row", name=str(index))
            remove.can_focus = False  # never the next Tab stop after typing: a click, or the palette
            cells.append(remove)
        return Vertical(*cells, classes="repeat-row")

    @on(Button.Pressed, ".add-row")
    async def add_row(self) -> None:
        self.rows.append({})
        row = self._row(len(self.rows) - 1, {})
        await self.mount(row, before=self.query_one(".add-row"))
        row.query(".answer").first().focus()

    @on(Button.Pressed, ".remove-row")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RowRemoveRequested(self.key, int(event.button.name or 0)))
