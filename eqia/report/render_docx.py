"""Provides the Word (.docx) renderer of the report tree, laid out like the Birmingham report.

render_docx(report) lays the blocks of eqia.report.tree out as a Word document and
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
  nothing is parsed as markup. Lists found by the report tree are Word list
  paragraphs ("List Bullet", "List Number", "... 2" when nested), each list with
  its own numbering instance (so it counts from its own start, in numbers or
  letters as typed).
- A4 page, 2.54 cm margins; footer "<reference><tab>Page N of M" with PAGE and
  NUMPAGES fields.
- Output is byte-for-byte deterministic: no creation dates in the core
  properties and fixed timestamps in the zip container.

The body is written as WordprocessingML text and parsed once, rather than built
through python-docx's proxy objects, which keeps a full assessment well under
100 ms (about 30-40 ms); python-docx still provides the template, styles, footer
part, core properties and packaging.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from docx.styles import BabelFish

from eqia.report.lists import ListBlock, Para, Piece, has_list
from eqia.report.tree import (
    ActionRow,
    Field,
    FieldTable,
    Heading,
    Paragraph,
    QuestionAnswer,
    Report,
    Table,
    visible_report,
)

# A4 portrait with one-inch (2.54 cm) margins, in twentieths of a point.
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 11906, 16838, 1440
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN
_LABEL_WIDTH = 2900
"""Label column of the header block and action rows."""
_ANSWER_WIDTH = 1700
"""Answer column of short question rows."""
_SHADE = "E7E6E6"
_RULE = "BFBFBF"

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_MAX = 255
"""python-docx refuses core property text longer than this."""

_NEWLINES = re.compile("\r\n?|[\x0b\x0c]")
# XML 1.0 cannot hold C0 control characters other than tab, newline and carriage
# return, nor U+FFFE, U+FFFF or unpaired surrogates; lxml (and so python-docx)
# raises on them. visible_report has already shown each as a visible stand-in, as
# every format does (ESC is U+241B); this replacement with U+FFFD is a guard.
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_BREAKS = re.compile(r"(\n|\t)")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = _W + "val"
_DROPPED_PARTS = (
    # The template's thumbnail is a picture of an empty page.
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    # A copy of the styles for Word 2010 that python-docx never updates, so it
    # would lack the styles added here; later Word versions ignore it.
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    report = visible_report(report)
    document = docx.Document()
    _setup(document, report)
    styles = _styles(document)
    _footer(document, report, styles)
    body = document.element.body
    writer = _Writer(styles)
    content = parse_xml(f"<w:body {nsdecls('w')}>{writer.write(report)}</w:body>")
    _numbering(document, writer.lists)
    body.extend(list(content))
    if body.sectPr is not None:
        body.append(body.sectPr)  # moves the section properties back to the end
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


def _setup(document: DocxDocument, report: Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(_PAGE_WIDTH), Twips(_PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(_MARGIN))

    # The document's language, on the run defaults that every style inherits.
    r_pr = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    if r_pr is not None and report.language:
        lang = r_pr.find(_W + "lang")
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(_VAL, _core_text(report.language))

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

    for rels in (document.part.package.rels, document.part.rels):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in _DROPPED_PARTS]:
            del rels[r_id]


def _core_text(text: str) -> str:
    return _clean(text).replace("\n", " ")[:_CORE_MAX]


def _styles(document: DocxDocument) -> dict[str, str]:
    """Style ids by name: the template's, found in one pass, and the renderer's own."""
    element = document.styles.element
    wanted = ["Normal", "Title", "Subtitle", "Footer", "Table Grid"] + [f"Heading {n}" for n in range(1, 10)]
    wanted += ["List Bullet", "List Bullet 2", "List Number", "List Number 2"]
    by_name = {BabelFish.ui2internal(name): name for name in wanted}
    # Word's own ids for these styles, in case the template lacks one.
    ids = {name: name.replace(" ", "") for name in wanted}
    for style in element.iterfind(_W + "style"):
        name = style.find(_W + "name")
        if name is not None and name.get(_VAL) in by_name:
            ids[by_name[name.get(_VAL)]] = style.get(_W + "styleId")

    normal = _esc(ids["Normal"])
    own = {
        # name: (paragraph properties, run properties); spacing in twentieths of a point
        "Question": ('<w:keepNext/><w:spacing w:before="0" w:after="120"/>', "<w:b/><w:bCs/>"),
        "Comment Label": ('<w:keepNext/><w:spacing w:before="0" w:after="60"/>', "<w:i/><w:iCs/>"),
        "Table Text": ('<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>', ""),
    }
    xml = []
    for name, (p_pr, r_pr) in own.items():
        ids[name] = style_id = name.replace(" ", "")
        xml.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="{normal}"/><w:qFormat/>'
            f"<w:pPr>{p_pr}</w:pPr>{f'<w:rPr>{r_pr}</w:rPr>' if r_pr else ''}</w:style>"
        )
    element.extend(list(parse_xml(f"<w:styles {nsdecls('w')}>{''.join(xml)}</w:styles>")))
    return ids


def _footer(document: DocxDocument, report: Report, styles: dict[str, str]) -> None:
    """The footer, "<reference><tab>Page N of M": reference at the left, page at the right margin."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    # Clear the template's centre and right stops (set for US Letter); one right stop at the margin.
    tabs = "".join(f'<w:tab w:val="clear" w:pos="{pos}"/>' for pos in (4680, 9360))
    tabs += f'<w:tab w:val="right" w:pos="{_TEXT_WIDTH}"/>'
    # Simple fields; Word and LibreOffice replace the placeholder "1" when laying out pages.
    page, pages = (
        f'<w:fldSimple w:instr=" {name} ">{_run("1")}</w:fldSimple>' for name in ("PAGE", "NUMPAGES")
    )
    xml = (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{_esc(styles["Footer"])}"/><w:tabs>{tabs}</w:tabs>'
        f"</w:pPr>{_run(_core_text(report.reference) + chr(9) + 'Page ')}{page}{_run(' of ')}{pages}</w:p>"
    )
    old = footer.paragraphs[0]._p
    old.getparent().replace(old, parse_xml(xml))


