"""Provides the PDF renderer: lays the report tree out as a tagged, PDF/UA-1 PDF with Typst.

Its one job is layout. The report tree is serialised to JSON and handed, as data, to the fixed
template templates/report.typ through Typst's sys.inputs; the template places every string as
plain text, so nothing an assessor typed is ever read as Typst markup or code. Numbering,
wording and which sections appear are decided by eqia.report.tree, never here.

The fonts under fonts/ (Noto, see fonts/README.md) come first; the machine's own fonts are only
a fallback for characters those fonts cannot draw (Chinese, Japanese, Korean, rarer scripts).
A character no font can draw would print as an empty box: no PDF is written, and
UndrawableTextError names every such character and the heading and question it stands under
(a Japanese answer needs a Japanese font on the machine, such as Noto Sans CJK JP). Any other
reason PDF/UA-1 is refused gives a tagged PDF without the PDF/UA-1 claim, with a PdfUaWarning.

One Typst compiler per thread is kept and reused, with the fonts scanned once per process: the
first document pays for parsing the template and loading fonts, and Typst's caches then reuse
whatever later documents share (question wording, headings, tables), so a batch costs far less per
document than separate runs. render_pdfs spreads a batch over threads (Typst releases the GIL).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import typst

from eqia.errors import EqiaError
from eqia.report.glyphs import undrawn
from eqia.report.lists import ListBlock, Para, Piece
from eqia.report.tree import (
    ActionRow,
    Block,
    Field,
    FieldTable,
    Heading,
    Paragraph,
    QuestionAnswer,
    Report,
    Table,
    visible_report,
)

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "templates" / "report.typ"
FONT_DIR = HERE / "fonts"

PDF_STANDARD = "ua-1"

#: Font families in the order Typst tries them for each character. Missing ones are left out.
FONT_FAMILIES = (
    "Noto Sans",
    "Noto Naskh Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Bengali",
    "Noto Sans Gurmukhi",
    "Noto Sans Devanagari",
    "Noto Sans Gujarati",
    "Noto Emoji",
    # Not shipped (too large); used when the machine has them.
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Droid Sans Fallback",
    "WenQuanYi Micro Hei",
    # Typst's own and common system fonts, for whatever is left.
    "DejaVu Sans",
    "Libertinus Serif",
    "New Computer Modern Math",
)

#: Footer wording: the report tree carries no wording for page numbers, so it is fixed here.
PAGE_LABEL = "Page"

_TAB_SIZE = 4
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class PdfUaWarning(UserWarning):
    """The report could not be written as PDF/UA-1 and was written as a plain tagged PDF."""


class UndrawableTextError(EqiaError):
    """The report holds characters that no font on this machine can draw."""


_UNDRAWN = re.compile(r"the text `\"(.*?)\"` could not be displayed", re.S)
_TYPST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")


# ---------------------------------------------------------------------------------------------
# The report tree as data for the template


def _clean(text: str) -> str:
    """The text with line ends made \\n, tabs as spaces, control characters dropped and lone
    surrogates replaced (a guard: visible_report has already shown every control character)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if "\t" in text:  # Typst would drop a tab: each becomes the spaces up to the next stop of 4
        text = text.expandtabs(_TAB_SIZE)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _fields(fields: Iterable[Field]) -> list[list[str]]:
    return [[_clean(f.label), _clean(f.value)] for f in fields]


# The text area as the template sets it (A4 less 2 cm each side, 11 pt text) in ems of the body
# text, and how wide a character is on average: enough to choose column widths, not to measure.
_TEXT_WIDTH_EM = (595.28 - 2 * 56.69) / 11
_CHAR_EM = 0.5
_BOLD_CHAR_EM = 0.62
_INSET_EM = 12 / 11 + 0.2
_READABLE_CHARS = 25
"""No answer column is made narrower than this many characters a line while the page allows it."""
_LABEL_MAX = 0.35
"""The label column of the header block and of an action: at most this share of the width."""
_BESIDE_CHARS = 22
"""A short answer this long or shorter sits beside its question; a longer one goes under it."""
_BESIDE_NARROW = 12
"""Answers this long or shorter (Yes, No, a date) take a narrower column beside the question."""
_TEXT_HEIGHT_EM = (841.89 - 2 * 65.2) / 11
_LINE_EM = 1.3
_ROW_EM = 10 / 11
"""A line of body text, and a table row's own height (its insets), in em."""
_KEEP_WHOLE = 1.0
"""The share of a page a table or action may take, by the estimate, and still be kept whole. The
estimate runs high (10-25% above Typst's own heights for the shipped examples' actions), so a
whole page is safe."""


