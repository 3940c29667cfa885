"""Provides RepeatField: a repeating group (kind = "repeat") as a table of its rows, one line each, with
the selected row's fields in an editor below.

Each cell of the editor is an AnswerField whose key path ends in (rows, index, field), so typing goes
through the same Changed message as every other answer. Adding a row only adds a line (the row exists
in the file once something is typed in it). Duplicating, moving and removing a row are asked of the
screen (RowDuplicateRequested, RowMoveRequested, RowRemoveRequested), which changes the rows through
the edit session and then calls show_rows. The keys act in the table (a, d, shift+up/down, delete);
the buttons are for the mouse and take no focus, so Tab after a row's last answer never lands on
Remove (the palette also offers "Remove row N…").
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
from textual.widgets import Button, DataTable, Static

from eqia.document import dates
from eqia.document.form import Question
from eqia.document.keypath import KeyPath, dotted
from eqia.tui.widgets.fields import AnswerField, FieldSpec

MAIN_FIELDS = 3
"""The table shows a row's first fields, at most this many; the editor below shows all of them."""
GOOD_COLUMN = 16
"""A column narrower than this says too little: fewer columns are shown instead."""
MIN_COLUMN = 6
"""A column is never narrower than this (the table scrolls sideways instead)."""


class RowTable(DataTable[str]):
    """The rows of a repeating group, one line each; its keys add, duplicate, move and remove rows."""

    BINDINGS = [
        Binding("a", "add_row", "Add row", id="add-row"),
        Binding("d", "duplicate_row", "Duplicate row", id="duplicate-row"),
        Binding("shift+up", "move_row(-1)", "Move row up", id="move-row-up"),
        Binding("shift+down", "move_row(1)", "Move row down", id="move-row-down"),
        Binding("delete", "remove_row", "Remove row", id="remove-row"),
    ]

    def _group(self) -> RepeatField:
        group = self.parent
        assert isinstance(group, RepeatField)
        return group

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_row", "duplicate_row", "move_row", "remove_row"):
            return not self._group().read_only
        return True

    def action_add_row(self) -> None:
        self.run_worker(self._group().add_row(), group="repeat-add")

    def action_duplicate_row(self) -> None:
        self._group().duplicate()

    def action_move_row(self, step: int) -> None:
        self._group().move(step)

    def action_remove_row(self) -> None:
        self._group().remove()


