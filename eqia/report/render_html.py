"""Provides the HTML renderer of the report tree: one self-contained, accessible, printable page.

The page shell (styles, print rules, footer) is a jinja2 template with
autoescape. The body is built here from the blocks, every piece of user text
passed through html.escape (& < > " and ' become entities, as jinja2's
autoescape does), without a template lookup per block: batch export stays fast.
Lists found by the report tree are <ul> and <ol> (type="a" for lettered ones).

Only data tables are tables (scoped column and row heads, in a region that scrolls on a narrow
screen); the header block, actions and questions with their answers are description lists.
Each numbered section is a <section>; how much a section, question or action holds decides
whether print keeps it on one page (the house style in README.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from eqia.report.lists import ListBlock, Para, Piece, has_list, split_text
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

_TEMPLATES = Path(__file__).parent / "templates"
_BLANK_LINE = re.compile(r"\n\s*\n")
_NOT_ANCHOR = re.compile(r"[^a-z0-9]+")
# Headings, questions and labels come from the form, the same in every file of a batch.
_form_text = lru_cache(maxsize=4096)(escape)
_LONG_RUN = 24
"""An unbroken run this long (an address, a path) may wrap anywhere: no narrow screen scrolls."""
_LONG = re.compile(rf"[^\s<>]{{{_LONG_RUN},}}")
_WIDE_CELL = 40
"""A column with a cell this long is kept about 25 characters wide, however narrow the screen."""
_WIDE = ' class="wide"'
_KEEP_CHARS = 1500
"""A question group or action up to this long (about half a printed page) is never split by a page break."""
_KEEP = " keep"
_BESIDE_CHARS = 24
"""A short answer up to this long fits the answer column beside the questions."""
_BESIDE = " beside"
_LINE = 80
_TAIL_CHARS = 600
"""The report's last sections up to this long (about eight printed lines) never start a page."""
"""About a line's characters on a printed page: a row or a gap counts as one."""


def _text(text: str) -> str:
    """Escape a value, letting a long unbroken run of it (a web address, an e-mail address) wrap
    anywhere, and only that: every other word wraps between words, never inside one."""
    out = escape(text)
    if len(out) >= _LONG_RUN:
        out = _LONG.sub(_breakable, out)
    return out


def _breakable(match: re.Match[str]) -> str:
    return f'<span class="long">{match.group()}</span>'


def _lines(text: str) -> str:
    """Escape text, keeping its line breaks as <br>."""
    out = _text(text)
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    return out.replace("\n", "<br>\n")


def _paras(text: str) -> str:
    """Escape text; blank lines make paragraphs, single newlines line breaks."""
    if "\n" not in text and "\r" not in text:
        return f"<p>{_text(text)}</p>\n" if text.strip() else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(f"<p>{_lines(p.strip(chr(10)))}</p>\n" for p in _BLANK_LINE.split(text) if p.strip())


def _flow(text: str, flow: tuple[Piece, ...]) -> str:
    """Paragraphs and lists; text without a list as it always was."""
    if not has_list(flow):
        return _paras(text)
    return "".join(_paras(p.text) if type(p) is Para else _list(p) for p in flow)


def _list(block: ListBlock) -> str:
    if block.kind == "bullet":
        tag, attrs = "ul", ""
    else:
        tag = "ol"
        attrs = f' type="{block.style.strip("().")}"' if block.kind == "letter" else ""
        attrs += f' start="{block.start}"' if block.start != 1 else ""
    items = "".join(
        f"<li>{_lines(item.text)}{''.join(_list(child) for child in item.children)}</li>\n"
        for item in block.items
    )
    return f"<{tag}{attrs}>\n{items}</{tag}>\n"


@lru_cache(maxsize=1)
def template() -> Any:
    """The page shell, compiled once per process."""
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default=True),
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2")


def _fields(rows: tuple[Field, ...]) -> str:
    """Label and value pairs (the header block, an action): a description list, not a table."""
    body = "".join(f"<div><dt>{_form_text(r.label)}</dt><dd>{_lines(r.value)}</dd></div>\n" for r in rows)
    return f'<dl class="fields">\n{body}</dl>\n'


