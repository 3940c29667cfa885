"""Provides the Word (.docx) renderer of the report tree, in the reports' house style.

render_docx(report) lays the blocks of eqia.report.tree out as a Word document and
returns its bytes. Like every renderer it only lays out: numbering, wording and
which sections appear were all decided by build_report.

Layout decisions, all made here and nowhere else (the house style is written down in
README.md, "House style of the reports", DOCX):

- The styles are set once, for the whole document (_house_styles): Arial, a font Word and
  LibreOffice both have, 11 pt body; headings in one dark blue (HEADING_COLOUR, 8.7:1 on
  white) from Title 24 pt through Heading 1 18 pt, Heading 2 15 pt and Heading 3 13 pt to
  bold 11 pt questions. Every colour any style of the template names is checked against
  4.5:1 and replaced by the heading colour if it falls short.
- Heading level 1 (the document title) gets Word's "Title" style, which keeps it
  out of the navigation pane; numbered levels map to Word's outline headings,
  level n -> "Heading n-1" (2 -> Heading 1, 3 -> Heading 2, 4 -> Heading 3,
  5 -> Heading 4, ...), capped at Heading 9, Word's deepest level. A Paragraph straight
  after the title that is the report's subtitle gets the "Subtitle" style.
- Questions and answers are paragraphs, not tables: the question in the "Question" style
  (bold, kept with the next paragraph, more space above than below), the answer in
  "Normal", and a comment as its label ("Comment Label") then its paragraphs ("Comment"),
  both indented under the answer.
- The header block (FieldTable) is paragraphs too, "Label<tab>value" with a hanging indent
  so the values line up; a label too long for the label column ends its line instead.
- Only data tables are tables, all in the one "Report Table" style: the relevance test,
  the options and a repeating group's rows (Table), whose first row is a header row
  repeated on every page (w:tblHeader) and whose first column labels the rows (bold), and
  each action (ActionRow), headed by its number ("Action 2", a header row across both
  columns) over bold field labels. Columns are sized from their text (_column_widths) so
  a column of prose keeps a readable width. Rows never split; an action, and any table
  of up to _KEEP_WHOLE rows, is kept on one page where it fits; a longer table keeps its
  header with its first row and its last two rows together.
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
100 ms; python-docx still provides the template, footer part, core properties and
packaging.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

import docx
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from eqia.report.docx_style import (
    _FIRST_NUM,
    _INDENT,
    _MARGIN,
    _PAGE_HEIGHT,
    _PAGE_WIDTH,
    _TEXT_WIDTH,
    HEADER_FILL,
    _esc,
    _house_styles,
    _list_indent,
    _numbering,
)
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

# Average advance of a character of 11 pt Arial, in twips (measured on report text with Liberation
# Sans, Arial's metrics: 0.44 em regular, 0.48 em bold, rounded up; more for a bold word).
_CHAR, _BOLD_CHAR = 100, 115
_CELL_PADDING = 216
"""A table cell's left and right margins together (the table style's 108 each)."""
_READABLE = 25
"""Characters a column of prose keeps on a line at the least, when the table has room for it."""
_LABEL_MAX = 3400
"""The header block's label column at the widest; a longer label ends its own line."""
_LABEL_GAP = 240
_KEEP_WHOLE = 12
"""Tables of up to this many rows are kept on one page where they fit."""

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
_SPACES = re.compile(r"\s+")

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
    styles = _house_styles(document, _core_text(report.language))
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