class RepeatField(Vertical):
    """The question, its rows as a table, and the selected row's fields below."""

    @dataclass
    class RowRemoveRequested(Message):
        """The user asked to remove row `index` of the group at key_path."""

        key_path: KeyPath
        index: int

    @dataclass
    class RowDuplicateRequested(Message):
        """The user asked for a copy of row `index`, right after it."""

        key_path: KeyPath
        index: int

    @dataclass
    class RowMoveRequested(Message):
        """The user asked to move row `index` to place `to`."""

        key_path: KeyPath
        index: int
        to: int

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
        """The rows as shown: the assessment's, then any added and not typed in yet."""
        self.read_only = read_only
        self.date_format = date_format
        """How the form prints dates, for the rows' date fields."""
        self.unparsed = unparsed or {}
        """Text kept as typed where a cell's value could not be read, by dotted key."""
        self.current = 0
        """The row selected in the table, whose fields the editor shows."""
        self._widths: tuple[int, ...] = ()

    # -- drawing ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        required = " *" if self.question.required else ""
        yield Static(self.label + required, classes="question", markup=False)
        yield RowTable(
            id=f"rows-{self.question.id}", classes="repeat-table", cursor_type="row", zebra_stripes=True
        )
        if not self.read_only:
            with Horizontal(classes="repeat-buttons"):
                for label, name, tip in (
                    ("Add", "add-row", "Add a row (a in the table)"),
                    ("Duplicate", "duplicate-row", "Copy the selected row (d)"),
                    ("\u2191 Up", "row-up", "Move the selected row up (shift+\u2191)"),
                    ("\u2193 Down", "row-down", "Move the selected row down (shift+\u2193)"),
                    ("Remove\u2026", "remove-row", "Remove the selected row; asks first (delete)"),
                ):
                    button = Button(
                        label, id=f"{name}-{self.question.id}", classes=name, tooltip=tip, compact=True
                    )
                    button.can_focus = False  # the table's keys are the keyboard's way; Tab skips these
                    yield button
            yield Static(
                "In the table: a add \u00b7 d duplicate \u00b7 shift+\u2191/\u2193 move \u00b7 delete remove "
                "\u00b7 enter edit the row",
                classes="repeat-keys hint",
            )
        yield Vertical(self._editor(self.current), classes="repeat-editor")

    def _editor(self, index: int) -> Vertical:
        """Row `index`'s fields, under a line saying which row they are."""
        row = self.rows[index]
        cells: list[Any] = [Static(self._row_title(index), classes="row-label", markup=False)]
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
        return Vertical(*cells, classes="repeat-row", name=str(index))

    def _row_title(self, index: int) -> str:
        return f"Row {index + 1} of {len(self.rows)}"

    def on_mount(self) -> None:
        self._fill_table()

    def on_resize(self, event: events.Resize) -> None:
        if self._column_widths() != self._widths:
            self._fill_table()

    def _column_widths(self) -> tuple[int, ...]:
        """The main fields' columns share the width left by the row number (each has 2 of padding):
        as many of the first MAIN_FIELDS as fit at GOOD_COLUMN cells, and at least one."""
        room = max(0, self.content_size.width - 2 - 5)  # a scrollbar, and the "#" column
        count = max(1, min(MAIN_FIELDS, len(self.question.fields), room // (GOOD_COLUMN + 2)))
        return tuple(max(MIN_COLUMN, room // count - 2) for _ in range(count))

    def _fill_table(self) -> None:
        table = self._table()
        if table is None:
            return
        self._widths = self._column_widths()
        table.clear(columns=True)
        table.add_column("#", key="#", width=3)
        for f, width in zip(self.question.fields, self._widths, strict=False):
            table.add_column(_cut(f.label, width), key=f.id, width=width)
        for index in range(len(self.rows)):
            table.add_row(*self._cells(index), key=str(index))
        table.move_cursor(row=self.current, animate=False)

    def _cells(self, index: int) -> list[str]:
        row = self.rows[index]
        cells = [str(index + 1)]
        for f, width in zip(self.question.fields, self._widths, strict=False):
            cells.append(_cut(self._shown(row.get(f.id)), width))
        if not any(_present(v) for v in row.values()):
            cells[1] = _cut("(empty)", self._widths[0]) if self._widths else ""
        return cells

    def _shown(self, value: Any) -> str:
        if isinstance(value, dt.date):
            return dates.show(value, self.date_format)
        return "" if value is None else " ".join(str(value).split())

    # -- the selected row ---------------------------------------------------------------
    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.select(int(event.row_key.value))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: into its first field."""
        event.stop()
        self.select(int(str(event.row_key.value)))
        self.call_after_refresh(self._focus_editor)

    def select(self, index: int) -> None:
        """Show row `index`'s fields below the table (built the first time it is chosen, then kept, so
        nothing typed in a row is dropped when another is chosen)."""
        if not 0 <= index < len(self.rows):
            return
        self.current = index
        holder = self.query_one(".repeat-editor", Vertical)
        found = False
        for editor in holder.query_children(".repeat-row"):
            editor.display = editor.name == str(index)
            found = found or editor.display
        if not found:
            holder.mount(self._editor(index))

    def _focus_editor(self) -> None:
        for editor in self.query(".repeat-row"):
            if editor.name == str(self.current):
                for answer in editor.query(".answer")[:1]:  # none yet if the row is still being put up
                    answer.focus()
                    answer.scroll_visible(animate=False)

    def _table(self) -> RowTable | None:
        """The rows' table; None while the group is being taken down (its page is going), when a
        worker started before (a row added, the rows shown again) has nothing left to do."""
        found = self.query(RowTable)
        return found.first() if found and self.is_attached else None

    @on(AnswerField.Changed)
    def _typed(self, message: AnswerField.Changed) -> None:
        """A cell changed: its table line says so (the message goes on up to the screen)."""
        key = message.key_path
        if len(key) < 3 or key[-3] != "rows" or not isinstance(key[-2], int) or key[-2] >= len(self.rows):
            return
        index, name = key[-2], str(key[-1])
        self.rows[index][name] = message.value
        table = self._table()
        if table is None:
            return
        for column, cell in zip(
            ("#", *(f.id for f in self.question.fields)), self._cells(index), strict=False
        ):
            table.update_cell(str(index), column, cell)

    # -- adding, and what the screen is asked to do -------------------------------------
    async def add_row(self) -> None:
        """A new, empty row at the end, selected, its first field focused."""
        table = self._table()
        if table is None:
            return
        self.rows.append({})
        index = self.current = len(self.rows) - 1
        table.add_row(*self._cells(index), key=str(index))
        holder = self.query_one(".repeat-editor", Vertical)
        for editor in holder.query_children(".repeat-row"):
            editor.display = False
        await holder.mount(self._editor(index))
        self._retitle()
        if self._table() is table:
            table.move_cursor(row=index, animate=False)
            self._focus_editor()

    def _retitle(self) -> None:
        # A row added by a key pressed twice quickly may still be mounting (its label not there yet):
        # it is titled as it is composed, with the count as it then stands.
        for editor in self.query(".repeat-row"):
            index = int(editor.name or 0)
            for label in editor.query(".row-label").results(Static):
                label.update(self._row_title(index))

    def duplicate(self) -> None:
        self.post_message(self.RowDuplicateRequested(self.key, self.current))

    def move(self, step: int) -> None:
        to = self.current + step
        if 0 <= to < len(self.rows):
            self.post_message(self.RowMoveRequested(self.key, self.current, to))

    def remove(self) -> None:
        self.post_message(self.RowRemoveRequested(self.key, self.current))

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("add-row"):
            await self.add_row()
        elif event.button.has_class("duplicate-row"):
            self.duplicate()
        elif event.button.has_class("row-up"):
            self.move(-1)
        elif event.button.has_class("row-down"):
            self.move(1)
        elif event.button.has_class("remove-row"):
            self.remove()

    async def show_rows(self, rows: list[dict[str, Any]], selected: int, unparsed: dict[str, str]) -> None:
        """The rows changed (duplicated, moved, removed): show them, row `selected` chosen. The screen
        has applied what the old editors held first; they are rebuilt for the rows' new places."""
        self.rows = [dict(r) for r in rows] or [{}]
        self.unparsed = unparsed
        self.current = min(max(selected, 0), len(self.rows) - 1)
        if self._table() is None:
            return
        holder = self.query_one(".repeat-editor", Vertical)
        await holder.remove_children()
        await holder.mount(self._editor(self.current))
        self._fill_table()
        table = self._table()
        if table is not None:
            table.focus()


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _cut(text: str, width: int) -> str:
    """Text that fits `width` cells, ending in … when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "\u2026"
