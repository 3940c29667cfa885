"""Provides the answer widgets that never lose a word: AnswerText (many lines), AnswerLine (one line)
and AnswerChoice (one of a few options), and typing_in (whether keys go into a text field).

Textual's own widgets come close, but each can lose a saved answer:
- an Input selects all its text when it gets focus, so the next key or paste replaces the whole
  answer, and it has no undo;
- a TextArea's redo (and the undo of a paste of many lines) raises when the text gets shorter by
  lines: it redraws with the cursor where it was, past the new end (Textual 8.2.8,
  TextArea._redo_batch and _undo_batch call _refresh_size before the edits move the cursor);
- a RadioSet highlights its first option when it is built, so Enter on a question nobody answered
  records that option;
- a character Python does not call printable (a zero-width joiner in an emoji sequence, a soft
  hyphen) is dropped when typed.
These classes keep Textual's behaviour otherwise. A field the user cannot see takes no typing.
"""

from __future__ import annotations

import time
import unicodedata
from collections import deque
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, RadioButton, RadioSet, TextArea
from textual.widgets.text_area import Edit, EditResult
from textual.widgets.text_area import Selection as TextSelection

WIPE_CHARACTERS = 20
"""A deletion this long that takes most of an answer is a wipe: the app says how to undo it."""
UNDO_STEPS = 200
"""How many undo steps a one-line answer keeps."""
TYPING_PAUSE = 2.0
"""Seconds after which typing in a one-line answer starts a new undo step."""


def typed_character(event: events.Key) -> str | None:
    """The character a key types, counting the invisible format characters (Unicode category Cf:
    zero-width joiner and non-joiner, soft hyphen, direction marks) that Textual does not."""
    character = event.character
    if event.is_printable:
        return character
    if character and len(character) == 1 and unicodedata.category(character) == "Cf":
        return character
    return None


def typing_in(widget: Widget | None) -> bool:
    """Whether the focused widget takes typed text: a one-line or many-line field that can change.
    A single-letter shortcut must not fire there (the letter is typed instead)."""
    if isinstance(widget, TextArea):
        return not widget.read_only
    if isinstance(widget, Input):
        return not widget.disabled
    return False


def shown(widget: Widget) -> bool:
    """Whether a widget is displayed: neither it nor any parent is hidden, and it is on a screen."""
    node: Widget | None = widget
    while node is not None:
        if not node.display:
            return False
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return widget.is_attached


class _Guarded:
    """What the answer fields share: typing goes only into a field the user can see."""

    def _can_type_here(self) -> bool:
        widget: Widget = self  # type: ignore[assignment]
        if not shown(widget):
            widget.app.bell()
            widget.notify(
                "That answer is hidden, so nothing was typed into it. Move to an answer you can see.",
                severity="warning",
            )
            return False
        screen = widget.screen
        if not screen.can_view_partial(widget):
            widget.scroll_visible(animate=False, immediate=True)
        return True


class AnswerText(_Guarded, TextArea):
    """A many-line answer: the cursor starts at the end, a deletion of more than one character is its
    own undo step, and undo and redo never fail."""

    BINDINGS = [Binding("ctrl+shift+z", "redo", "Redo", show=False)]

    @dataclass
    class Wiped(Message):
        """Most of the answer was deleted at once (characters removed): say how to bring it back."""

        text_area: AnswerText
        removed: int

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._focused_once = False

    def _on_focus(self, event: events.Focus) -> None:
        if not self._focused_once:
            self._focused_once = True
            self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        character = typed_character(event)
        if character is None and event.key != "enter":
            return
        if not self._can_type_here():
            event.stop()
            event.prevent_default()
            return
        if character is not None and not event.is_printable:  # a format character Textual would drop
            event.stop()
            event.prevent_default()
            self._replace_via_keyboard(character, *self.selection)

    async def _on_paste(self, event: events.Paste) -> None:
        if not self.read_only and not self._can_type_here():
            event.stop()
            event.prevent_default()

    def edit(self, edit: Edit) -> EditResult:
        removed = self._removed_by(edit)
        if removed > 1:  # a selection, a word or a line: one step of its own
            self.history.checkpoint()
        wipe = removed >= WIPE_CHARACTERS and removed * 2 > len(self.text)
        result = super().edit(edit)
        if removed > 1:
            self.history.checkpoint()  # and typing after it is another
        if wipe:
            self.post_message(self.Wiped(self, removed))
        return result

    def _removed_by(self, edit: Edit) -> int:
        top, bottom = edit.top, edit.bottom
        if top == bottom:
            return 0
        if top[0] == bottom[0]:
            return bottom[1] - top[1]
        return len(self.document.get_text_range(top, bottom))

    def undo(self) -> None:
        if self.history.undo_stack:
            self._park_cursor()
            super().undo()
            # Textual selects again what was selected before the undone edit (all of it, after F7):
            # the next key would wipe it again. Leave the cursor at its end instead.
            end = self.selection.end
            self.selection = TextSelection.cursor(end)

    def redo(self) -> None:
        if self.history.redo_stack:
            self._park_cursor()
            super().redo()

    def _park_cursor(self) -> None:
        """Textual redraws during an undo or redo before it moves the cursor, with the cursor where it
        was; when the text gets shorter by lines that is past its end, and the redraw raises. The
        start is inside every text; the undone or redone edits then put the cursor where it belongs."""
        self.selection = TextSelection.cursor((0, 0))