def _table(block: Table, name: str) -> str:
    """A data table: column heads and row heads marked, long-text columns kept readably wide, in a
    region that scrolls sideways on a narrow screen (named, and taking focus so a keyboard can
    scroll it)."""
    wide = [
        any(len(row[i]) >= _WIDE_CELL for row in block.rows if i < len(row))
        for i in range(len(block.columns))
    ]
    head = "".join(
        f'<th scope="col"{_WIDE if wide[i] else ""}>{_form_text(c)}</th>' for i, c in enumerate(block.columns)
    )
    rows = "".join(
        f'<tr><th scope="row">{_text(row[0])}</th>'
        + "".join(f"<td>{_lines(c)}</td>" for c in row[1:])
        + "</tr>\n"
        for row in block.rows
    )
    keep = _KEEP if _size(block) <= _KEEP_CHARS else ""
    return (
        f'<div class="table{keep}" role="region" aria-label="{name}" tabindex="0">\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n"
    )


def report_body(report: Report, *, shift: int = 0, prefix: str = "") -> str:
    """The report's body as HTML (what render_html puts in <main>), for a page that holds it under
    headings of its own: every heading `shift` levels lower (the title an h2 for shift=1), and every
    anchor starting with `prefix`, so that none clashes with the page's own."""
    return _body(visible_report(report), shift, prefix)


def text_html(text: str) -> str:
    """Text from a file as HTML paragraphs and lists, as the report lays out an answer."""
    return _flow(text, split_text(text))


def _body(report: Report, shift: int = 0, prefix: str = "") -> str:
    out: list[str] = []
    add = out.append
    used: set[str] = set()
    level = 1
    """The level of the heading above: an action's label is one below it."""
    above = ""
    """The heading above (escaped), which names a table under it."""
    tables: dict[str, int] = {}
    after_title = False
    answers = False
    """Inside a run of questions (one description list)."""
    sections: list[int] = []
    """The levels of the sections open around this block, innermost last."""
    sizes = _section_sizes(report.blocks)
    tail = _tail(report.blocks, sizes)
    for index, block in enumerate(report.blocks):
        kind = type(block)
        if kind is QuestionAnswer and block.question:  # most blocks: tested first
            if not answers:
                add('<dl class="answers">\n')
                answers = True
            add(_question_answer(block))
            continue
        if answers:
            add("</dl>\n")
            answers = False
        if kind is QuestionAnswer:  # a comment on a grid or a repeating group, under it
            add(_comment(block, "div"))
        elif kind is Heading:
            text, base = _heading(block.text)
            if block.level == 1:
                add(f"<h{1 + shift}>{text}</h{1 + shift}>\n")
                after_title = True
                continue
            while sections and sections[-1] >= block.level:
                sections.pop()
                add("</section>\n")
            sections.append(block.level)
            keep = "keep tail" if index in tail else "keep" if sizes[index] <= _KEEP_CHARS else ""
            add(f'<section class="{keep}">\n' if keep else "<section>\n")
            level = min(block.level + shift, 6)
            above = text
            add(f'<h{level} id="{prefix}{_anchor(base, used)}">{text}</h{level}>\n')
            continue
        elif kind is Paragraph:
            if after_title:
                add(f'<p class="subtitle">{escape(block.text)}</p>\n')
            else:
                add(_flow(block.text, block.flow))
        elif kind is FieldTable:
            add(_fields(block.rows))
        elif kind is ActionRow:
            add(_action(block, min(level + 1, 6), used, prefix))
        elif kind is Table:
            # Each table region's name is its heading, numbered when a heading has several.
            count = tables[above] = tables.get(above, 0) + 1
            add(_table(block, f"{above} ({count})" if count > 1 else above or "Table"))
        after_title = False
    if answers:
        add("</dl>\n")
    add("</section>\n" * len(sections))
    return "".join(out)


def _section_sizes(blocks: list[Block]) -> dict[int, int]:
    """About how much each numbered section holds (its text and subsections, in characters), by
    its heading's place: a short section is kept on one printed page, so that no page holds
    only the end of one."""
    sizes: dict[int, int] = {}
    open_: list[tuple[int, int]] = []  # (heading's place, its level)
    for index, block in enumerate(blocks):
        kind = type(block)
        if kind is Heading:
            if block.level == 1:
                continue
            while open_ and open_[-1][1] >= block.level:
                open_.pop()
            open_.append((index, block.level))
            sizes[index] = 0
        size = _size(block)
        for place, _ in open_:
            sizes[place] += size
    return sizes