def _footer(document: DocxDocument, report: Report, styles: dict[str, str]) -> None:
    """The footer, "<reference><tab>Page N of M": reference at the left, page at the right margin."""
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    # Simple fields; Word and LibreOffice replace the placeholder "1" when laying out pages.
    page, pages = (
        f'<w:fldSimple w:instr=" {name} ">{_run("1")}</w:fldSimple>' for name in ("PAGE", "NUMPAGES")
    )
    xml = (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{_esc(styles["Footer"])}"/></w:pPr>'
        f"{_run(_core_text(report.reference) + chr(9) + 'Page ')}{page}{_run(' of ')}{pages}</w:p>"
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
        self.lists: list[tuple[str, int, int]] = []
        """Each list written, in order: its numbering format (_FORMATS), depth (0, or 1 when nested)
        and first number; list n (from 1) uses numbering instance _FIRST_NUM + n."""

    def write(self, report: Report) -> str:
        """The body content as XML text (no enclosing element)."""
        blocks = report.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                style = "Title" if block.level <= 1 else f"Heading {min(block.level - 1, 9)}"
                self._paragraph(_clean(block.text), style)
            elif isinstance(block, Paragraph):
                previous = blocks[index - 1] if index else None
                after_title = isinstance(previous, Heading) and previous.level == 1
                subtitle = after_title and bool(report.subtitle) and block.text == report.subtitle
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                # A question's stem printed before its table or its items stays with them.
                keep = isinstance(following, (Table, ActionRow, QuestionAnswer))
                self._flow(block.text, block.flow, "Subtitle" if subtitle else None, keep=keep)
            elif isinstance(block, FieldTable):
                self._fields(block.rows)
            elif isinstance(block, Table):
                self._grid(block)
            elif isinstance(block, QuestionAnswer):
                self._question(block)
            elif isinstance(block, ActionRow):
                self._action(block)
        return "".join(self.out)

    # Paragraphs ----------------------------------------------------------------

    def _paragraph(self, text: str, style: str | None, keep: bool = False) -> None:
        self.out.append(_paragraph(text, self.styles[style] if style else None, keep=keep))
        self._after_table = False

    def _paragraphs(self, text: str, style: str | None, keep: bool = False) -> None:
        chunks = _chunks(text)
        for n, chunk in enumerate(chunks, start=1):
            self._paragraph(chunk, style, keep=keep and n == len(chunks))

    def _question(self, block: QuestionAnswer) -> None:
        if block.question:
            self._paragraphs(block.question, "Question")
        if block.answer:
            if block.short:
                self._paragraphs(block.answer, None)
            else:
                self._flow(block.answer, block.answer_flow, None)
        if block.comment:
            self._paragraphs(block.comment_label, "Comment Label")
            self._flow(block.comment, block.comment_flow, "Comment")

    def _flow(self, text: str, flow: tuple[Piece, ...], style: str | None, keep: bool = False) -> None:
        """Paragraphs and lists; text without a list as it always was."""
        if not has_list(flow):
            self._paragraphs(text, style, keep)
            return
        for piece in flow:
            if type(piece) is Para:
                self._paragraphs(piece.text, style)
            else:
                self._list(piece, 0, _INDENT if style == "Comment" else 0)

    def _list(self, block: ListBlock, level: int, indent: int) -> None:
        fmt = "bullet" if block.kind == "bullet" else block.style
        self.lists.append((fmt, level, block.start))
        num = _FIRST_NUM + len(self.lists)
        style = ("List Bullet" if block.kind == "bullet" else "List Number") + (" 2" if level else "")
        # A list in a comment is indented with the comment, past its numbering's own indent.
        shift = f'<w:ind w:left="{_list_indent(level) + indent}" w:hanging="360"/>' if indent else ""
        # A nested list is a list of its own, indented further, rather than level 2 of its
        # parent's: LibreOffice does not count a level whose list has no paragraph at level 1.
        props = (
            f'<w:pPr><w:pStyle w:val="{_esc(self.styles[style])}"/>'
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>{shift}</w:pPr>'
        )
        for item in block.items:
            text = _clean(item.text)
            self.out.append(f"<w:p>{props}{_run(text) if text else ''}</w:p>")
            for child in item.children:
                self._list(child, 1, indent)
        self._after_table = False

    def _fields(self, fields: tuple[Field, ...]) -> None:
        """The header block: "Label<tab>value" paragraphs with the values lined up by a hanging indent."""
        fitting = [len(f.label) * _BOLD_CHAR for f in fields if len(f.label) * _BOLD_CHAR <= _LABEL_MAX]
        hang = max(fitting, default=0) + _LABEL_GAP
        style = _esc(self.styles["Field"])
        first = (
            f'<w:pPr><w:pStyle w:val="{style}"/><w:tabs><w:tab w:val="left" w:pos="{hang}"/></w:tabs>'
            f'<w:ind w:left="{hang}" w:hanging="{hang}"/></w:pPr>'
        )
        rest = f'<w:pPr><w:pStyle w:val="{style}"/><w:ind w:left="{hang}"/></w:pPr>'
        for field in fields:
            label = _clean(field.label).replace("\n", " ")
            chunks = _chunks(field.value)
            between = "\t" if len(label) * _BOLD_CHAR <= _LABEL_MAX else "\n"
            value = _run(between + chunks[0]) if chunks else _run("\t")  # an empty value, as in the txt
            self.out.append(f"<w:p>{first}{_run(label, bold=True)}{value}</w:p>")
            self.out.extend(f"<w:p>{rest}{_run(chunk)}</w:p>" for chunk in chunks[1:])
        self._after_table = False

    # Tables --------------------------------------------------------------------

    def _table(self, widths: Sequence[int], rows: list[str]) -> None:
        if not rows:
            return  # Word refuses a table without rows
        if self._after_table:
            self._paragraph("", None)  # Word joins adjacent tables into one; a spacer keeps them apart
        out = self.out
        out.append(f'<w:tbl><w:tblPr><w:tblStyle w:val="{_esc(self.styles["Report Table"])}"/>')
        out.append(f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>')
        out.append(
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
            ' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        )
        out.extend(f'<w:gridCol w:w="{width}"/>' for width in widths)
        out.append("</w:tblGrid>")
        out.extend(rows)
        out.append("</w:tbl>")
        self._after_table = True

    def _row(
        self,
        widths: Sequence[int],
        cells: Sequence[str],
        *,
        header: bool = False,
        label: bool = False,
        keep: bool = False,
    ) -> str:
        """A table row that never splits across pages; header: repeated at the top of every page the
        table spans; label: its first cell names the row; keep: on the same page as the next row."""
        out = ["<w:tr><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "", "</w:trPr>"]
        text_style = self.styles["Table Text"]
        for index, (width, text) in enumerate(zip(widths, cells, strict=False)):
            strong = header or (label and index == 0)
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
            if header:
                if len(cells) == 1 < len(widths):  # one heading across every column
                    out.append(f'<w:gridSpan w:val="{len(widths)}"/>')
                out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>')
            out.append("</w:tcPr>")
            for chunk in _chunks(text) or [""]:  # a cell must hold at least one paragraph
                out.append(_paragraph(chunk, text_style, bold=strong, keep=keep))
            out.append("</w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    def _grid(self, block: Table) -> None:
        # Ragged rows are padded with empty cells, never cut: no text is dropped.
        count = max([len(block.columns), *(len(row) for row in block.rows)])
        if count == 0:
            return
        columns = _pad(block.columns, count) if block.columns else ()
        body = [_pad(row, count) for row in block.rows]
        widths = _column_widths(([columns] if columns else []) + body, count)
        rows = [columns] if columns else []
        keeps = _keeps(len(rows) + len(body), whole=False)
        out = [self._row(widths, columns, header=True, keep=keeps[0])] if columns else []
        out += [
            self._row(widths, row, label=True, keep=keeps[n]) for n, row in enumerate(body, start=len(rows))
        ]
        self._table(widths, out)

    def _action(self, block: ActionRow) -> None:
        """An action: its number as the header row across both columns, then its fields, kept together."""
        cells = [(f.label, f.value) for f in block.fields]
        widths = _column_widths(cells, 2)
        keeps = _keeps(len(cells) + bool(block.title), whole=True)
        out = [self._row(widths, (block.title,), header=True, keep=keeps[0])] if block.title else []
        out += [
            self._row(widths, cell, label=True, keep=keeps[n]) for n, cell in enumerate(cells, start=len(out))
        ]
        self._table(widths, out)


def _keeps(count: int, whole: bool) -> list[bool]:
    """Which rows stay on the same page as the next: every row but the last for a table kept whole
    (Word still breaks one longer than a page); for a long table its header with its first row,
    and its last two rows together, so no page holds only a trailing row."""
    if whole or count <= _KEEP_WHOLE:
        return [n < count - 1 for n in range(count)]
    return [n < 1 or n == count - 2 for n in range(count)]


def _column_widths(rows: Sequence[Sequence[str]], count: int) -> list[int]:
    """Column widths in twips that fill the text width, in the manner of a browser's automatic table
    layout: each column at least its longest word (set in bold, as headers and row labels are), a
    column that wraps at least _READABLE characters where all such fit, and the rest shared in
    proportion to how much more each column's text wants."""
    words = [3] * count
    wants = [3] * count
    for row in rows:
        for index, text in enumerate(row[:count]):
            for line in _clean(text).split("\n"):
                wants[index] = max(wants[index], min(len(line), 200))
                for word in _SPACES.split(line):
                    words[index] = max(words[index], min(len(word), _READABLE))
    word_widths = [word * _BOLD_CHAR + _CELL_PADDING for word in words]
    want_widths = [max(want * _CHAR + _CELL_PADDING, w) for want, w in zip(wants, word_widths, strict=True)]
    # A column whose lines are longer than _READABLE wraps: it keeps at least that much.
    readable = _READABLE * _CHAR + _CELL_PADDING
    mins = [max(readable, w) if want > _READABLE else w for want, w in zip(wants, word_widths, strict=True)]
    if sum(mins) > _TEXT_WIDTH:
        mins = word_widths
    room, wanted, least = _TEXT_WIDTH, sum(want_widths), sum(mins)
    if wanted <= room:
        widths = [want * room / wanted for want in want_widths]
    elif least >= room:
        widths = [m * room / least for m in mins]
    else:
        spare = (room - least) / (wanted - least)
        widths = [m + (want - m) * spare for m, want in zip(mins, want_widths, strict=True)]
    out = [int(w) for w in widths]
    out[-1] += _TEXT_WIDTH - sum(out)
    return out


def _pad(cells: tuple[str, ...], count: int) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (count - len(cells))


# --- OOXML helpers -----------------------------------------------------------


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
