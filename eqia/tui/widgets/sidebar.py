"""Provides the Sidebar: every page of the walkthrough with its state; select one to jump to it.

An OptionList (one widget, one line per page) rather than a ListView of
widgets: it keeps start-up quick and redraws cheaply as states change.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from eqia.tui.widgets.lists import PagedOptionList
from eqia.usecases.pages import Page

MARKS = {"not started": "○", "in progress": "◐", "complete": "●", "has problems": "!"}
STYLES = {"not started": "", "in progress": "", "complete": "", "has problems": "bold"}


class Sidebar(PagedOptionList):
    """The section list; posts Sidebar.PageChosen when the user picks a page."""

    @dataclass
    class PageChosen(Message):
        page_id: str

    def show_pages(self, pages: list[Page], states: dict[str, str], current: str | None) -> None:
        """Update marks in place; rebuild only when pages come or go (the relevance test changed)."""
        ids = [p.id for p in pages]
        prompts = [self._prompt(p, states.get(p.id, "not started")) for p in pages]
        if [o.id for o in self.options] == ids:
            for page_id, prompt in zip(ids, prompts, strict=True):
                self.replace_option_prompt(page_id, prompt)
        else:
            self.set_options(
                [Option(prompt, id=page_id) for page_id, prompt in zip(ids, prompts, strict=True)]
            )
        if current in ids:
            self.highlighted = ids.index(current)

    @staticmethod
    def _prompt(page: Page, state: str) -> Text:
        text = Text(f"{MARKS[state]} ", style=STYLES[state])
        text.append(page.label)
        return text

    def labels(self) -> list[str]:
        return [str(option.prompt) for option in self.options]

    def select_page(self, page_id: str) -> None:
        ids = [o.id for o in self.options]
        if page_id in ids:
            self.highlighted = ids.index(page_id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.PageChosen(event.option.id))
