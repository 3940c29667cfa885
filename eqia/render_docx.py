"""Provides the Word (.docx) renderer of the report tree, laid out like the Birmingham report.

render_docx(report) lays the blocks of eqia.report out as a Word document and
returns its bytes. Like every renderer it only lays out: numbering, wording and
which sections appear were all decided by build_report.

Layout decisions, all made here and nowhere else:

- Heading level 1 (the document title) gets Word's "Title" style, which keeps it
  out of the navigation pane; numbered levels map to Word's outline headings,
  level n -> "Heading n-1" (2 -> Heading 1, 3 -> Heading 2, 4 -> Heading 3,
  5 -> Heading 4, ...), capped at Heading 9, Word's deepest level. Capping any
  earlier would flatten sub-sections into their parent in the navigation pane.
  A Paragraph straight after the title that is the report's subtitle gets the
  "Subtitle" style.
- FieldTable (header block) and ActionRow are two-column "Table Grid" tables
  with a bold, shaded label column; Table (the relevance test) is a "Table Grid"
  table whose first row is a bold, shaded header row repeated on every page.
- Short QuestionAnswer rows sit in a light two-column table (question, answer);
  consecutive short rows share one table. Long answers are a bold question
  paragraph then the answer's paragraphs. Comments are the comment label then
  the comment's paragraphs.
- Text keeps the author's layout: blank lines start new paragraphs, single
  newlines become line breaks, tabs become tabs. Everything is literal text;
  nothing is parsed as markup.
- A4 page, 2.54 cm margins; footer "<reference><tab>Page N of M" with PAGE and
  NUMPAGES fields.
- Output is byte-for-byte deterministic: no creation dates in the core
  properties and fixed timestamps in the zip container.

The body is built straight from OOXML elements (lxml sub-elements of the
document body) rather than through python-docx's proxy objects, which keeps a
full assessment well under 100 ms; python-docx still provides the template,
styles, footer part, core properties and packaging.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

from eqia.report import ActionRow, Field, FieldTable, Heading, Paragraph, QuestionAnswer, Report, Table

# A4 portrait with one-inch (2.54 cm) margins, in twentieths of a point.
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 11906, 16838, 1440
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_LABEL_WIDTH = 2900
"""Label column of the header block and action rows."""
_ANSWER_WIDTH = 1700
"""Answer column of short question rows."""
_SHADE = "E7E6E6"
_RULE = "BFBFBF"

_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_MAX = 255
"""python-docx refuses core property text longer than this."""

_NEWLINES = re.compile("\r\n?|[\x0b\x0c]")
# XML 1.0 cannot hold C0 control characters other than tab, newline and carriage
# return, nor U+FFFE, U+FFFF or unpaired surrogates; lxml (and so python-docx)
# raises on them. Vertical tab (Word's own manual line break) and form feed
# become line breaks above; any other such character is replaced with U+FFFD
# REPLACEMENT CHARACTER, so the reader can see that something was there.
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_BREAKS = re.compile(r"(\n|\t)")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = _W + "val"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TBL = _W + "tbl"


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    document = docx.Document()
    _setup(document, report)
    body = document.element.body
    sect_pr = body.sectPr
    _Writer(body, _styles(document)).write(report)
    if sect_pr is not None:
        body.append(sect_pr)  # moves it back to the end, after the new content
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def _clean(text: str) -> str:
    """Text made safe for XML, with every newline as "\\n" (see _INVALID)."""
    return _INVALID.sub("\ufffd", _NEWLINES.sub("\n", text))


def _chunks(text: str) -> list[str]:
    """The paragraphs of an author's text: blank lines separate them."""
    text = _clean(text).strip("\n")
    return [c for c in _BLANK_LINES.split(text) if c.strip()] if text else []


# --- document set-up ---------------------------------------------------------


def _setup(document: docx.document.Document, report: Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(_PAGE_WIDTH), Twips(_PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(_MARGIN))

    # The document's language, on the run defaults that every style inherits.
    r_pr = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    if r_pr is not None and report.language:
        lang = r_pr.find(_W + "lang")
        if lang is None:
            lang = etree.SubElement(r_pr, _W + "lang")
        lang.set(_VAL, _clean(report.language))

    core = document.core_properties
    core.title = _core_text(report.name or report.title)
    core.subject = _core_text(report.title if report.name else report.subtitle)
    core.language = _core_text(report.language)
    core.identifier = _core_text(report.reference)
    core.author = ""
    core.comments = ""
    core.last_modified_by = ""
    core.revision = 1
    # No creation or modification dates: the template's are wrong and today's
    # would make the output differ on every run.
    props = core._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for element in props.findall(qn(tag)):
            props.remove(element)
    # The template's thumbnail is a picture of an empty page; drop it.
    rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == _THUMBNAIL]:
        del rels[r_id]

    _footer(section, report)


