"""Provides merged: data written into a TOML text with tomlkit, key by key, so that the comments and
layout of tables nobody changed survive; long answers as multi-line strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Item, String, StringType, Table, Trivia, Whitespace
from tomlkit.toml_document import TOMLDocument

#: Strings longer than this, or with a line break, are written as multi-line strings.
LONG_STRING = 90
#: A multi-line string with more bare double quotes than this has every one escaped.
BARE_QUOTES = 64


def merged(base_text: str | None, data: dict[str, Any]) -> str:
    """base_text (or an empty document) with data merged into it, as TOML text."""
    doc = tomlkit.parse(base_text) if base_text else tomlkit.document()
    _merge(doc, data, top=True)
    return doc.as_string()


def _merge(container: TOMLDocument | Table, data: dict[str, Any], top: bool = False) -> None:
    """Make container hold data, touching only what differs and keeping data's key order."""
    for key in [k for k in container if k not in data]:
        del container[key]
    previous: str | None = None
    for key, value in data.items():
        if key in container:
            old = container[key]
            if isinstance(value, dict) and isinstance(old, Table):
                _merge(old, value)
            elif isinstance(value, list) and value and isinstance(value[0], dict) and isinstance(old, AoT):
                _merge_aot(old, value)
            elif isinstance(old, Array) and isinstance(value, list) and _merge_array(old, value):
                pass
            elif _plain(old) != value or type(_plain(old)) is not type(value):
                container[key] = _item(value, nested=not top)
        else:
            item = _item(value, nested=not top)
            if isinstance(item, (Table, AoT)):
                _end_with_blank_line(item)
                if previous is not None and not isinstance(container[previous], (Table, AoT)):
                    _blank_line_before(item)
            _insert(container, previous, key, item)
        previous = key


def _insert(container: TOMLDocument | Table, previous: str | None, key: str, item: Item) -> None:
    """Put a new key in its place: after its predecessor, but a plain value never after a table,
    where TOML would read it as part of that table."""
    body = container if isinstance(container, TOMLDocument) else container.value
    tables = [i for i, (k, v) in enumerate(body.body) if k is not None and isinstance(v, (Table, AoT))]
    try:
        if not isinstance(item, (Table, AoT)) and tables:
            after_previous = previous is not None and not isinstance(container[previous], (Table, AoT))
            if after_previous:
                _insert_after(body, previous, key, item)
            else:
                body._insert_at(tables[0], key, item)
        elif previous is not None:
            _insert_after(body, previous, key, item)
        else:
            container[key] = item
    except Exception:  # tomlkit refuses some placements; appending is still valid TOML here
        container[key] = item


def _insert_after(body: Any, previous: str, key: str, item: Item) -> None:
    """Put key right after previous's last place in body. tomlkit has no public way to insert at a
    place; its _insert_after went away in tomlkit 0.15.3, so this rests on _insert_at alone."""
    at = 1 + max(i for i, (k, _) in enumerate(body.body) if k is not None and k.key == previous)
    if at < len(body.body):
        body._insert_at(at, key, item)
    else:
        body.append(key, item)


def _merge_array(old: Array, values: list[Any]) -> bool:
    """Change an array of plain values in place, so comments typed beside its items survive: items
    no longer there are removed, new ones added at the end. False when that cannot give `values`
    (the order changed, or an item is not a plain value); the caller then writes the array anew."""
    current = [_plain(v) for v in old]
    if any(isinstance(v, (dict, list)) for v in (*current, *values)):
        return False
    kept = [v for v in current if v in values]
    added = [v for v in values if v not in current]
    if kept + added != values or len(set(map(repr, current))) != len(current):
        return False
    for index in reversed(range(len(current))):
        if current[index] not in values:
            del old[index]
    for value in added:
        old.append(value)
    return True


def _merge_aot(old: AoT, values: list[dict[str, Any]]) -> None:
    while len(old) > len(values):
        old.remove(old[-1]) if hasattr(old, "remove") else old.__delitem__(len(old) - 1)
    for index, value in enumerate(values):
        if index < len(old):
            _merge(old[index], value)
        else:
            _end_with_blank_line(old)
            item = _item(value, nested=True)
            _end_with_blank_line(item)
            old.append(item)


def _blank_line_before(item: Table | AoT) -> None:
    """Put a blank line above a new top-level table (on its first printed header)."""
    first: Any = item
    while True:
        if isinstance(first, AoT):
            first = first.body[0] if first.body else None
        elif isinstance(first, Table) and first.is_super_table() and len(first.value):
            first = next(v for _, v in first.value.body if isinstance(v, (Table, AoT)))
        else:
            break
    if first is not None and not first.trivia.indent.startswith("\n"):
        first.trivia.indent = "\n" + first.trivia.indent


def _end_with_blank_line(item: Table | AoT) -> None:
    """Every table eqia adds ends with a blank line, as tables in the example file do."""
    last: Any = item
    while True:
        if isinstance(last, AoT):
            last = last.body[-1] if last.body else None
        elif isinstance(last, Table) and last.is_super_table() and len(last.value):
            last = last.value.body[-1][1]
        else:
            break
    if isinstance(last, Table) and not last.as_string().endswith("\n\n"):
        last.append(None, Whitespace("\n"))


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _item(value: Any, nested: bool = True) -> Item:
    """A tomlkit item for a value: long strings multi-line, answers as tables."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        is_super = all(isinstance(v, dict) for v in value.values()) and bool(value)
        table = tomlkit.table(is_super_table=is_super)
        for k, v in value.items():
            table.add(k, _item(v))
        return table
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        aot = tomlkit.aot()
        for v in value:
            aot.append(_item(v))
        return aot
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return tomlkit.item(value)
    return tomlkit.item(value)


def _string(value: str) -> Item:
    if "\n" not in value and "\r" not in value and len(value) <= LONG_STRING:
        return tomlkit.string(value)
    # Start the text on its own line; TOML drops a newline right after the opening quotes.
    return String(StringType.MLB, value, "\n" + _escape_multiline(value), Trivia())


_CONTROL = {"\b": "\\b", "\f": "\\f", "\r": "\\r", "\\": "\\\\"}


def _escape_multiline(value: str) -> str:
    """Escape text for a TOML multi-line basic string, keeping newlines and tabs literal.

    Every CR is escaped, so that text typed with Windows line ends survives a
    round trip exactly (parsers turn a literal CRLF inside such strings into LF).
    """
    out: list[str] = []
    quotes = 0
    # Readers (tomlkit among them) rescan a string at each bare quote: past a few dozen, every quote
    # is escaped so that reading, and so saving, stays linear in the answer's length.
    every = 1 if value.count('"') > BARE_QUOTES else 3
    for ch in value:
        if ch == '"':
            quotes += 1
            out.append('\\"' if quotes == every else ch)
            if quotes == every:
                quotes = 0
            continue
        quotes = 0
        if ch in _CONTROL:
            out.append(_CONTROL[ch])
        elif (ord(ch) < 0x20 and ch not in "\n\t") or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    if out and out[-1] == '"':
        out[-1] = '\\"'  # a quote right before the closing quotes would merge with them
    return "".join(out)
