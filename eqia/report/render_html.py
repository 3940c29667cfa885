"""Provides the HTML renderer of the report tree: one self-contained, accessible, printable page.

The page shell (styles, print rules, footer) is a jinja2 template with
autoescape. The body is built here from the blocks, every piece of user text
passed through html.escape (& < > " and ' become entities, as jinja2's
autoescape does), without a template lookup per block: batch export stays fast.
Lists found by the report tree are <ul> and <ol> (type="a" for lettered ones).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

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

_TEMPLATES = Path(__file__).parent / "templates"
_BLANK_LINE = re.compile(r"\n\s*\n")
_NOT_ANCHOR = re.compile(r"[^a-z0-9]+")
# Headings, questions and labels come from the form, the same in every file of a batch.
_form_text = lru_cache(maxsize=4096)(escape)


def _lines(text: str) -> str:
    """Escape text, keeping its line breaks as <br>."""
    out = escape(text)
    if "\r" in out:
        out = out.replace("\r\n", "\n").replace("\r", "\n")
    return out.replace("\n", "<br>\n")


def _paras(text: str) -> str:
    """Escape text; blank lines make paragraphs, single newlines line breaks."""
    if "\n" not in text and "\r" not in text:
        return f"<p>{escape(text)}</p>\n" if text.strip() else ""
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
    body = "".join(
        f'<tr><th scope="row">{escape(r.label)}</th><td>{_lines(r.value)}</td></tr>\n' for r in rows
    )
    return f'<table class="fields">\n{body}</table>\n'


def _body(report: Report) -> str:
    out: list[str] = []
    add = out.append
    used: set[str] = set()
    first_h2 = True
    after_title = False
    for block in report.blocks:
        kind = type(block)
        if kind is QuestionAnswer:  # most blocks: tested first
            add(_question_answer(block))
        elif kind is Heading:
            text, base = _heading(block.text)
            if block.level == 1:
                add(f"<h1>{text}</h1>\n")
                after_title = True
                continue
            tag = min(block.level, 6)
            cls = ' class="first"' if tag == 2 and first_h2 else ""
            first_h2 = first_h2 and tag != 2
            add(f'<h{tag} id="{_anchor(base, used)}"{cls}>{text}</h{tag}>\n')
            continue
        elif kind is Paragraph:
            if after_title:
                add(f'<p class="subtitle">{escape(block.text)}</p>\n')
            else:
                add(_flow(block.text, block.flow))
        elif kind is FieldTable:
            add(_fields(block.rows))
        elif kind is ActionRow:
            add(_fields(block.fields))
        elif kind is Table:
            head = "".join(f'<th scope="col">{escape(c)}</th>' for c in block.columns)
            rows = "".join(
                f'<tr><th scope="row">{escape(row[0])}</th>'
                + "".join(f"<td>{escape(c)}</td>" for c in row[1:])
                + "</tr>\n"
                for row in block.rows
            )
            add(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n")
        after_title = False
    return "".join(out)


def _question_answer(block: QuestionAnswer) -> str:
    comment = (
        f'<div class="comment"><p class="comment-label">{_form_text(block.comment_label)}</p>'
        f"{_flow(block.comment, block.comment_flow)}</div>\n"
        if block.comment
        else ""
    )
    if not block.question:
        return f'<div class="qa">\n{comment}</div>\n'
    question = _form_text(block.question)
    if block.short:
        return (
            f'<div class="qa">\n<div class="short"><p class="question">{question}</p>'
            f'<p class="answer">{escape(block.answer)}</p></div>\n{comment}</div>\n'
        )
    answer = f'<div class="answer">{_flow(block.answer, block.answer_flow)}</div>\n' if block.answer else ""
    return f'<div class="qa">\n<p class="question">{question}</p>\n{answer}{comment}</div>\n'


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


def render_html(report: Report) -> str:
    report = visible_report(report)
    return template().render(report=report, body=Markup(_body(report)))