def _core_text(text: str) -> str:
    return _clean(text).replace("\n", " ")[:_CORE_MAX]


def _footer(section, report: Report) -> None:
    """ "<reference><tab>Page N of M", the reference at the left and the page at the right."""
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    tabs = _sub(p.get_or_add_pPr(), "w:tabs")
    # Clear the template's centre and right stops (set for US Letter) and put
    # one right-aligned stop at this page's right margin.
    for pos in ("4680", "9360"):
        _sub(tabs, "w:tab", val="clear", pos=pos)
    _sub(tabs, "w:tab", val="right", pos=str(_TEXT_WIDTH))
    _run(p, f"{report.reference}\tPage ")
    _field(p, "PAGE")
    _run(p, " of ")
    _field(p, "NUMPAGES")


def _field(p, instruction: str) -> None:
    """A simple field; Word and LibreOffice replace the placeholder "1" when laying out pages."""
    _run(_sub(p, "w:fldSimple", instr=f" {instruction} "), "1")


def _styles(document: docx.document.Document) -> dict[str, str]:
    """Style ids by name, looked up once per document rather than once per paragraph."""
    styles = document.styles
    names = ["Normal", "Title", "Subtitle", "Table Grid"] + [f"Heading {n}" for n in range(1, 10)]
    ids = {name: styles[name].style_id for name in names}
    normal = styles["Normal"]

    def add(name: str, *, bold=False, italic=False, keep=False, before=0.0, after=6.0, single=False):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.bold = bold or None
        style.font.italic = italic or None
        fmt = style.paragraph_format
        fmt.keep_with_next = keep or None
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if single:
            fmt.line_spacing = 1.0
        ids[name] = style.style_id

    add("Question", bold=True, keep=True)
    add("Comment Label", italic=True, keep=True, after=3)
    add("Table Text", before=2, after=2, single=True)
    return ids


# --- the body ----------------------------------------------------------------


