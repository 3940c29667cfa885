"""Provides the Sidebar: every page of the walkthrough with its state; select one to jump to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Label, ListItem, ListView

from eqia.pages import Page

MARKS = {"not started": "○", "in progress": "◐", "complete": "●", "has problems": "!"}
STATE_CLASSES = tuple(state.replace(" ", "-") for state in MARKS)


def _item_id(page_id: str) -> str:
    return "page-" + page_id.replace(":", "--")


class Sidebar(ListView):
    """The section list; posts Sidebar.PageChosen when the user picks a page."""

    @dataclass
    class PageChosen(Message):
        page_id: str

    def show_pages(self, pages: list[Page], states: dict[str, str], current: str | None) -> None:
        """Update marks in place; rebuild only when pages come or go (the relevance test changed)."""
        items = list(self.query(ListItem))
        if [item.id for item in items] == [_item_id(p.id) for p in pages]:
            for item, page in zip(items, pages, strict=True):
                self._decorate(item, page, states.get(page.id, "not started"))
            return
        self.run_worker(self._rebuild(pages, states, current), exclusive=True, group="sidebar")

    async def _rebuild(self, pages: list[Page], states: dict[str, str], current: str | None) -> None:
        await self.clear()
        items = []
        for page in pages:
            item = ListItem(Label("", markup=False), id=_item_id(page.id))
            items.append(item)
        await self.extend(items)
        for item, page in zip(items, pages, strict=True):
            self._decorate(item, page, states.get(page.id, "not started"))
        ids = [p.id for p in pages]
        if current in ids:
            self.index = ids.index(current)

    @staticmethod
    def _decorate(item: ListItem, page: Page, state: str) -> None:
        label = item.query_one(Label)
        label.update(f"{MARKS[state]} {page.label}")
        label.tooltip = state
        item.remove_class(*STATE_CLASSES)
        item.add_class(state.replace(" ", "-"))

    def select_page(self, page_id: str) -> None:
        ids = [item.id for item in self.query(ListItem)]
        if _item_id(page_id) in ids:
            self.index = ids.index(_item_id(page_id))

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if event.item is not None and event.item.id:
            self.post_message(self.PageChosen(event.item.id.removeprefix("page-").replace("--", ":")))
