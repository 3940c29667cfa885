"""Provides Choice and Tick: a radio button and a checkbox whose mark shows only when on.

Textual draws the same mark in every toggle and tells on from off by its colour alone, which
NO_COLOR, a monochrome terminal or a colour-blind reader loses. Here an off toggle is empty.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class Choice(RadioButton):
    """A radio button: ● when chosen, empty when not."""

    def render(self) -> Content:
        self.BUTTON_INNER = "\u25cf" if self.value else " "
        return super().render()


class Tick(Checkbox):
    """A checkbox: X when ticked, empty when not."""

    def render(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()
