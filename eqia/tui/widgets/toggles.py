"""Provides the toggles: Choice and Tick (a radio button and a checkbox marked by shape), Choices (a
question's options, picked by letter) and GridChoices (one row of a grid of items × options).

Textual draws the same mark in every toggle and tells on from off by its colour alone, which
NO_COLOR, a monochrome terminal or a colour-blind reader loses. Here the mark itself changes:
◉ chosen and ○ not chosen, [x] ticked and [ ] not ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, RadioButton

from eqia.tui.widgets.editing import AnswerChoice

CHOSEN, NOT_CHOSEN = "\u25c9", "\u25cb"
"""◉ and ○: in the fonts terminals ship with (DejaVu, Menlo, Consolas, Cascadia), one cell wide."""
TICKED, NOT_TICKED = "[x]", "[ ]"


class Choice(RadioButton):
    """A radio button: ◉ when chosen, ○ when not."""

    @property
    def _button(self) -> Content:
        return Content.styled(CHOSEN if self.value else NOT_CHOSEN, self.get_visual_style("toggle--button"))


class Tick(Checkbox):
    """A checkbox: [x] when ticked, [ ] when not."""

    @property
    def _button(self) -> Content:
        return Content.styled(TICKED if self.value else NOT_TICKED, self.get_visual_style("toggle--button"))


def option_letters(options: Sequence[str]) -> list[str]:
    """The key that picks each option: its label's first letter, lower case, when no two options share
    one (Yes/No: y, n; Yes/No/Uncertain: y, n, u); none at all when any two do (Positive, Neutral,
    Negative: a letter for only some options would leave the user guessing)."""
    letters = [option[:1].lower() for option in options]
    unique = len(set(letters)) == len(letters)
    if len(options) < 2 or not unique or not all(letter.isalpha() for letter in letters):
        return []
    return letters


class Choices(AnswerChoice):
    """A question's options, one of which the user picks: arrows and space or Enter as in a RadioSet,
    or the option's letter (option_letters). Enter on the option already chosen says the user is done
    here (Done), so the field can move on to the next question."""

    BINDINGS = [Binding("enter", "enter", "Choose", show=False)]

    @dataclass
    class Done(Message):
        """Enter on the chosen option: move on."""

        choices: Choices

    def __init__(self, options: Sequence[str], value: object, *, classes: str, disabled: bool) -> None:
        super().__init__(*(Choice(o, value=o == value) for o in options), classes=classes, disabled=disabled)
        self.letters = option_letters(options)
        for index, (letter, option) in enumerate(zip(self.letters, options, strict=False)):
            self._bindings.bind(f"{letter},{letter.upper()}", f"pick({index})", option, show=False)
        if self.letters:  # on the options' border, where the eye is: the footer has no room at 80 columns
            self.border_subtitle = "keys " + "/".join(self.letters)

    def action_pick(self, index: int) -> None:
        """Choose the option at index (its letter was pressed)."""
        buttons = list(self.query(RadioButton))
        self._selected = index
        buttons[index].value = True

    def action_enter(self) -> None:
        if self._selected is None:
            return  # nothing highlighted: an untouched question records nothing
        button = list(self.query(RadioButton))[self._selected]
        if button.value:
            self.post_message(self.Done(self))
        else:
            button.toggle()


class GridChoices(Choices):
    """One item's options in a grid of items × options, side by side: left and right move between the
    options, up and down ask for the same option of the item above or below (Stepped)."""

    BINDINGS = [
        Binding("up", "step(-1)", "Item above", show=False),
        Binding("down", "step(1)", "Item below", show=False),
    ]

    @dataclass
    class Stepped(Message):
        """Up (-1) or down (1) from this row, at column (the option highlighted, if any)."""

        choices: GridChoices
        step: int
        column: int | None

    def action_step(self, step: int) -> None:
        column = self._selected if self._selected is not None else None
        if column is None and self.pressed_index >= 0:
            column = self.pressed_index
        self.post_message(self.Stepped(self, step, column))

    def highlight(self, column: int | None) -> None:
        """Highlight the option at column (clamped), as arrows would; nothing is chosen."""
        if column is not None:
            self._selected = max(0, min(column, len(self.children) - 1))