class _Writer:
    """Walks the blocks, appending w:p and w:tbl elements to the body in order."""

    def __init__(self, body, styles: dict[str, str]):
        self.body = body
        self.styles = styles
        self._last = None
        """The last element appended to the body."""
        self._qa_table = None
        """The short-answer table the next short QuestionAnswer joins, if it comes next."""

    def write(self, report: Report) -> None:
        previous = None
        for block in report.blocks:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Paragraph):
                after_title = isinstance(previous, Heading) and previous.level == 1
                if after_title and report.subtitle and block.text == report.subtitle:
                    self._paragraphs(block.text, "Subtitle")
                else:
                    self._paragraphs(block.text, None)
            elif isinstance(block, FieldTable):
                self._label_table(block.rows)
            elif isinstance(block, Table):
                self._grid(block)
            elif isinstance(block, QuestionAnswer):
                self._question(block)
            elif isinstance(block, ActionRow):
                self._label_table(block.fields)
            previous = block

    # Paragraphs ----------------------------------------------------------------

    def _paragraph(self, text: str, style: str | None):
        p = _paragraph(self.body, text, self.styles[style] if style else None)
        self._last, self._qa_table = p, None
        return p

    def _heading(self, block: Heading) -> None:
        style = "Title" if block.level <= 1 else f"Heading {min(block.level - 1, 9)}"
        self._paragraph(_clean(block.text), style)

    def _paragraphs(self, text: str, style: str | None) -> None:
        for chunk in _chunks(text):
            self._paragraph(chunk, style)

    def _question(self, block: QuestionAnswer) -> None:
        if block.question or block.answer:
            if block.short:
                self._short_row(block.question, block.answer)
            else:
                self._paragraphs(block.question, "Question")
                self._paragraphs(block.answer, None)
        if block.comment:
            self._paragraphs(block.comment_label, "Comment Label")
            self._paragraphs(block.comment, None)

    # Tables --------------------------------------------------------------------

    def _table(self, widths: tuple[int, ...], style: str | None, rules: bool = False):
        if self._last is not None and self._last.tag == _TBL:
            # Word joins adjacent tables into one; a spacer paragraph keeps them apart.
            self._paragraph("", None)
        tbl = _sub(self.body, "w:tbl")
        tbl_pr = _sub(tbl, "w:tblPr")
        if style:
            _sub(tbl_pr, "w:tblStyle", val=self.styles[style])
        _sub(tbl_pr, "w:tblW", w=str(sum(widths)), type="dxa")
        if rules:
            edges = _sub(tbl_pr, "w:tblBorders")
            for edge in ("top", "bottom", "insideH"):
                _sub(edges, f"w:{edge}", val="single", sz="4", space="0", color=_RULE)
        _sub(tbl_pr, "w:tblLayout", type="fixed")
        grid = _sub(tbl, "w:tblGrid")
        for width in widths:
            _sub(grid, "w:gridCol", w=str(width))
        self._last, self._qa_table = tbl, None
        return tbl

    def _row(
        self, tbl, widths: tuple[int, ...], cells: Iterable[str], *, header: bool = False, label: bool = False
    ) -> None:
        tr = _sub(tbl, "w:tr")
        tr_pr = _sub(tr, "w:trPr")
        _sub(tr_pr, "w:cantSplit")
        if header:
            _sub(tr_pr, "w:tblHeader")  # repeated at the top of every page the table spans
        text_style = self.styles["Table Text"]
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            strong = header or (label and index == 0)
            tc = _sub(tr, "w:tc")
            tc_pr = _sub(tc, "w:tcPr")
            _sub(tc_pr, "w:tcW", w=str(width), type="dxa")
            if strong:
                _sub(tc_pr, "w:shd", val="clear", color="auto", fill=_SHADE)
            for chunk in _chunks(text) or [""]:  # a cell must hold at least one paragraph
                _paragraph(tc, chunk, text_style, bold=strong)

    def _label_table(self, fields: tuple[Field, ...]) -> None:
        widths = (_LABEL_WIDTH, _TEXT_WIDTH - _LABEL_WIDTH)
        tbl = self._table(widths, "Table Grid")
        for f in fields:
            self._row(tbl, widths, (f.label, f.value), label=True)

    def _grid(self, block: Table) -> None:
        count = len(block.columns)
        if count == 0:
            return
        rest = _TEXT_WIDTH // count
        widths = (_TEXT_WIDTH - rest * (count - 1),) + (rest,) * (count - 1)
        tbl = self._table(widths, "Table Grid")
        self._row(tbl, widths, block.columns, header=True)
        for row in block.rows:
            self._row(tbl, widths, tuple(row[:count]) + ("",) * (count - len(row)))

    def _short_row(self, question: str, answer: str) -> None:
        widths = (_TEXT_WIDTH - _ANSWER_WIDTH, _ANSWER_WIDTH)
        tbl = self._qa_table if self._qa_table is not None else self._table(widths, None, rules=True)
        self._row(tbl, widths, (question, answer))
        self._qa_table = tbl


# --- OOXML helpers -----------------------------------------------------------


def _sub(parent, tag: str, **attrs: str):
    """A new child element; SubElement keeps python-docx's element classes and is quick."""
    return etree.SubElement(parent, qn(tag), {_W + name: value for name, value in attrs.items()})


def _paragraph(parent, text: str, style_id: str | None, bold: bool = False):
    """A w:p holding text literally; text must already be _clean."""
    p = etree.SubElement(parent, _W + "p")
    if style_id:
        etree.SubElement(etree.SubElement(p, _W + "pPr"), _W + "pStyle", {_VAL: style_id})
    if text:
        _run(p, text, bold=bold, clean=False)
    return p


def _run(parent, text: str, bold: bool = False, clean: bool = True) -> None:
    """A w:r of literal text: newlines become line breaks and tabs become tabs."""
    r = etree.SubElement(parent, _W + "r")
    if bold:
        r_pr = etree.SubElement(r, _W + "rPr")
        etree.SubElement(r_pr, _W + "b")
        etree.SubElement(r_pr, _W + "bCs")
    for piece in _BREAKS.split(_clean(text) if clean else text):
        if piece == "\n":
            etree.SubElement(r, _W + "br")
        elif piece == "\t":
            etree.SubElement(r, _W + "tab")
        elif piece:
            t = etree.SubElement(r, _W + "t", {_SPACE: "preserve"})
            t.text = piece


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps, so equal reports give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()
