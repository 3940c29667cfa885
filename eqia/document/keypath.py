"""Provides key paths: where a value lives in an assessment, and their dotted form as users read it.

A key path is a tuple of keys and 0-based indexes, ("characteristics", "age", "answers",
"evidence") or ("actions", 1, "owner"). Users read and type it dotted, with 1-based indexes:
characteristics.age.answers.evidence, actions[2].owner. Checks, verdicts, the edit session and
error messages all use this one type and this one printer and parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]
"""A location in an assessment: keys, and 0-based list indexes."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PART = re.compile(r"\[(\d+)\]|\"((?:[^\"\\]|\\.)*)\"|([^.\[\]\"]+)")


def dotted(key_path: Sequence[str | int]) -> str:
    """Show a key path as users write it: answers.purpose, actions[2].owner."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            text = part if _BARE_KEY.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'
            out += ("." if out else "") + text
    return out


def parse_dotted(text: str) -> KeyPath | None:
    """The key path a dotted key names (the inverse of dotted), or None when it is not one."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        match = _PART.match(text, pos)
        if match is None:
            return None
        index, quoted, bare = match.groups()
        if index is not None:
            parts.append(int(index) - 1)
        else:
            parts.append(quoted.replace('\\"', '"') if quoted is not None else bare)
        pos = match.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
    return tuple(parts) or None
