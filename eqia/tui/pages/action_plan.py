"""Provides ActionPlanPage: the action plan as a table, and a form to edit the chosen item."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Button, Checkbox, DataTable, SelectionList, Static

from eqia.document import dates
from eqia.document.form import FormSpec
from eqia.document.keypath import KeyPath
from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.tui.widgets.editing import typing_in
from eqia.tui.widgets.fields import AnswerField, FieldSpec
from eqia.usecases.pages import Page

# (model field, kind): the fields an action-plan item has; labels come from the form.
ACTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("issue", "text"),
    ("action", "text"),
    ("owner", "line"),
    ("target_date", "date"),
    ("success_measure", "text"),
    ("resources", "line"),
)


class TickList(SelectionList[str]):
    """A SelectionList whose box is empty when an item is not chosen (not only another colour)."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return line
        segments = list(line)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(" ", segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)


class ActionPlanPage(PageView):
    """Lists actions; editing one posts AnswerField.Changed with key paths actions.N.field."""

    BINDINGS = [
        Binding("u", "progress", "Progress update", id="progress-update"),
        Binding("x", "close_action", "Close action", id="close-action"),
    ]

    @dataclass
    class AddRequested(Message):
        """The user asked for a new action."""

    @dataclass
    class UpdateRequested(Message):
        """The user asked to add a progress update to action `index`."""

        index: int

    @dataclass
    class ItemChanged(Message):
        """A value of an action that is not an answer field: its characteristics, or closed."""

        key_path: KeyPath
        value: object

    def __init__(
        self,
        form: FormSpec,
        assessment: Assessment,
        page: Page,
        *,
        read_only: bool,
        notes: ReviewNotes | None = None,
    ) -> None:
        super().__init__(form, assessment, page, read_only=read_only, notes=notes)
        self.id = "action-plan"
        self.characteristics = form.characteristics_in(assessment.include)
        """The assessment's characteristics: the form's own and the optional groups switched on."""
        self.current: int | None = 0 if assessment.actions else None
        self._sent: dict[int, list[str]] = {}
        """The characteristics each action's list last sent up."""
        self._edits = 0
        """Counts actions asked for: only the latest is put in the form (one at a time, never cut short)."""
        self._edit_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        yield Static(
            self.form.wording("no_actions", "There are no actions."),
            id="no-actions",
            classes="hint",
            markup=False,
        )
        table: DataTable[str] = DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield table
        if not self.read_only:
            with Horizontal(classes="buttons"):
                yield Button("Add action (a)", id="add-action")
                yield Button("Progress (u)", id="add-update", tooltip="Add a progress update")
                yield Button("Close (x)", id="close-action", tooltip="Close the action")
        yield Vertical(id="action-editor")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        label = self.form.action_label
        table.add_columns(
            "#",
            label("characteristics"),
            label("action"),
            label("owner"),
            label("target_date"),
            self.form.wording("action_latest_grade", "Latest grade"),
        )
        self.refresh_table()
        if self.current is not None:
            self.edit(self.current)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Read-only: no progress updates and no closing; the footer does not offer the keys. Nor while
        # the user types in one of the action's answers: there u and x are letters, typed.
        if action in ("progress", "close_action"):
            return not (self.read_only or typing_in(self.screen.focused))
        return True

    def show_state(self, assessment: Assessment) -> None:
        super().show_state(assessment)
        self.refresh_table()

    def focus_first(self) -> None:
        self.query_one(DataTable).focus()

    def refresh_table(self) -> None:
        self.query_one("#no-actions").display = not self.assessment.actions
        table = self.query_one(DataTable)
        table.clear()
        labels = {c.id: c.label for c in self.form.characteristics}
        for i, item in enumerate(self.assessment.actions):
            graded = sorted((u for u in item.updates if u.grade), key=lambda u: u.date)
            grade = str(graded[-1].grade) if graded else ""
            table.add_row(
                str(i + 1),
                ", ".join(labels.get(c, c) for c in item.characteristics) or "-",
                (item.action or item.issue or "(new action)")[:40],
                item.owner,
                dates.show(item.target_date, self.form),
                grade + (" (closed)" if item.closed else ""),
                key=str(i),
            )

    @on(DataTable.RowSelected)
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.edit(int(str(event.row_key.value)))

    @on(Button.Pressed, "#add-action")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.AddRequested())

    @on(Button.Pressed, "#add-update")
    def _update_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_progress()

    @on(Button.Pressed, "#close-action")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close_action()

    def action_close_action(self) -> None:
        """Close the chosen action; only once it has a final progress update."""
        if self.current is None or self.read_only:
            return
        item = self.assessment.actions[self.current]
        if not item.updates:
            self.app.notify(
                "Add a final progress update (u) first: an action is closed with its evidence and grade.",
                title="Not closed",
                severity="warning",
            )
            return
        self.post_message(self.ItemChanged(("actions", self.current, "closed"), not item.closed))

    def action_progress(self) -> None:
        if self.read_only:
            return
        if self.current is None:
            self.app.notify("Add an action first, then its progress updates.", severity="warning")
            return
        self.post_message(self.UpdateRequested(self.current))

    def edit(self, index: int, *, focus: bool = False) -> None:
        """Show action `index` in the form below the table (focus: and move to its first field)."""
        self.current = index
        self._edits += 1
        self.run_worker(partial(self._edit, index, focus, self._edits), group="action-edit")

    async def _edit(self, index: int, focus: bool, request: int) -> None:
        async with self._edit_lock:
            if request == self._edits:  # else a later choice puts its action in the form
                await self._put_in_form(index, focus)

    async def _put_in_form(self, index: int, focus: bool) -> None:
        item = self.assessment.actions[index]
        self._sent.pop(index, None)
        editor = self.query_one("#action-editor", Vertical)
        for field in editor.query(AnswerField):  # what the old fields hold goes up before they go
            for message in field.pending():
                self.post_message(message)
        await editor.remove_children()
        widgets: list[Any] = [Static(f"Action {index + 1}", classes="action-title")]
        widgets.append(Static(self.form.action_label("characteristics"), classes="question"))
        chooser = TickList(
            *[(c.label, c.id, c.id in item.characteristics) for c in self.characteristics],
            id="action-characteristics",
            disabled=self.read_only,
        )
        widgets.append(chooser)
        for name, kind in ACTION_FIELDS:
            spec = FieldSpec(
                ("actions", index, name),
                self.form.action_label(name),
                kind,
                in_table=False,
                date_format=self.form.date_format,
            )
            widgets.append(
                AnswerField(spec, getattr(item, name), None, read_only=self.read_only, typed=self.typed(spec))
            )
        if item.updates:
            lines = [
                f"{dates.show(u.date, self.form)}  grade {u.grade or '-'}  {u.evidence_of_progress}".rstrip()
                for u in sorted(item.updates, key=lambda u: u.date)
            ]
            widgets.append(Static("Progress updates", classes="question"))
            widgets.append(Static("\n".join(lines), classes="updates", markup=False))
        await editor.mount_all(widgets)
        if focus:
            chooser.focus()

    @on(SelectionList.SelectedChanged, "#action-characteristics")
    def _characteristics(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        if self.current is None or self.read_only:
            return
        chosen = [c.id for c in self.characteristics if c.id in event.selection_list.selected]
        # Compared with what the list last sent, not with the assessment (a step behind quick ticks).
        if chosen != self._sent.get(self.current, self.assessment.actions[self.current].characteristics):
            self._sent[self.current] = chosen
            self.post_message(self.ItemChanged(("actions", self.current, "characteristics"), chosen))
