"""Provides PagedOptionList: Textual's OptionList, with page up and page down that work before the
list's lines are laid out (and SafePaging, the same for a Select's drop-down: see choice_select).

Textual 8.2.8's OptionList looks up the highlighted option's line when page up or page down comes,
and raises KeyError when its lines are not laid out yet: just after its options change, while it
has no room (a small terminal), or as a Select's drop-down opens and the key arrives with it.
"""

from __future__ import annotations

from textual.widgets import OptionList


class SafePaging:
    """Page up and page down lay the lines out first, and go to the first or last option when the
    highlighted one still has no line."""

    def _move_page(self, direction: int) -> None:
        options: OptionList = self  # type: ignore[assignment]
        options._update_lines()
        if (options.highlighted or 0) not in options._index_to_line:
            if direction < 0:
                options.action_first()
            else:
                options.action_last()
            return
        super()._move_page(direction)  # type: ignore[misc]


class PagedOptionList(SafePaging, OptionList):
    """An OptionList whose page up and page down always work."""
