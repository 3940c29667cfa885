"""Provides the Sidebar: the assessment's outline as the report numbers it, each page with its state;
select a line to go there.

It reads like the report: headings without a page of their own (2 Initial Assessment), and each
characteristic as a group (3.2 Disability, then Relevance, Impact, ... under it) that is open only
while one of its pages is on screen. A name too long for the sidebar is cut with "…", never wrapped
(see #sidebar in app.tcss).

An OptionList (one widget, one line per row) rather than a ListView of widgets: it keeps start-up
quick and redraws cheaply as states change.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from eqia.tui.widgets.lists import PagedOptionList
from eqia.usecases.pages import OutlineRow

MARKS = {"not started": "○", "in progress": "◐", "complete": "●", "has problems": "!"}
STYLES = {"not started": "", "in progress": "", "complete": "", "has problems": "bold"}
OPEN, CLOSED = "▾", "▸"
"""A characteristic's group, open (its pages listed under it) or closed."""


class Sidebar(PagedOptionList):
    """The outline; posts Sidebar.PageChosen when the user picks a line."""

    @dataclass
    class PageChosen(Message):
        page_id: str
        key: str | None = None
        """An answer (dotted key path) to put the focus in on that page: a characteristic's relevance
        line goes to the relevance test at that characteristic."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rows: list[OutlineRow] = []
        self._current: str | None = None
        """The row of the page on screen."""
        self._link: OutlineRow | None = None
        """The relevance line last chosen: while its page is on screen, its line stays highlighted
        and its characteristic's group open."""

    def show_outline(self, rows: list[OutlineRow], current: str | None) -> None:
        """Show the outline with its states; open the group of the page on screen."""
        self._rows = rows
        self._follow(current)
        self._show()

    def select_page(self, page_id: str) -> None:
        """The page on screen changed: open its group (closing the others) and highlight it."""
        self._follow(page_id)
        self._show()

    def _follow(self, page_id: str | None) -> None:
        link = self._link
        if link is not None and link.page_id == page_id and any(r.id == link.id for r in self._rows):
            self._current = link.id
        else:
            self._link = None
            self._current = page_id

    def _show(self) -> None:
        shown = self._shown_rows()
        ids = [row.id for row in shown]
        prompts = [self._prompt(row) for row in shown]
        if [o.id for o in self.options] == ids:  # marks changed: update them in place
            for row_id, prompt in zip(ids, prompts, strict=True):
                self.replace_option_prompt(row_id, prompt)
        else:
            self.set_options(
                [
                    Option(prompt, id=row.id, disabled=row.kind == "heading")
                    for row, prompt in zip(shown, prompts, strict=True)
                ]
            )
        if self._current in ids:
            self.highlighted = ids.index(self._current)

    def _open_group(self) -> str | None:
        """The characteristic whose group is open: that of the page on screen."""
        return next((r.characteristic for r in self._rows if r.id == self._current), None)

    def _shown_rows(self) -> list[OutlineRow]:
        open_group = self._open_group()
        return [
            row
            for row in self._rows
            if row.kind in ("heading", "group")
            or row.characteristic is None
            or row.characteristic == open_group
        ]

    def _prompt(self, row: OutlineRow) -> Text:
        mark = MARKS[row.state] if row.state is not None else " "
        text = Text(f"{mark} ", style=STYLES.get(row.state or "", ""))
        # The numbers show the levels; only a characteristic's own lines are set in, under its group.
        indent = "  " * max(row.depth - 1, 0)
        if row.kind == "group":
            indent += (OPEN if row.characteristic == self._open_group() else CLOSED) + " "
        text.append(indent + row.label)
        return text

    def labels(self) -> list[str]:
        """The lines as shown, marks and all."""
        return [str(option.prompt) for option in self.options]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = next((r for r in self._rows if r.id == event.option.id), None)
        if row is None or row.page_id is None:
            return
        if row.kind == "relevance":
            self._link = row
            self._current = row.id
            self._show()
        self.post_message(self.PageChosen(row.page_id, row.key))
