"""Provides ItemGrid: a question asked once per item of a list (the aims of the duty, the council's
themes), drawn as one table of items × options.

Each item is a compact AnswerField (its name, its options side by side, a one-line comment), so its
answer keeps its own key path and goes up as every other answer does. Up and down move between the
items, to the same option; left and right between the options of one item.
"""

from __future__ import annotations

from textual import on
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from eqia.document.form import Question
from eqia.tui.widgets.editing import shown
from eqia.tui.widgets.toggles import GridChoices


class ItemGrid(Vertical):
    """The question once, then one row per item."""

    def __init__(self, question: Question, text: str, rows: list[Widget]) -> None:
        super().__init__(classes="item-grid")
        self.question = question
        self.text = text
        self.rows = rows

    def compose(self):
        yield Static(self.text, classes="question each", markup=False)
        yield from self.rows

    @on(GridChoices.Stepped)
    def _step(self, event: GridChoices.Stepped) -> None:
        event.stop()
        rows = [row for row in self.query(GridChoices) if shown(row) and row.focusable]
        if event.choices not in rows:
            return
        index = rows.index(event.choices) + event.step
        if 0 <= index < len(rows):
            target = rows[index]
            target.focus()
            target.highlight(event.column)
            target.scroll_visible(animate=False)
