"""Provides undrawn(): where a report holds characters that none of the PDF's fonts can draw.

Typst draws each character with the first font that has it; when none has it, it prints an
empty box, and PDF/UA-1 then refuses the document naming only the first such character. The
PDF renderer asks here for all of them, with the heading and question they stand under, so the
message names every character and where it is, and the person can fix them at once.

The fonts' character maps are read once per process with fontTools, from the same files Typst
was given (the shipped Noto fonts and the machine's). Typst's built-in fonts have no file: the
characters they draw (Latin, Greek, Cyrillic, mathematics) are all in the shipped Noto Sans.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from eqia.report.tree import ActionRow, FieldTable, Heading, Paragraph, QuestionAnswer, Report, Table


@cache
def _drawable(paths: tuple[str, ...]) -> frozenset[int]:
    """Every code point that one of the font files maps to a glyph."""
    points: set[int] = set()
    for path in paths:
        try:
            fonts = (
                TTCollection(path, lazy=True).fonts
                if path.lower().endswith((".ttc", ".otc"))
                else [TTFont(path, lazy=True, fontNumber=0)]
            )
        except (OSError, TTLibError, AssertionError):
            continue  # a font Typst could read and fontTools not: its characters are not counted
        for font in fonts:
            try:
                cmap = font.getBestCmap() or {}
            except (KeyError, TTLibError, AssertionError):
                continue
            points.update(cmap)
    return frozenset(points)


def _needs_font(char: str) -> bool:
    """Whether the character is drawn at all: not white space, control or format (zero width)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def undrawable(text: str, paths: tuple[str, ...]) -> str:
    """The distinct characters of the text that no font draws, in the order they first come."""
    if text.isascii():
        return ""
    drawable = _drawable(paths)
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) > 0x7F and ord(char) not in drawable and _needs_font(char):
            seen[char] = None
    return "".join(seen)


def undrawn(report: Report, paths: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, characters) for each text of the report with characters no font draws; where is
    the heading it stands under, then the question or label it belongs to."""
    found = []
    for where, text in _texts(report):
        missing = undrawable(text, paths)
        if missing:
            found.append((where, missing))
    return found


def _texts(report: Report) -> Iterator[tuple[str, str]]:
    yield "the title", " ".join((report.title, report.subtitle, report.name, report.reference))
    heading = "the header"
    for block in report.blocks:
        if isinstance(block, Heading):
            heading = block.text
            yield heading, block.text
        elif isinstance(block, Paragraph):
            yield heading, block.text
        elif isinstance(block, QuestionAnswer):
            place = f"{heading}, “{block.question}”" if block.question else heading
            yield place, " ".join((block.question, block.answer, block.comment))
        elif isinstance(block, (FieldTable, ActionRow)):
            rows = block.rows if isinstance(block, FieldTable) else block.fields
            yield from ((f"{heading}, “{row.label}”", f"{row.label} {row.value}") for row in rows)
        elif isinstance(block, Table):
            yield heading, " ".join(_cells(block.columns, block.rows))


def _cells(columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> Iterator[str]:
    yield from columns
    for row in rows:
        yield from row
