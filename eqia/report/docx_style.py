"""Provides the Word report's house style: the document's fonts, sizes, colours and spacing set once in
its styles (so a council restyles a report by changing a style), the one table style, and the
numbering definitions its lists use. The layout that uses them is render_docx's; the style is
written down in README.md, "House style of the reports", DOCX."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.styles import BabelFish

_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 11906, 16838, 1440
"""A4 with 2.54 cm margins, in twips."""
_TEXT_WIDTH = _PAGE_WIDTH - 2 * _MARGIN

FONT = "Arial"
"""Word has it everywhere; LibreOffice lays it out with Liberation Sans, which has its metrics."""
BODY_SIZE = 22
"""Half-points: 11 pt, for body text, answers, questions and table cells."""
HEADING_COLOUR = "1F4E79"
"""Title and headings: 8.7:1 on white."""
MUTED_COLOUR = "404040"
"""Subtitle and footer: 10.4:1 on white."""
HEADER_FILL = "DEEAF6"
"""Shading of a table's header row; black text on it is 17.2:1."""
RULE_COLOUR = "767676"
"""Table borders: 4.5:1 on white (3:1 is asked of lines)."""

_INDENT = 284
"""A comment's indent under its answer (0.5 cm)."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = _W + "val"


# --- the house style ---------------------------------------------------------


def contrast(colour: str, background: str = "FFFFFF") -> float:
    """WCAG 2 contrast ratio of two sRGB colours given as "RRGGBB"."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _spacing(before: int, after: int, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def _heading_style(level: int, size: int, before: int, after: int) -> tuple[str, str]:
    return (
        f'<w:keepNext/><w:keepLines/>{_spacing(before, after, 240)}<w:outlineLvl w:val="{level}"/>',
        f'<w:b/><w:bCs/><w:color w:val="{HEADING_COLOUR}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
    )


_COMMENT_INDENT = f'<w:ind w:left="{_INDENT}"/>'
_LIST = _spacing(0, 60)

# The template's styles that the report uses, set anew: name -> (paragraph properties, run properties).
# Spacing in twips: a question has more space above (240) than between it, its answer and its comment.
_STYLES: dict[str, tuple[str, str]] = {
    "Normal": (f"<w:widowControl/>{_spacing(0, 120, 264)}", ""),
    "Title": (
        _spacing(0, 120, 240),
        f'<w:b/><w:bCs/><w:color w:val="{HEADING_COLOUR}"/><w:sz w:val="48"/><w:szCs w:val="48"/>',
    ),
    "Subtitle": (
        _spacing(0, 240),
        f'<w:color w:val="{MUTED_COLOUR}"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
    ),
    "Heading 1": _heading_style(0, 36, 360, 120),
    "Heading 2": _heading_style(1, 30, 320, 100),
    "Heading 3": _heading_style(2, 26, 280, 80),
    **{f"Heading {n}": _heading_style(n - 1, 24, 240, 60) for n in range(4, 10)},
    "List Bullet": (_LIST, ""),
    "List Bullet 2": (_LIST, ""),
    "List Number": (_LIST, ""),
    "List Number 2": (_LIST, ""),
    "Footer": (
        f'<w:tabs><w:tab w:val="right" w:pos="{_TEXT_WIDTH}"/></w:tabs>{_spacing(0, 0, 240)}',
        f'<w:color w:val="{MUTED_COLOUR}"/><w:sz w:val="20"/><w:szCs w:val="20"/>',
    ),
}
# The renderer's own paragraph styles, based on Normal.
_OWN_STYLES: dict[str, tuple[str, str]] = {
    "Question": (f"<w:keepNext/><w:keepLines/>{_spacing(240, 60)}", "<w:b/><w:bCs/>"),
    "Comment Label": (f"<w:keepNext/>{_spacing(60, 40)}{_COMMENT_INDENT}", "<w:i/><w:iCs/>"),
    "Comment": (_COMMENT_INDENT, ""),
    "Field": (_spacing(0, 60), ""),
    "Table Text": (_spacing(40, 40, 240), ""),
}
_BORDERS = "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{RULE_COLOUR}"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_TABLE_STYLE = (
    '<w:style w:type="table" w:customStyle="1" w:styleId="ReportTable"><w:name w:val="Report Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    f'<w:tblPr><w:tblBorders>{_BORDERS}</w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr>"
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr>'
    f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'
    '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/></w:rPr></w:tblStylePr></w:style>'
)


