"""Provides carry_comments: the comment lines one version of a TOML file added, changed or removed since a
common version, laid into another version of it, each above the same table or key.

A merge is written into ours' text (so ours' comments and layout stay); this brings theirs' comments
along. A comment belongs to the table header or key right below it (blank lines between are allowed),
or to the end of the file. For each such place, comments are merged three ways: if only theirs changed
them, theirs' are taken (a comment theirs deleted goes); if both did, ours' stay and theirs' lines that
ours lacks are added below them. A place ours' text no longer has takes theirs' new lines above the next
place that it does have. Comment lines are only ever added or removed whole, outside strings, so the
data cannot change; the result is read back to make sure, and ours' text is kept if it did.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field

from eqia.files.tomlfile import line_roles

Place = tuple[str | int, ...]
"""Where a comment belongs: ("table", *path), ("key", *path), or ("end",)."""
END: Place = ("end",)


@dataclass
class _Comments:
    """A text's comment blocks by the place they belong to, and where each sits."""

    blocks: dict[Place, list[int]] = field(default_factory=dict)
    """The line indexes of each place's comment lines."""
    lines: dict[Place, int] = field(default_factory=dict)
    """The line index of each place (for END, the number of lines)."""
    order: list[Place] = field(default_factory=list)


def _comments(lines: list[str]) -> _Comments:
    found = _Comments()
    pending: list[int] = []
    for index, role in enumerate(line_roles("\n".join(lines))):
        if role.role == "comment":
            pending.append(index)
        elif role.role in ("table", "key"):
            place: Place = (role.role, *role.path)
            if place not in found.lines:
                found.lines[place] = index
                found.order.append(place)
                if pending:
                    found.blocks[place] = pending
            pending = []
        elif role.role == "other":
            pending = []  # inside an array: not a comment about a table or key
    found.lines[END] = len(lines)
    found.order.append(END)
    if pending:
        found.blocks[END] = pending
    return found


def _texts(lines: list[str], found: _Comments, place: Place) -> list[str]:
    return [lines[i].strip() for i in found.blocks.get(place, [])]


def carry_comments(base_text: str | None, ours_text: str, theirs_text: str) -> str:
    """ours_text with the comments theirs_text changed since base_text (None: no common version, so
    theirs' comments that ours lacks are added and none removed)."""
    crlf = "\r\n" in ours_text
    base = (base_text or "").replace("\r\n", "\n").split("\n")
    ours = ours_text.replace("\r\n", "\n").split("\n")
    theirs = theirs_text.replace("\r\n", "\n").split("\n")
    cb, co, ct = _comments(base), _comments(ours), _comments(theirs)
    delete: set[int] = set()
    insert: dict[int, list[str]] = {}
    for place in ct.order + [p for p in cb.order if p not in ct.lines]:
        tb, bb, ob = _texts(theirs, ct, place), _texts(base, cb, place), _texts(ours, co, place)
        if tb in (bb, ob):
            continue
        own = co.blocks.get(place, [])
        if ob == bb and base_text is not None:  # only theirs changed them: theirs', where ours' were
            delete.update(own)
            new = [theirs[i] for i in ct.blocks.get(place, [])]
            at = own[0] if own else co.lines.get(place)
        else:  # both changed them: ours', then theirs' lines ours lacks
            new = [theirs[i] for i in ct.blocks.get(place, []) if theirs[i].strip() not in ob]
            at = own[-1] + 1 if own else co.lines.get(place)
        if at is None:  # ours has no such table or key: above the next place of theirs that ours has
            later = ct.order[ct.order.index(place) + 1 :] if place in ct.lines else [END]
            at = next(co.lines[p] for p in later if p in co.lines)
        if new:
            insert.setdefault(at, []).extend(new)
    insert = _not_twice(insert, ours, co, delete, theirs, ct)
    if not delete and not insert:
        return ours_text
    out: list[str] = []
    for index, line in enumerate(ours):
        out += insert.get(index, [])
        if index not in delete:
            out.append(line)
    if len(ours) in insert:  # at the end: before the final empty string that a last newline leaves
        tail = out.pop() if out and out[-1] == "" else None
        out += insert[len(ours)]
        out += [tail] if tail is not None else []
    text = "\n".join(out)
    if not _same_data(text, ours_text):
        return ours_text
    return text.replace("\n", "\r\n") if crlf else text


def _not_twice(
    insert: dict[int, list[str]],
    ours: list[str],
    co: _Comments,
    delete: set[int],
    theirs: list[str],
    ct: _Comments,
) -> dict[int, list[str]]:
    """The lines to insert, less those the result would already hold as often as theirs does (a comment
    theirs moved, found in its old place in ours)."""
    kept = Counter(ours[i].strip() for b in co.blocks.values() for i in b if i not in delete)
    wanted = Counter(theirs[i].strip() for b in ct.blocks.values() for i in b)
    out: dict[int, list[str]] = {}
    for at in sorted(insert):
        for line in insert[at]:
            if kept[line.strip()] < wanted[line.strip()]:
                kept[line.strip()] += 1
                out.setdefault(at, []).append(line)
    return out


def _same_data(a: str, b: str) -> bool:
    try:
        return tomllib.loads(a) == tomllib.loads(b)
    except tomllib.TOMLDecodeError:
        return False
