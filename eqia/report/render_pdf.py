"""Provides the PDF renderer: lays the report tree out as a tagged, PDF/UA-1 PDF with Typst.

Its one job is layout. The report tree is serialised to JSON and handed, as data, to the fixed
template templates/report.typ through Typst's sys.inputs; the template places every string as
plain text, so nothing an assessor typed is ever read as Typst markup or code. Numbering,
wording and which sections appear are decided by eqia.report.tree, never here.

The fonts under fonts/ (Noto, see fonts/README.md) come first; the machine's own fonts are only
a fallback for characters those fonts cannot draw (Chinese, Japanese, Korean, rarer scripts).
PDF/UA-1 refuses a character no font can draw; such a report is still written, as a tagged PDF
without the PDF/UA-1 claim, with a PdfUaWarning.

One Typst compiler per thread is kept and reused, with the fonts scanned once per process: the
first document pays for parsing the template and loading fonts, and Typst's caches then reuse
whatever later documents share (question wording, headings, tables), so a batch costs far less per
document than separate runs. render_pdfs spreads a batch over threads (Typst releases the GIL).
"""

from __future__ import annotations

import json
import os
import re
import threading
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import typst

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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class PdfUaWarning(UserWarning):
    """The report could not be written as PDF/UA-1 and was written as a plain tagged PDF."""


# ---------------------------------------------------------------------------------------------
# The report tree as data for the template


def _clean(text: str) -> str:
    """The text with line ends made \\n, control characters dropped and lone surrogates replaced
    (a guard: visible_report has already shown every control character)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _fields(fields: Iterable[Field]) -> list[list[str]]:
    return [[_clean(f.label), _clean(f.value)] for f in fields]


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": max(1, min(block.level, 6)), "text": _clean(block.text)}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": _clean(block.text)}
    if isinstance(block, FieldTable):
        return {"kind": "fields", "rows": _fields(block.rows)}
    if isinstance(block, ActionRow):
        return {"kind": "fields", "rows": _fields(block.fields)}
    if isinstance(block, Table):
        width = len(block.columns) or max((len(r) for r in block.rows), default=0)
        columns = [_clean(c) for c in block.columns]
        rows = [[_clean(c) for c in (*row, *[""] * width)[:width]] for row in block.rows]
        return {"kind": "table", "columns": columns, "rows": rows}
    if isinstance(block, QuestionAnswer):
        return {
            "kind": "qa",
            "question": _clean(block.question),
            "answer": _clean(block.answer),
            "comment": _clean(block.comment),
            "short": block.short,
            "comment_label": _clean(block.comment_label),
        }
    raise TypeError(f"render_pdf: unknown block {type(block).__name__}")


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
        "blocks": [_block(b) for b in report.blocks],
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


def _compile(data: str) -> bytes:
    compiler = _compiler()
    inputs = {"data": data}
    try:
        pdf = compiler.compile(sys_inputs=inputs, pdf_standards=[PDF_STANDARD])
    except typst.TypstError as error:
        if not str(error).startswith("PDF/UA-1 error"):
            raise
        warnings.warn(f"written as a tagged PDF without PDF/UA-1: {error}", PdfUaWarning, stacklevel=3)
        pdf = compiler.compile(sys_inputs=inputs, pdf_standards=[], pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(report: Report) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 whenever the fonts can draw every character)."""
    return _compile(_data(report))


def render_pdfs(reports: Iterable[Report], workers: int | None = None) -> list[bytes]:
    """Each report as a PDF, in order; compiles on up to `workers` threads (default: one per CPU)."""
    data = [_data(r) for r in reports]
    workers = max(1, min(workers or os.cpu_count() or 1, len(data)))
    if workers == 1:
        return [_compile(d) for d in data]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_compile, data))