def _label_width(labels: Iterable[str]) -> float:
    """The label column's width in em: the longest label on one line, up to _LABEL_MAX."""
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    return round(min(longest * _BOLD_CHAR_EM + _INSET_EM, _TEXT_WIDTH_EM * _LABEL_MAX), 2)


def _widths(columns: list[str], rows: list[list[str]]) -> list[dict[str, float]]:
    """Each column's width for the template: {"em": n}, {"fr": 1}, or {} for its natural width.

    When every cell fits on one line all columns take their natural width. Otherwise the column
    with the longest cells (the answers, the reasons) is the one that takes the rest of the line,
    never less than _READABLE_CHARS wide while the page allows it; each other column gets its
    longest cell when that is short, else its longest word, and a share of what is left in
    proportion to how much more its cells would need."""
    count = len(columns)
    longest = [0] * count
    word = [max((len(w) for w in c.split()), default=0) * _BOLD_CHAR_EM + _INSET_EM for c in columns]
    for row in rows:
        for i, cell in enumerate(row):
            longest[i] = max(longest[i], max(len(line) for line in cell.split("\n")))
            word[i] = max(word[i], max((len(w) for w in cell.split()), default=0) * _CHAR_EM + _INSET_EM)
    natural = [
        max(len(c) * _BOLD_CHAR_EM, n * _CHAR_EM) + _INSET_EM for c, n in zip(columns, longest, strict=True)
    ]
    if sum(natural) <= _TEXT_WIDTH_EM:
        return [{} for _ in columns]
    widest = max(range(count), key=lambda i: (longest[i], -i))
    need = [max(word[i], longest[i] * _CHAR_EM + _INSET_EM) for i in range(count)]
    floor = [need[i] if longest[i] <= _READABLE_CHARS else word[i] for i in range(count)]
    floor[widest] = max(word[widest], min(longest[widest], _READABLE_CHARS) * _CHAR_EM + _INSET_EM)
    others = sum(floor) - floor[widest]
    room = _TEXT_WIDTH_EM - floor[widest]
    if others > room:  # too many columns for the page: the others give way alike
        return [
            {"fr": 1} if i == widest else {"em": round(floor[i] * room / others, 2)} for i in range(count)
        ]
    more = [0.0 if i == widest else need[i] - floor[i] for i in range(count)]
    spare = min(room - others, sum(more)) / 3  # a third at most: the widest column needs it most
    return [
        {"fr": 1} if i == widest else {"em": round(floor[i] + spare * more[i] / (sum(more) or 1), 2)}
        for i in range(count)
    ]