class AnswerLine(_Guarded, Input):
    """A one-line answer: focus puts the cursor at the end and selects nothing, ctrl+z and ctrl+y undo
    and redo, and a paste of several lines keeps every line (joined by spaces)."""

    BINDINGS = [
        Binding("ctrl+z,super+z", "undo", "Undo", show=False),
        Binding("ctrl+y,super+y,ctrl+shift+z", "redo", "Redo", show=False),
        Binding("f7", "select_all", "Select all", show=False),
    ]

    def __init__(self, value: str | None = None, **kwargs) -> None:
        super().__init__(value, select_on_focus=False, **kwargs)
        self._undo: deque[tuple[str, int]] = deque(maxlen=UNDO_STEPS)
        self._redo: list[tuple[str, int]] = []
        self._last: tuple[str, int, float] | None = None
        """The kind of the last edit (type, delete, big), where it ended, and when: typing goes on in
        the same undo step while it carries on from there."""
        self._focused_once = False

    def _on_focus(self, event: events.Focus) -> None:
        if not self._focused_once:
            self._focused_once = True
            self.cursor_position = len(self.value)

    async def _on_key(self, event: events.Key) -> None:
        self._restart_blink()
        character = typed_character(event)
        if character is None or self.disabled:
            return
        event.stop()
        event.prevent_default()
        if not self._can_type_here():
            return
        start, end = sorted(self.selection)
        self.replace(character, start, end)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if not event.text or self.disabled or not self._can_type_here():
            return
        line = " ".join(part for part in event.text.splitlines())
        start, end = sorted(self.selection)
        self.replace(line, start, end)

    def replace(self, text: str, start: int, end: int) -> None:
        before, cursor = self.value, self.cursor_position
        super().replace(text, start, end)
        if self.value != before:
            self._remember(before, cursor, text, min(start, end), max(start, end))

    def _remember(self, before: str, cursor: int, text: str, start: int, end: int) -> None:
        if len(text) == 1 and start == end:
            kind = "type"
        elif not text and end - start == 1:
            kind = "delete"
        else:
            kind = "big"
        now = time.monotonic()
        last = self._last
        goes_on = (
            last is not None
            and kind != "big"
            and last[0] == kind
            and last[1] == (start if kind == "type" else end)
            and now - last[2] < TYPING_PAUSE
        )
        if not goes_on:
            self._undo.append((before, cursor))
        self._redo.clear()
        self._last = (kind, self.cursor_position, now)

    def action_undo(self) -> None:
        if not self._undo:
            return
        value, cursor = self._undo.pop()
        self._redo.append((self.value, self.cursor_position))
        self._restore(value, cursor)

    def action_redo(self) -> None:
        if not self._redo:
            return
        value, cursor = self._redo.pop()
        self._undo.append((self.value, self.cursor_position))
        self._restore(value, cursor)

    def _restore(self, value: str, cursor: int) -> None:
        self._last = None  # what is typed next is a step of its own
        self.value = value
        self.cursor_position = min(cursor, len(value))

    def set_answer(self, value: str) -> None:
        """Replace the whole answer as one undo step (bringing back an earlier answer)."""
        self.replace(value, 0, len(self.value))
        self._last = None


class AnswerChoice(RadioSet):
    """Options of which the user picks one: nothing is highlighted until they move to an option, so
    Enter or space on a question nobody answered records nothing. ctrl+z takes a choice back (to the
    option chosen before, or to none) and ctrl+y chooses it again, as in a text answer."""

    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False),
    ]
    cleared = False
    """Undo took the choice back to none: the answer is to be blanked (nothing is pressed)."""

    def _on_mount(self, event: events.Mount) -> None:
        self._building = True
        chosen = [i for i, button in enumerate(self.query(RadioButton)) if button.value]
        self._chosen: int | None = chosen[0] if chosen else None
        self._undo: list[int | None] = []
        self._redo: list[int | None] = []
        self._replay_to: int | None = None

    def action_next_button(self) -> None:
        if getattr(self, "_building", False):  # RadioSet highlights the first option as it is built
            self._building = False
            buttons = list(self.query(RadioButton))
            chosen = [i for i, button in enumerate(buttons) if button.value]
            self._selected = chosen[0] if chosen else None
            return
        super().action_next_button()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        # Handled here on its way up to the answer field: every choice the user makes is an undo step.
        if event.radio_set is not self or event.index == self._chosen:
            return
        self.cleared = False
        if event.index == self._replay_to:  # undo or redo choosing it: not a step of its own
            self._replay_to = None
        else:
            self._undo.append(self._chosen)
            self._redo.clear()
        self._chosen = event.index

    def action_undo(self) -> None:
        if not self._undo or self.disabled:
            self.app.bell()
            return
        self._redo.append(self._chosen)
        self._choose(self._undo.pop())

    def action_redo(self) -> None:
        if not self._redo or self.disabled:
            self.app.bell()
            return
        self._undo.append(self._chosen)
        self._choose(self._redo.pop())

    def _choose(self, index: int | None) -> None:
        buttons = list(self.query(RadioButton))
        if index is None:  # back to nothing chosen, which a RadioSet never does by itself
            with self.prevent(RadioButton.Changed):
                for button in buttons:
                    button.value = False
            self._pressed_button = None
            self._chosen = None
            self._selected = None
            self.cleared = True
            self.post_message(self.Cleared(self))
            return
        self._replay_to = index
        self._selected = index
        buttons[index].value = True

    @dataclass
    class Cleared(Message):
        """The choice was taken back to none (undo): the answer is blank again."""

        choices: AnswerChoice
