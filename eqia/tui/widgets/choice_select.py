"""Provides ChoiceSelect: Textual's Select, whose drop-down's page up and page down work as it opens
(see eqia.tui.widgets.lists). Its own module: Select loads with the pages that use it, not at start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from eqia.tui.widgets.lists import SafePaging


class _PagedOverlay(SafePaging, SelectOverlay):
    """A Select's drop-down whose page up and page down always work."""


class ChoiceSelect(Select):
    """A Select whose drop-down's page up and page down always work."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _PagedOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