def _line_count(text: str, chars: float) -> int:
    """About how many lines `text` takes in a column `chars` characters wide (rather more than
    fewer: the estimate counts each line as broken mid-word)."""
    per = max(1, int(chars))
    return sum(max(1, -(-len(line) // per)) for line in text.split("\n"))


def _kept_whole(lines: float, rows: int) -> bool:
    """Whether a table, header block or action of about `lines` lines in `rows` rows is to be
    kept on one page: when it fits on one, else it may break between rows (a block that cannot
    break but is taller than a page would run off it)."""
    return lines * _LINE_EM + rows * _ROW_EM <= _TEXT_HEIGHT_EM * _KEEP_WHOLE


def _fields_block(kind: str, fields: Iterable[Field]) -> dict[str, Any]:
    rows = _fields(fields)
    label = _label_width(r[0] for r in rows)
    label_chars = (label - _INSET_EM) / _BOLD_CHAR_EM
    value_chars = (_TEXT_WIDTH_EM - label - _INSET_EM) / _CHAR_EM
    lines = sum(max(_line_count(n, label_chars), _line_count(v, value_chars)) for n, v in rows)
    return {"kind": kind, "rows": rows, "label": label, "whole": _kept_whole(lines + 2, len(rows))}


def _table(block: Table) -> dict[str, Any]:
    width = len(block.columns) or max((len(r) for r in block.rows), default=0)
    columns = [_clean(c) for c in block.columns]
    rows = [[_clean(c) for c in (*row, *[""] * width)[:width]] for row in block.rows]
    widths = _widths(columns, rows)
    fixed = sum(w.get("em", 0.0) for w in widths)
    chars = [
        (w["em"] - _INSET_EM) / _CHAR_EM
        if "em" in w
        else (_TEXT_WIDTH_EM - fixed - _INSET_EM) / _CHAR_EM
        if "fr" in w
        else _TEXT_WIDTH_EM / _CHAR_EM
        for w in widths
    ]
    lines = sum(max(_line_count(c, chars[i]) for i, c in enumerate(row)) for row in (columns, *rows))
    return {
        "kind": "table",
        "columns": columns,
        "rows": rows,
        "widths": widths,
        "whole": _kept_whole(lines, len(rows) + 1),
    }


def _question_answer(block: QuestionAnswer) -> dict[str, Any]:
    """A question with its answer beside it ("answer" and its column's "width") or under it
    ("flow"), and its comment ("comment", with its "label") if any."""
    out: dict[str, Any] = {"kind": "qa", "question": _clean(block.question)}
    answer = _clean(block.answer) if block.short else ""
    if block.short and "\n" not in answer and len(answer) <= _BESIDE_CHARS:
        out["answer"] = answer
        out["width"] = 7 if len(answer) <= _BESIDE_NARROW else 12
    else:
        out["flow"] = _flow(block.answer_flow)
    comment = _flow(block.comment_flow)
    if comment:
        out["comment"] = comment
        out["label"] = _clean(block.comment_label)
    return out


def _row(block: Block) -> bool:
    """A short answer (beside its question or, when long, under it) with no comment."""
    return type(block) is QuestionAnswer and block.short and not block.comment.strip()


def _next_is_last_row(blocks: list[Block], i: int) -> bool:
    """Whether the block after blocks[i] is a short answer and the last of its run."""
    after = blocks[i + 1 : i + 3]
    return bool(after) and _row(after[0]) and (len(after) == 1 or not _row(after[1]))


def _blocks(blocks: list[Block]) -> list[dict[str, Any]]:
    """The report's blocks as data for the template, with what the layout cannot see for itself:
    each action's heading one level under the heading before it, and the last of a run of short
    answers (a sign-off, say) kept with the one before it, so no page holds only that row."""
    out: list[dict[str, Any]] = []
    level = 1
    for i, block in enumerate(blocks):
        kind = type(block)
        if kind is QuestionAnswer:
            data = _question_answer(block)
            if _row(block) and _next_is_last_row(blocks, i):
                data["keep"] = True
        elif kind is Heading:
            level = max(1, min(block.level, 6))
            data = {"kind": "heading", "level": level, "text": _clean(block.text)}
        elif kind is Paragraph:
            data = {"kind": "paragraph", "flow": _flow(block.flow)}
        elif kind is FieldTable:
            data = _fields_block("fields", block.rows)
        elif kind is ActionRow:
            data = _fields_block("action", block.fields)
            data["title"] = _clean(block.title)
            data["level"] = min(level + 1, 6)
        elif kind is Table:
            data = _table(block)
        else:
            raise TypeError(f"render_pdf: unknown block {kind.__name__}")
        out.append(data)
    return out


def _flow(flow: tuple[Piece, ...]) -> list[str | dict[str, Any]]:
    """Paragraphs (each a string) and lists for the template's flow(); blank paragraphs left out."""
    out: list[str | dict[str, Any]] = []
    for piece in flow:
        if type(piece) is Para:
            text = _clean(piece.text).strip("\n")
            if text.strip():
                out.append(text)
        else:
            out.append(_list(piece))
    return out


def _list(block: ListBlock) -> dict[str, Any]:
    """A list: Typst's list for bullets, enum with the marker pattern as typed ("1.", "a)", "(a)")."""
    return {
        "list": "bullet" if block.kind == "bullet" else "enum",
        "numbering": block.style,
        "start": block.start,
        "items": [
            {"text": _clean(item.text), "children": [_list(c) for c in item.children]} for item in block.items
        ],
    }


def _language(tag: str) -> tuple[str, str | None]:
    """A BCP 47 tag such as en-GB as Typst's lang ("en") and region ("gb"); English if unreadable."""
    parts = re.split(r"[-_]", tag.strip().lower())
    lang = parts[0] if parts and re.fullmatch(r"[a-z]{2,3}", parts[0]) else "en"
    region = next((p for p in parts[1:] if re.fullmatch(r"[a-z]{2}", p)), None)
    return lang, region


def _data(report: Report) -> str:
    report = visible_report(report)
    title, name, reference = _clean(report.title), _clean(report.name), _clean(report.reference)
    lang, region = _language(report.language)
    doc_title = " – ".join(t for t in (title, name) if t.strip()) or reference or "Report"
    footer = " — ".join(t for t in (reference, PAGE_LABEL) if t.strip())
    data = {
        "doc_title": doc_title,
        "lang": lang,
        "region": region,
        "fonts": list(_font_families()),
        "header_left": title,
        "header_right": name,
        "footer": footer,
        "blocks": _blocks(report.blocks),
    }
    return json.dumps(data, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Typst


@cache
def _fonts() -> typst.Fonts:
    """Shipped fonts, then the machine's, then Typst's own; scanned once per process."""
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True, font_paths=[str(FONT_DIR)])


@cache
def _font_families() -> tuple[str, ...]:
    have = {f.lower() for f in _fonts().families()}
    return tuple(f for f in FONT_FAMILIES if f.lower() in have)


_local = threading.local()


def _compiler() -> typst.Compiler:
    """This thread's compiler: a Typst compiler is not to be shared between threads at once."""
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=_fonts())
        _local.compiler = compiler
    return compiler


def _compile(job: tuple[Report, str], created: dt.datetime | None = None) -> bytes:
    report, data = job
    compiler = _compiler()
    inputs = {"data": data}
    when = _utc(created)
    try:
        pdf = compiler.compile(sys_inputs=inputs, pdf_standards=[PDF_STANDARD], timestamp=when)
    except typst.TypstError as error:
        if not str(error).startswith("PDF/UA-1 error"):
            raise
        first = _UNDRAWN.search(str(error))
        if first is not None:
            text = _TYPST_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), first.group(1))
            raise _undrawable(report, text) from None
        warnings.warn(f"written as a tagged PDF without PDF/UA-1: {error}", PdfUaWarning, stacklevel=3)
        pdf = compiler.compile(sys_inputs=inputs, pdf_standards=[], pdf_tags=True, timestamp=when)
    assert isinstance(pdf, bytes)
    return pdf


