"""Provides ActionPlanPage: the action plan as a table, and a form to edit the chosen item.

Up and down in the table choose an action, and the form below shows it at once; enter goes into its
first field. Every field of the form is reachable by tab, and the page scrolls to keep it in view
(page up and page down scroll it, except in a many-line answer, where they move the cursor)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Button, Checkbox, DataTable, SelectionList, Static, TextArea

from eqia.document import dates
from eqia.document.form import FormSpec
from eqia.document.keypath import KeyPath
from eqia.document.model import ActionItem, Assessment
from eqia.quality.checks.action_plan import REQUIRED_ACTION_FIELDS
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.tui.widgets.action_table import ActionRow, ActionTable, ReviewedActionTable
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
        Binding("a", "add", "Add action", id="add-action"),
        Binding("u", "progress", "Progress", tooltip="Add a graded progress update", id="progress-update"),
        Binding("x", "close_action", "Close", tooltip="Close the action", id="close-action"),
        # Before the table's and the checklist's own: there they would move a cursor out of sight.
        Binding("pagedown", "scroll_page(1)", "Page down", show=False, priority=True),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False, priority=True),
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
        self._in_form: int | None = None
        """The action the form below the table shows."""

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        yield Static(
            self.form.wording("no_actions", "There are no actions."),
            id="no-actions",
            classes="hint",
            markup=False,
        )
        label = self.form.action_label
        table = ActionTable if self.notes is None else ReviewedActionTable
        yield table(
            {
                "issue": label("issue"),
                "owner": label("owner"),
                "target": label("target_date"),
                "grade": self.form.wording("action_latest_grade", "Latest grade"),
                "characteristics": label("characteristics"),
            },
            id="actions-table",
        )
        if not self.read_only:
            with Horizontal(classes="buttons"):
                yield Button(f"Add {self.item_word.lower()} (a)", id="add-action")
                yield Button("Progress (u)", id="add-update", tooltip="Add a graded progress update")
                yield Button("Close (x)", id="close-action", tooltip="Close the action")
        yield Vertical(id="action-editor")

    @property
    def item_word(self) -> str:
        """The form's word for one action ("Action"), numbered in the table and the editor."""
        return self.form.action_label("item")

    def on_mount(self) -> None:
        self.refresh_table()
        if self.current is not None:
            self.edit(self.current)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.screen.focused
        # Read-only: nothing added, no progress updates, no closing; the footer does not offer the
        # keys. Nor while the user types in one of the action's answers: there a, u, x are letters.
        if action in ("add", "progress", "close_action"):
            return not (self.read_only or typing_in(focused))
        if action == "scroll_page":  # a many-line answer pages through its own text
            return not isinstance(focused, TextArea)
        return True

    def show_state(self, assessment: Assessment) -> None:
        super().show_state(assessment)
        self.refresh_table()
        titles = self.query("#action-editor .action-title")
        if self._in_form is not None and self._in_form < len(assessment.actions) and titles:
            titles.first(Static).update(self._title(self._in_form))

    def _title(self, index: int) -> str:
        """The editor's heading: the action's number, and its latest grade and whether it is closed."""
        row = self._row(index, self.assessment.actions[index])
        grade = (
            f" · {self.form.wording('action_latest_grade', 'Latest grade')} {row.grade}" if row.grade else ""
        )
        return f"{row.number}{grade}"

    def focus_first(self) -> None:
        """The table when there are actions (up and down choose one), else the button that adds one."""
        buttons = self.query("#add-action")
        if not self.assessment.actions and buttons:
            buttons.first().focus()
        else:
            self.query_one(ActionTable).focus()

    def refresh_table(self) -> None:
        actions = self.assessment.actions
        self.query_one("#no-actions").display = not actions
        table = self.query_one(ActionTable)
        table.display = bool(actions)
        table.show_rows([self._row(i, item) for i, item in enumerate(actions)], self.current)
        for button in self.query("#add-update, #close-action"):  # nothing to update or close yet
            button.disabled = not actions

    def _row(self, index: int, item: ActionItem) -> ActionRow:
        labels = {c.id: c.label for c in self.form.characteristics}
        graded = sorted((u for u in item.updates if u.grade), key=lambda u: u.date)
        grade = str(graded[-1].grade) if graded else ""
        return ActionRow(
            number=f"{self.item_word} {index + 1}",
            issue=item.issue or item.action or "-",
            owner=item.owner,
            target=dates.show(item.target_date, self.form),
            grade=grade + (" (closed)" if item.closed else ""),
            characteristics=", ".join(labels.get(c, c) for c in item.characteristics),
        )

    @on(DataTable.RowHighlighted, "#actions-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The row cursor moved: show that action in the form at once."""
        event.stop()
        index = int(str(event.row_key.value))
        if index != self.current:
            self.edit(index)

    @on(DataTable.RowSelected, "#actions-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: into the action's first field."""
        event.stop()
        self.edit(int(str(event.row_key.value)), focus=True)

    def action_add(self) -> None:
        if not self.read_only:
            self.post_message(self.AddRequested())

    def action_scroll_page(self, direction: int) -> None:
        """Scroll the page by a screenful (the focus stays where it is)."""
        for node in self.ancestors:
            if isinstance(node, ScrollableContainer):
                if direction > 0:
                    node.scroll_page_down(animate=False)
                else:
                    node.scroll_page_up(animate=False)
                return

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
        self.query_one(ActionTable).show_rows(self.query_one(ActionTable).action_rows, index)
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
        self._in_form = index
        widgets: list[Any] = [Static(self._title(index), classes="action-title", markup=False)]
        for name, kind in ACTION_FIELDS:
            spec = FieldSpec(
                ("actions", index, name),
                self.form.action_label(name),
                kind,
                required=name in REQUIRED_ACTION_FIELDS,
                in_table=False,
                date_format=self.form.date_format,
            )
            widgets.append(
                AnswerField(spec, getattr(item, name), None, read_only=self.read_only, typed=self.typed(spec))
            )
        # After the answers: the list is long, and the answers are what an action is first asked for.
        widgets.append(Static(self.form.action_label("characteristics"), classes="question"))
        widgets.append(
            TickList(
                *[(c.label, c.id, c.id in item.characteristics) for c in self.characteristics],
                id="action-characteristics",
                disabled=self.read_only,
            )
        )
        if item.updates:
            lines = [
                f"{dates.show(u.date, self.form)}  grade {u.grade or '-'}  {u.evidence_of_progress}".rstrip()
                for u in sorted(item.updates, key=lambda u: u.date)
            ]
            widgets.append(Static("Progress updates", classes="question"))
            widgets.append(Static("\n".join(lines), classes="updates", markup=False))
        await editor.mount_all(widgets)
        # The page may have been taken down meanwhile (a page change typed straight after): then there
        # is no field to move to.
        for first in editor.query(".answer")[:1] if focus else ():
            if first.focusable:
                # Scrolled to once the new fields have their places (on focus they have none yet).
                first.focus(scroll_visible=False)
                self.call_after_refresh(first.scroll_visible, animate=False)

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
