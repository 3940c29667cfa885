"""Provides CSV for spreadsheets: one header row, then rows, each cell kept one cell and never a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

from eqia.document.plain import visible

#: A cell whose first visible character is one of these is read as a formula by spreadsheets
#: (OWASP CSV injection; ASVS 1.2.10). Full-width and small forms (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) count
#: too: their NFKC form is one of these, and a spreadsheet may read them the same way.
FORMULA_STARTS = frozenset("=+-@")


def _first_seen(text: str) -> str:
    """The first character a spreadsheet may take a formula from: past spaces, tabs, line breaks
    and invisible format characters (a spreadsheet may trim them), in its NFKC form."""
    for ch in text:
        if not ch.isspace() and unicodedata.category(ch) != "Cf":
            return unicodedata.normalize("NFKC", ch)[:1]
    return ""


def safe_cell(value: object) -> str:
    """A cell as text; one a spreadsheet would run as a formula gets a leading apostrophe.

    Control characters are made visible first (eqia.document.plain.visible), which also makes
    every carriage return a line break "\\n": the writer quotes any cell holding one, so a line
    break inside a cell never starts a row of its own.
    """
    text = "" if value is None else visible(str(value))
    if text[:1] in ("\t", "\n") or _first_seen(text) in FORMULA_STARTS:
        return "'" + text
    return text


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The columns, then each row's cells made safe, as CSV text (a cell with a line break is quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue()