def _font_files() -> tuple[str, ...]:
    return tuple(sorted({f.path for f in _fonts().fonts() if f.path}))


def _undrawable(report: Report, first: str) -> UndrawableTextError:
    """The error naming every character no font draws, and where each is; `first` is the text
    Typst named, counted even where the fonts' maps say otherwise."""
    report = visible_report(report)
    found = undrawn(report, _font_files())
    if not any(first in chars for _, chars in found):
        found.append(("the report", first))
    places = "; ".join(f"{where}: {' '.join(map(_shown, chars))}" for where, chars in found[:10])
    if len(found) > 10:
        places += f"; and {len(found) - 10} more"
    who = " ".join(t for t in (report.reference, report.name) if t.strip()) or report.title
    return UndrawableTextError(
        f"the PDF of {who} is not written: no font here can draw these characters, which would "
        f"print as empty boxes. {places}.",
        hint="Install a font for that script (for Chinese, Japanese or Korean: Noto Sans CJK), "
        "or export another format.",
    )


def _shown(char: str) -> str:
    """A character as the message shows it: itself, with its code point when it has no glyph
    anywhere to be seen (unassigned, private use) or is a combining mark."""
    if unicodedata.category(char) in ("Cn", "Co", "Mn", "Me"):
        return f"U+{ord(char):04X}"
    return char


def render_pdf(report: Report, *, created: dt.datetime | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 whenever the fonts can draw every character).

    created: the creation date written into the PDF (a time without a zone is taken as UTC);
    by default, now. Given, the same report gives the same bytes on every run.
    Raises UndrawableTextError when a character of it has no font."""
    return _compile((report, _data(report)), created)


def _utc(when: dt.datetime | None) -> dt.datetime | None:
    """A time for Typst, which takes only one with a zone."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=dt.UTC)


def render_pdfs(reports: Iterable[Report], workers: int | None = None) -> list[bytes]:
    """Each report as a PDF, in order; compiles on up to `workers` threads (default: one per CPU)."""
    jobs = [(r, _data(r)) for r in reports]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        return [_compile(j) for j in jobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_compile, jobs))