# --- the body ----------------------------------------------------------------


class _Writer:
    """Walks the blocks and writes the body's w:p and w:tbl elements, in order, as XML text.

    Building the XML as text and parsing it once is several times quicker than
    creating each element through lxml. It stays well-formed because every piece
    of report text passes through _clean (no XML-invalid characters) and _esc.
    """

    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.out: list[str] = []
        self._after_table = False
        """Whether the last thing written is a table (Word would join the next one to it)."""
        self._short_rows: list[str] = []
        """Consecutive short question rows, written as one table when something else comes."""
        self.lists: list[tuple[str, int, int]] = []
        """Each list written, in order: its numbering format (_FORMATS), depth (0, or 1 when nested)
        and first number; list n (from 1) uses numbering instance _FIRST_NUM + n."""

    def write(self, report: Report) -> str:
        """The body content as XML text (no enclosing element)."""
        previous = None
        for block in report.blocks:
            if isinstance(block, Heading):
                style = "Title" if block.level <= 1 else f"Heading {min(block.level - 1, 9)}"
                self._paragraph(_clean(block.text), style)
            elif isinstance(block, Paragraph):
                after_title = isinstance(previous, Heading) and previous.level == 1
                subtitle = after_title and bool(report.subtitle) and block.text == report.subtitle
                self._flow(block.text, block.flow, "Subtitle" if subtitle else None)
            elif isinstance(block, FieldTable):
                self._label_table(block.rows)
            elif isinstance(block, Table):
                self._grid(block)
            elif isinstance(block, QuestionAnswer):
                self._question(block)
            elif isinstance(block, ActionRow):
                self._label_table(block.fields)
            previous = block
        self._flush()
        return "".join(self.out)

    # Paragraphs ----------------------------------------------------------------

    def _paragraph(self, text: str, style: str | None) -> None:
        self._flush()
        self.out.append(_paragraph(text, self.styles[style] if style else None))
        self._after_table = False

    def _paragraphs(self, text: str, style: str | None) -> None:
        for chunk in _chunks(text):
            self._paragraph(chunk, style)

    def _question(self, block: QuestionAnswer) -> None:
        if block.question or block.answer:
            if block.short:
                widths = (_TEXT_WIDTH - _ANSWER_WIDTH, _ANSWER_WIDTH)
                # A row followed by its comment stays on the same page as the comment's label.
                row = self._row(widths, (block.question, block.answer), keep=bool(block.comment))
                self._short_rows.append(row)
            else:
                self._paragraphs(block.question, "Question")
                self._flow(block.answer, block.answer_flow, None)
        if block.comment:
            self._paragraphs(block.comment_label, "Comment Label")
            self._flow(block.comment, block.comment_flow, None)

    def _flow(self, text: str, flow: tuple[Piece, ...], style: str | None) -> None:
        """Paragraphs and lists; text without a list as it always was."""
        if not has_list(flow):
            self._paragraphs(text, style)
            return
        for piece in flow:
            if type(piece) is Para:
                self._paragraphs(piece.text, style)
            else:
                self._list(piece, 0)

    def _list(self, block: ListBlock, level: int) -> None:
        self._flush()
        fmt = "bullet" if block.kind == "bullet" else block.style
        self.lists.append((fmt, level, block.start))
        num = _FIRST_NUM + len(self.lists)
        style = ("List Bullet" if block.kind == "bullet" else "List Number") + (" 2" if level else "")
        # A nested list is a list of its own, indented further, rather than level 2 of its
        # parent's: LibreOffice does not count a level whose list has no paragraph at level 1.
        props = (
            f'<w:pPr><w:pStyle w:val="{_esc(self.styles[style])}"/>'
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
        )
        for item in block.items:
            text = _clean(item.text)
            self.out.append(f"<w:p>{props}{_run(text) if text else ''}</w:p>")
            for child in item.children:
                self._list(child, 1)
        self._after_table = False

    # Tables --------------------------------------------------------------------

    def _flush(self) -> None:
        if self._short_rows:
            rows, self._short_rows = self._short_rows, []
            self._table((_TEXT_WIDTH - _ANSWER_WIDTH, _ANSWER_WIDTH), None, rows, rules=True)

    def _table(
        self, widths: tuple[int, ...], style: str | None, rows: list[str], rules: bool = False
    ) -> None:
        self._flush()
        if not rows:
            return  # Word refuses a table without rows
        if self._after_table:
            self._paragraph("", None)  # Word joins adjacent tables into one; a spacer keeps them apart
        out = self.out
        out.append("<w:tbl><w:tblPr>")
        if style:
            out.append(f'<w:tblStyle w:val="{_esc(self.styles[style])}"/>')
        out.append(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>')
        if rules:
            out.append("<w:tblBorders>")
            for edge in ("top", "bottom", "insideH"):
                out.append(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"/>')
            out.append("</w:tblBorders>")
        out.append('<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>')
        out.extend(f'<w:gridCol w:w="{width}"/>' for width in widths)
        out.append("</w:tblGrid>")
        out.extend(rows)
        out.append("</w:tbl>")
        self._after_table = True

    def _row(
        self,
        widths: tuple[int, ...],
        cells: Iterable[str],
        *,
        header: bool = False,
        label: bool = False,
        keep: bool = False,
    ) -> str:
        # tblHeader repeats the row at the top of every page the table spans.
        out = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "", "</w:trPr>"]
        text_style = self.styles["Table Text"]
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            strong = header or (label and index == 0)
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
            if strong:
                out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_SHADE}"/>')
            out.append("</w:tcPr>")
            for chunk in _chunks(text) or [""]:  # a cell must hold at least one paragraph
                out.append(_paragraph(chunk, text_style, bold=strong, keep=keep))
            out.append("</w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    def _label_table(self, fields: tuple[Field, ...]) -> None:
        widths = (_LABEL_WIDTH, _TEXT_WIDTH - _LABEL_WIDTH)
        self._table(widths, "Table Grid", [self._row(widths, (f.label, f.value), label=True) for f in fields])

    def _grid(self, block: Table) -> None:
        # Ragged rows are padded with empty cells, never cut: no text is dropped.
        count = max([len(block.columns), *(len(row) for row in block.rows)])
        if count == 0:
            return
        rest = _TEXT_WIDTH // count
        widths = (_TEXT_WIDTH - rest * (count - 1),) + (rest,) * (count - 1)
        rows = [self._row(widths, _pad(block.columns, count), header=True)] if block.columns else []
        rows += [self._row(widths, _pad(row, count)) for row in block.rows]
        self._table(widths, "Table Grid", rows)


# Word's numbering formats for the list markers the report tree finds: (w:numFmt, w:lvlText).
_FORMATS = {
    "bullet": ("bullet", "\u2022"),
    "1.": ("decimal", "%1."),
    "1)": ("decimal", "%1)"),
    "a)": ("lowerLetter", "%1)"),
    "(a)": ("lowerLetter", "(%1)"),
    "A)": ("upperLetter", "%1)"),
    "(A)": ("upperLetter", "(%1)"),
}
_BULLETS = ("\u2022", "\u25e6")
_FIRST_ABSTRACT = 900
"""Ids of the renderer's own abstract numbering definitions, clear of the template's."""
_FIRST_NUM = 900


def _numbering(document: DocxDocument, lists: list[tuple[str, int, int]]) -> None:
    """One abstract numbering definition per marker format and depth used, and one numbering
    instance per list, restarted at its first number, so that each list counts on its own."""
    if not lists:
        return
    numbering = document.part.numbering_part.element
    kinds = list(dict.fromkeys((fmt, depth) for fmt, depth, _ in lists))
    abstracts = []
    for index, (fmt, depth) in enumerate(kinds):
        num_fmt, text = _FORMATS[fmt]
        marker = _BULLETS[depth] if num_fmt == "bullet" else text
        abstracts.append(
            f'<w:abstractNum w:abstractNumId="{_FIRST_ABSTRACT + index}">'
            '<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{num_fmt}"/>'
            f'<w:lvlText w:val="{marker}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * depth + 720}" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
    nums = "".join(
        f'<w:num w:numId="{_FIRST_NUM + n}">'
        f'<w:abstractNumId w:val="{_FIRST_ABSTRACT + kinds.index((fmt, depth))}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        for n, (fmt, depth, start) in enumerate(lists, start=1)
    )
    parsed = parse_xml(f"<w:numbering {nsdecls('w')}>{''.join(abstracts)}{nums}</w:numbering>")
    first_num = numbering.find(_W + "num")
    for element in parsed.findall(_W + "abstractNum"):  # every abstractNum comes before the first num
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    numbering.extend(parsed.findall(_W + "num"))


def _pad(cells: tuple[str, ...], count: int) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (count - len(cells))


# --- OOXML helpers -----------------------------------------------------------


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _paragraph(text: str, style_id: str | None, bold: bool = False, keep: bool = False) -> str:
    """A w:p holding text literally (text must already be _clean); keep: keep with the next paragraph."""
    style = f'<w:pStyle w:val="{_esc(style_id)}"/>' if style_id else ""
    p_pr = f"<w:pPr>{style}{'<w:keepNext/>' if keep else ''}</w:pPr>" if style or keep else ""
    return f"<w:p>{p_pr}{_run(text, bold) if text else ''}</w:p>"


def _run(text: str, bold: bool = False) -> str:
    """A w:r of literal text (already _clean): newlines become line breaks, tabs become tabs."""
    out = ["<w:r><w:rPr><w:b/><w:bCs/></w:rPr>" if bold else "<w:r>"]
    for piece in _BREAKS.split(text):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
    out.append("</w:r>")
    return "".join(out)


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
