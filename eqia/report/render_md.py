"""Provides the Markdown renderer of the report tree (GitHub-flavoured, tables escaped).

Lists found by the report tree are Markdown lists ("- ", "1. "). Markdown has no lettered list:
a lettered list is numbered there (a raw HTML <ol type="a"> would keep the letters on GitHub, but
the app's preview, Textual's Markdown viewer, drops raw HTML with the words in it).
"""

from __future__ import annotations

import re
from functools import lru_cache

from eqia.report.lists import ListBlock, Para, Piece, has_list
from eqia.report.tree import (
    ActionRow,
    FieldTable,
    Heading,
    Paragraph,
    QuestionAnswer,
    Report,
    Table,
    visible_report,
)

# Characters with a meaning somewhere in GitHub Markdown (emphasis, links, code,
# tables, headings, math, strikethrough, HTML). Escaping them keeps user text literal.
_ESCAPES = str.maketrans(
    {**{ch: "\\" + ch for ch in "\\`*_[]{}#|~$!"}, "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "\n"}
)
_BLANK_LINE = re.compile(r"\n\s*\n")
_MARKER = re.compile(r"[-+=]|\d+[.)]")


_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]{}#|~$!&<>\r]")


def escape(text: str) -> str:
    """Make user text render literally in Markdown (inline: see _block_text for whole lines)."""
    if _NEEDS_ESCAPE.search(text):
        text = text.replace("\r\n", "\n").translate(_ESCAPES)
    return text


# Headings, questions and labels come from the form, the same in every file of a batch.
_form_text = lru_cache(maxsize=4096)(escape)


def _line(line: str) -> str:
    """A line of a paragraph, stripped; a list or setext marker at its start would change the
    block, so it is escaped (`- ` becomes `\\- `, `1. ` becomes `1\\. `)."""
    line = line.strip()
    if line and (line[0] in "-+=" or line[0].isdecimal()):
        marker = _MARKER.match(line)
        if marker:
            end = marker.end()
            line = line[: end - 1] + "\\" + line[end - 1 :]
    return line


def _block_text(text: str) -> str:
    """A multi-paragraph answer: blank lines separate paragraphs, single newlines are hard breaks."""
    text = escape(text)
    if "\n" not in text:
        return _line(text)
    paragraphs = [p for p in _BLANK_LINE.split(text) if p.strip()]
    return "\n\n".join(" \\\n".join(_line(line) for line in p.split("\n")) for p in paragraphs)


def _cell(text: str) -> str:
    """Table cells hold one line: line breaks become <br>."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(escape(line) for line in lines) or " "


def render_md(report: Report) -> str:
    report = visible_report(report)
    out: list[str] = []
    add = out.append
    for block in report.blocks:
        kind = type(block)
        if kind is QuestionAnswer:  # most blocks: tested first
            add(_question_answer(block))
        elif kind is Heading:
            add("#" * min(block.level, 6) + " " + _form_text(block.text))
        elif kind is Paragraph:
            add(_flow(block.text, block.flow))
        elif kind is FieldTable or kind is ActionRow:
            rows = block.rows if kind is FieldTable else block.fields
            lines = ["| Field | Details |", "| --- | --- |"]
            lines += [f"| **{_cell(r.label)}** | {_cell(r.value)} |" for r in rows]
            if kind is ActionRow and block.title:
                add(f"**{_cell(block.title)}**")  # "Action 2", as answers refer to it
            add("\n".join(lines))
        elif kind is Table:
            lines = [
                "| " + " | ".join(_cell(c) for c in block.columns) + " |",
                "| " + " | ".join("---" for _ in block.columns) + " |",
            ]
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            add("\n".join(lines))
    return "\n\n".join(p for p in out if p).rstrip() + "\n"


def _question_answer(block: QuestionAnswer) -> str:
    comment = (
        f"*{_form_text(block.comment_label)}*\n\n{_flow(block.comment, block.comment_flow)}"
        if block.comment
        else ""
    )
    if not block.question:
        return comment
    question = _form_text(block.question)
    if block.short:
        text = f"**{question}** {escape(block.answer)}".rstrip()
    elif block.answer:
        text = f"**{question}**\n\n{_flow(block.answer, block.answer_flow)}"
    else:
        text = f"**{question}**"
    return f"{text}\n\n{comment}" if comment else text


def _flow(text: str, flow: tuple[Piece, ...]) -> str:
    """Paragraphs and lists; text without a list as it always was."""
    if not has_list(flow):
        return _block_text(text)
    parts = []
    for piece in flow:
        if type(piece) is Para:
            if piece.text.strip():
                parts.append(_block_text(piece.text))
        else:
            parts.append(_list(piece, ""))
    return "\n\n".join(parts)


def _list(block: ListBlock, indent: str) -> str:
    lines = []
    for index, item in enumerate(block.items):
        marker = "-" if block.kind == "bullet" else f"{block.start + index}{block.style[-1]}"
        hang = indent + " " * (len(marker) + 1)
        text = (" \\\n" + hang).join(_line(line) for line in escape(item.text).split("\n"))
        lines.append(f"{indent}{marker} {text}".rstrip())
        lines.extend(_list(child, hang) for child in item.children)
    return "\n".join(lines)