def _house_styles(document: DocxDocument, language: str) -> dict[str, str]:
    """Sets the document's fonts, sizes, spacing, colours and language once, in its styles, and
    adds the renderer's own; returns the style ids by name."""
    element = document.styles.element
    defaults = element.find(f"{_W}docDefaults")
    r_pr = defaults.find(f"{_W}rPrDefault/{_W}rPr")
    old = r_pr.find(_W + "lang")
    lang = f' w:val="{_esc(language)}"' if language else ""
    for child in list(r_pr):
        r_pr.remove(child)
    extra = "".join(
        f' w:{k}="{old.get(_W + k)}"' for k in ("eastAsia", "bidi") if old is not None and old.get(_W + k)
    )
    r_pr.extend(
        list(
            parse_xml(
                f"<w:rPr {nsdecls('w')}>"
                f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
                f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang{lang}{extra}/></w:rPr>'
            )
        )
    )

    by_name = {BabelFish.ui2internal(name): name for name in _STYLES}
    ids = {name: name.replace(" ", "") for name in _STYLES}  # Word's own ids, in case the template lacks one
    for style in element.iterfind(_W + "style"):
        s_r_pr = style.find(_W + "rPr")
        if s_r_pr is not None:
            _plain_fonts_and_colours(s_r_pr)
        for conditional in style.iterfind(f"{_W}tblStylePr/{_W}rPr"):
            _plain_fonts_and_colours(conditional)
        name_element = style.find(_W + "name")
        name = by_name.get(name_element.get(_VAL)) if name_element is not None else None
        if name is None:
            continue
        ids[name] = style.get(_W + "styleId")
        p_pr_xml, r_pr_xml = _STYLES[name]
        for tag in ("pPr", "rPr"):
            for child in style.findall(_W + tag):
                style.remove(child)
        style.extend(
            list(parse_xml(f"<w:x {nsdecls('w')}><w:pPr>{p_pr_xml}</w:pPr><w:rPr>{r_pr_xml}</w:rPr></w:x>"))
        )

    normal = _esc(ids["Normal"])
    xml = []
    for name, (p_pr_xml, r_pr_xml) in _OWN_STYLES.items():
        ids[name] = style_id = name.replace(" ", "")
        xml.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="{normal}"/><w:qFormat/>'
            f"<w:pPr>{p_pr_xml}</w:pPr>{f'<w:rPr>{r_pr_xml}</w:rPr>' if r_pr_xml else ''}</w:style>"
        )
    xml.append(_TABLE_STYLE)
    ids["Report Table"] = "ReportTable"
    element.extend(list(parse_xml(f"<w:styles {nsdecls('w')}>{''.join(xml)}</w:styles>")))
    return ids


def _plain_fonts_and_colours(r_pr) -> None:
    """A template style's run properties without its theme fonts (so it takes FONT) and with no
    text colour under 4.5:1 on white (the heading colour instead)."""
    fonts = r_pr.find(_W + "rFonts")
    if fonts is not None and any(key.endswith("Theme") or key.endswith("theme") for key in fonts.attrib):
        r_pr.remove(fonts)
    colour = r_pr.find(_W + "color")
    if colour is not None:
        value = colour.get(_VAL, "auto")
        for key in [k for k in colour.attrib if k != _VAL]:
            del colour.attrib[key]
        if value != "auto" and contrast(value) < 4.5:
            colour.set(_VAL, HEADING_COLOUR)


def _list_indent(depth: int) -> int:
    return 360 * depth + 720


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
            f'<w:pPr><w:ind w:left="{_list_indent(depth)}" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
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


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
