"""Provides split_text(): an author's text as paragraphs and lists, decided once for every renderer.

Answers and form wording are plain text in which people type lists the way they would in an
e-mail: bulleted ("- ", "* ", "• "), numbered ("1.", "1)"), lettered ("a)", "(a)"), one level
nested by indenting. split_text() finds them, so each renderer emits its format's own list
structure instead of printing the markers as text.

Nothing is lost or reordered: every piece keeps what came before it (`gap`, the line break or
blank lines), every item its marker exactly as typed (`lead`, with its indentation and spaces),
so join_text() gives back the text as typed, except that an item's further lines are indented
under its marker. A marker typed twice ("- 1. Outcomes", "- . Improve", as text pasted from a
Word document often has) is one item of the inner kind, its whole lead kept for the plain text.

A list starts with its first item (any number for a numbered list, "a" or "A" for a lettered
one, so "I) " or "(i) " in running text is not taken for a list); the next item of the same kind
continues it. A line that is no item after an item continues that item. A blank line ends a list
unless the next line is the list's next item (items spaced by blank lines are one list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Kind = Literal["bullet", "number", "letter"]

# An item's lead: indentation, an optional bullet (with a stray "." or "·" some pastes keep),
# then an optional number or letter; at least one of them, then at least one space or tab.
_LEAD = re.compile(
    r"(?P<indent>[ \t]*)"
    r"(?:(?P<bullet>[-*•])(?:[ \t]+[.·](?=[ \t]))?)?"
    r"(?(bullet)(?:[ \t]+(?P<inner>\d{1,3}[.)]|[a-zA-Z]\)|\([a-zA-Z]\)))?"
    r"|(?P<alone>\d{1,3}[.)]|[a-zA-Z]\)|\([a-zA-Z]\)))"
    r"[ \t]+(?=\S)"
)
_GAP = re.compile(r"\n(?:[ \t]*\n)+")
_MAYBE_LIST = re.compile(r"(?:^|\n)[ \t]*(?:[-*•]|\d{1,3}[.)]|\(?[a-zA-Z]\))[ \t]")


@dataclass(frozen=True, slots=True)
class Para:
    """Lines of running text, as typed (line breaks inside kept)."""

    text: str
    gap: str = ""
    """What came before it: "" first, else the blank lines (or "\\n" after a list in the same block)."""


@dataclass(frozen=True, slots=True)
class Item:
    lead: str
    """The line up to the item's words, exactly as typed: "- ", "  a) ", "- 1. "."""
    text: str
    """The item's words; its further lines joined by "\\n", their indentation left out."""
    children: tuple[ListBlock, ...] = ()
    """The lists nested under it (one level)."""
    gap: str = "\n"
    """What came before it: "\\n", or the blank lines when items are spaced out."""


@dataclass(frozen=True, slots=True)
class ListBlock:
    kind: Kind
    items: tuple[Item, ...]
    start: int = 1
    """The first item's number (a = 1)."""
    style: str = "1."
    """The marker as a pattern: "1.", "1)", "a)", "(a)", "A)", "(A)"; "-" for bullets."""
    gap: str = ""


Piece = Para | ListBlock


@dataclass(frozen=True, slots=True)
class _Marker:
    kind: Kind
    ordinal: int
    style: str
    indent: int
    lead: str


def _marker(line: str) -> _Marker | None:
    match = _LEAD.match(line)
    if match is None:
        return None
    indent = len(match["indent"].expandtabs(4))
    symbol = match["inner"] or match["alone"]
    if symbol is None:
        return _Marker("bullet", 0, "-", indent, match.group())
    core = symbol.strip("().")
    if core.isdigit():
        return _Marker("number", int(core), "1" + symbol[-1], indent, match.group())
    letter = "A" if core.isupper() else "a"
    style = symbol.replace(core, letter)
    return _Marker("letter", ord(core) - ord(letter) + 1, style, indent, match.group())


def _follows(marker: _Marker, kind: Kind, style: str, last: int) -> bool:
    """Whether the marker is the next item of an open list."""
    if marker.kind != kind or marker.style != style:
        return False
    return kind == "bullet" or marker.ordinal == last + 1


def _starts(marker: _Marker) -> bool:
    return marker.kind != "letter" or marker.ordinal == 1


class _Open:
    """A list being read: its items so far, each with its lines and nested lists."""

    def __init__(self, first: _Marker, gap: str) -> None:
        self.kind, self.style, self.indent = first.kind, first.style, first.indent
        self.start = self.last = first.ordinal or 1
        self.gap = gap
        self.items: list[tuple[str, list[str], list[_Open], str]] = []

    def add(self, marker: _Marker, words: str, gap: str) -> None:
        self.items.append((marker.lead, [words], [], gap))
        self.last = marker.ordinal or self.last

    def close(self) -> ListBlock:
        items = tuple(
            Item(lead, "\n".join(lines), tuple(c.close() for c in children), gap)
            for lead, lines, children, gap in self.items
        )
        return ListBlock(self.kind, items, self.start, self.style, self.gap)