def _tail(blocks: list[Block], sizes: dict[int, int]) -> set[int]:
    """The short sections that end the report (by their headings' places), printed together with
    what comes before them: the last page never holds only a line or two."""
    tops = [i for i in sizes if type(blocks[i]) is Heading and blocks[i].level == 2]
    tail: set[int] = set()
    total = 0
    for place in reversed(tops[1:]):
        total += sizes[place]
        if total > _TAIL_CHARS:
            break
        tail.add(place)
    return tail


def _size(block: Block) -> int:
    """A block's text in characters, and a line's worth for each row or gap it takes."""
    kind = type(block)
    if kind is QuestionAnswer:
        return len(block.question) + len(block.answer) + len(block.comment) + 2 * _LINE
    if kind is Paragraph:
        return len(block.text) + _LINE
    if kind is Heading:
        return 2 * _LINE
    if kind is Table:
        return sum(sum(len(c) for c in row) + _LINE for row in block.rows) + _LINE
    rows = block.rows if kind is FieldTable else block.fields
    return sum(len(r.label) + len(r.value) + _LINE for r in rows) + _LINE


def _action(block: ActionRow, level: int, used: set[str], prefix: str = "") -> str:
    """One action of the plan under its label ("Action 2"), kept on one printed page where it fits."""
    keep = _KEEP if sum(len(f.value) for f in block.fields) <= _KEEP_CHARS else ""
    if not block.title:
        return f'<div class="action{keep}">\n{_fields(block.fields)}</div>\n'
    text, base = _heading(block.title)
    return (
        f'<section class="action{keep}">\n<h{level} id="{prefix}{_anchor(base, used)}">{text}</h{level}>\n'
        f"{_fields(block.fields)}</section>\n"
    )


def _comment(block: QuestionAnswer, tag: str) -> str:
    return (
        f'<{tag} class="comment"><p class="comment-label">{_form_text(block.comment_label)}</p>'
        f"{_flow(block.comment, block.comment_flow)}</{tag}>\n"
    )


def _question_answer(block: QuestionAnswer) -> str:
    """A question above its answer, then its comment: one group of the answers' description list,
    kept on one printed page unless it is long. A brief answer (Yes, No, a date, a choice) stands
    instead in a column of its own beside every question, on a page wide enough for two columns."""
    beside = ""
    if block.short:
        answer = f'<dd class="answer"><p>{_text(block.answer)}</p></dd>\n'
        beside = _BESIDE if len(block.answer) <= _BESIDE_CHARS else ""
    elif block.answer or not block.comment:
        answer = f'<dd class="answer">{_flow(block.answer, block.answer_flow)}</dd>\n'
    else:
        answer = ""
    comment = _comment(block, "dd") if block.comment else ""
    keep = _KEEP if len(block.answer) + len(block.comment) <= _KEEP_CHARS else ""
    return (
        f'<div class="qa{beside}{keep}">\n<dt class="question">{_form_text(block.question)}</dt>\n'
        f"{answer}{comment}</div>\n"
    )


@lru_cache(maxsize=4096)
def _heading(text: str) -> tuple[str, str]:
    """A heading's escaped text and the base of its anchor (headings are the form's, in every file)."""
    return escape(text), _NOT_ANCHOR.sub("-", text.lower()).strip("-") or "section"


def _anchor(base: str, used: set[str]) -> str:
    """The anchor base, numbered -2, -3... when an earlier heading of the page has it."""
    anchor, n = base, 1
    while anchor in used:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor


def _css_string(text: str) -> str:
    """Text for a CSS string, every character but letters, digits and spaces escaped: nothing in
    it can end the string or the style sheet."""
    return "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):x} " for c in text)


def render_html(report: Report) -> str:
    report = visible_report(report)
    running = " · ".join(t for t in (report.title, report.reference) if t)
    return template().render(report=report, body=Markup(_body(report)), running=Markup(_css_string(running)))
