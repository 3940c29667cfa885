"""Provides keys_of: every key of the screen on top, read from the bindings of the app, the screen, the
page on it and the focused widget, for the help (F1). Nothing is written by hand, so a key added to
a screen, a page or a widget is in the help the day it is added."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen

TEXTUAL_WORDS = {
    "app.focus_next": "Next field",
    "app.focus_previous": "Previous field",
    "screen.copy_text": "Copy the selected text",
}
"""Textual's own keys of every screen, in eqia's words."""


def keys_of(screen: Screen, extra: Iterable[DOMNode] = ()) -> list[tuple[str, str]]:
    """(keys, what they do) for each thing the user can do by key on the screen: the screen's own,
    those of `extra` nodes (the page on it), of the focused widget and its parents, then Tab and the
    app's keys. A key bound twice is listed for the binding Textual runs: a priority binding, else
    the one nearest the focus. Keys Textual's widgets bind to edit text or move a cursor are left
    out; eqia's own, Tab and the command palette are in."""
    app = screen.app
    chain: list[DOMNode] = []
    node = screen.focused
    while node is not None and node is not screen:
        chain.append(node)
        node = node.parent  # type: ignore[assignment]
    listed = [screen, *extra, *[n for n in reversed(chain) if n not in extra]]
    winner: dict[str, tuple[DOMNode, Binding]] = {}
    for priority in (True, False):  # the order Textual tries them in
        for node in [app, screen, *chain] if priority else [*chain, *extra, screen, app]:
            for key, bindings in node._bindings.key_to_bindings.items():
                for binding in bindings:
                    if binding.priority == priority and key not in winner:
                        winner[key] = (node, binding)
    out: dict[tuple[int, str], tuple[list[str], str]] = {}  # by node and action: keys, what they do
    for key, (node, binding) in winner.items():
        if not binding.description or binding.action not in _declared_actions(node):
            continue
        rank = listed.index(node) if node in listed else len(listed)
        if node is screen and binding.action in TEXTUAL_WORDS:
            rank = len(listed)  # Textual's keys of every screen after this screen's own
        what = TEXTUAL_WORDS.get(binding.action) or binding.tooltip or binding.description
        out.setdefault((rank, binding.action), ([], what))[0].append(shown_key(key))
    palette = app.COMMAND_PALETTE_BINDING
    if app.ENABLE_COMMAND_PALETTE:
        out[(len(listed) + 1, "command_palette")] = (
            [shown_key(palette)],
            "Command palette: every command of this screen",
        )
    ordered = sorted(out.items(), key=lambda item: item[0][0])  # stable: bindings in their order
    return [(", ".join(keys), what) for _, (keys, what) in ordered]


def _declared_actions(node: DOMNode) -> set[str]:
    """The actions bound in BINDINGS by eqia's own classes of a node, and by Textual's Screen (Tab)."""
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("eqia.") or cls is Screen:
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    actions.add(binding.action)
    return actions


def shown_key(key: str) -> str:
    """A key as the help writes it: ctrl+n, F1, ?, shift+tab."""
    *modifiers, name = key.split("+")
    name = format_key(name)
    if len(name) > 1 and name[0] == "f" and name[1:].isdigit():
        name = name.upper()
    return "+".join([*modifiers, name])