def split_text(text: str) -> tuple[Piece, ...]:
    """The text as paragraphs and lists (see the module's docstring); "" gives ()."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _MAYBE_LIST.search(text):  # the usual answer: no line that could start an item
        return _paragraphs(text)
    return _split(text)


def _paragraphs(text: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    gap = ""
    position = 0
    for match in _GAP.finditer(text):
        pieces.append(Para(text[position : match.start()], gap))
        gap, position = match.group(), match.end()
    pieces.append(Para(text[position:], gap))
    return tuple(p for p in pieces if p.text or p.gap) if text else ()


_HEAD = re.compile(r"\s*\n")
_TAIL = re.compile(r"\n\s*\Z")


@lru_cache(maxsize=4096)
def _split(text: str) -> tuple[Piece, ...]:
    # Blank lines before the first line and after the last are kept aside, as pieces of their own.
    head = _HEAD.match(text)
    tail = _TAIL.search(text)
    start = head.end() if head else 0
    end = max(start, tail.start()) if tail else len(text)
    body = _split_body(text[start:end])
    pieces = ([Para("", text[:start])] if start else []) + list(body)
    if end < len(text):
        pieces.append(Para("", text[end:]))
    return tuple(pieces)


def _split_body(text: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    para: list[str] = []
    para_gap = ""
    outer: _Open | None = None
    inner: _Open | None = None
    gap = ""  # what came before the line being read
    for line in _lines_and_gaps(text):
        if line.startswith("\n"):  # a run of blank lines
            gap = line
            continue
        marker = _marker(line)
        if outer is not None:
            if marker is not None and marker.indent > outer.indent:
                if inner is not None and _follows(marker, inner.kind, inner.style, inner.last):
                    inner.add(marker, line[len(marker.lead) :], gap or "\n")
                    gap = ""
                    continue
                if _starts(marker) and not gap:
                    inner = _Open(marker, "\n")
                    inner.add(marker, line[len(marker.lead) :], "\n")
                    outer.items[-1][2].append(inner)
                    gap = ""
                    continue
            if marker is not None and _follows(marker, outer.kind, outer.style, outer.last):
                inner = None
                outer.add(marker, line[len(marker.lead) :], gap or "\n")
                gap = ""
                continue
            if not gap and (marker is None or not _starts(marker)):
                target = inner if inner is not None else outer
                target.items[-1][1].append(line.lstrip(" \t"))
                gap = ""
                continue
            pieces.append(outer.close())
            outer = inner = None
        if marker is not None and _starts(marker):
            if para:
                pieces.append(Para("\n".join(para), para_gap))
                para = []
            outer = _Open(marker, (gap or "\n") if pieces else "")
            outer.add(marker, line[len(marker.lead) :], "\n")
            gap = ""
            continue
        if para and gap:
            pieces.append(Para("\n".join(para), para_gap))
            para = []
        if not para:
            para_gap = (gap or "\n") if pieces else ""
        para.append(line)
        gap = ""
    if outer is not None:
        pieces.append(outer.close())
    if para:
        pieces.append(Para("\n".join(para), para_gap))
    return tuple(pieces)


def _lines_and_gaps(text: str) -> list[str]:
    """The lines of the text, each run of blank lines between them as one entry starting "\\n"
    (the exact characters, so the text can be put back together)."""
    out: list[str] = []
    position = 0
    for match in _GAP.finditer(text):
        out.extend(text[position : match.start()].split("\n"))
        out.append(match.group())
        position = match.end()
    out.extend(text[position:].split("\n"))
    return out


def has_list(pieces: tuple[Piece, ...]) -> bool:
    return any(type(p) is ListBlock for p in pieces)


def join_text(pieces: tuple[Piece, ...]) -> str:
    """The pieces as plain text: the text as typed, with each item's further lines indented under
    its marker (a hanging indent)."""
    out: list[str] = []
    for piece in pieces:
        out.append(piece.gap)
        if type(piece) is Para:
            out.append(piece.text)
        else:
            _join_list(piece, out)
    return "".join(out)


def _join_list(block: ListBlock, out: list[str]) -> None:
    for index, item in enumerate(block.items):
        if index:
            out.append(item.gap)
        hang = "\n" + " " * len(item.lead.expandtabs(4))
        out.append(item.lead + item.text.replace("\n", hang))
        for child in item.children:
            out.append(child.gap)
            _join_list(child, out)


def words(pieces: tuple[Piece, ...]) -> str:
    """Every character the pieces hold, markers included, in order (for checks that nothing is lost)."""
    out: list[str] = []
    for piece in pieces:
        if type(piece) is Para:
            out.append(piece.text)
        else:
            _words(piece, out)
    return "".join(out)


def _words(block: ListBlock, out: list[str]) -> None:
    for item in block.items:
        out.append(item.lead + item.text)
        for child in item.children:
            _words(child, out)
