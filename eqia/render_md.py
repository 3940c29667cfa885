"""Provides the Markdown renderer of the report tree (GitHub-flavoured, tables escaped)."""

from __future__ import annotations

import re
from functools import lru_cache

from eqia.report import ActionRow, FieldTable, Heading, Paragraph, QuestionAnswer, Report, Table

# Characters with a meaning somewhere in GitHub Markdown (emphasis, links, code,
# tables, headings, math, strikethrough, HTML). Escaping them keeps user text literal.
_ESCAPES = str.maketrans(
    {**{ch: "\\" + ch for ch in "\\`*_[]{}#|~$!"}, "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "\n"}
)
_BLANK_LINE = re.compile(r"\n\s*\n")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]{}#|~$!&<>\r]")


def escape(text: str, *, block: bool = False) -> str:
    """Make user text render literally in Markdown; block=True where lines start blocks."""
    if _NEEDS_ESCAPE.search(text):
        text = text.replace("\r\n", "\n").translate(_ESCAPES)
    # In a paragraph, a line starting with a list or setext marker would change the block.
    return _LINE_START.sub(_escape_marker, text) if block else text


# Headings, questions and labels come from the form, the same in every file of a batch.
_form_text = lru_cache(maxsize=4096)(escape)


def _escape_marker(m: re.Match[str]) -> str:
    lead, marker = m.group(1), m.group(2)
    if marker[0] in "-+=":
        return lead + "\\" + marker
    return lead + marker[:-1] + "\\" + marker[-1]


def _block_text(text: str) -> str:
    """A multi-paragraph answer: blank lines separate paragraphs, single newlines are hard breaks."""
    text = escape(text, block=True)
    if "\n" not in text:
        return text.strip()
    paragraphs = [p for p in _BLANK_LINE.split(text) if p.strip()]
    return "\n\n".join(" \\\n".join(line.strip() for line in p.split("\n")) for p in paragraphs)


def _cell(text: str) -> str:
    """Table cells hold one line: line breaks become <br>."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(escape(line) for line in lines) or " "


def render_md(report: Report) -> str:
    out: list[str] = []
    add = out.append
    for block in report.blocks:
        kind = type(block)
        if kind is QuestionAnswer:  # most blocks: tested first
            add(_question_answer(block))
        elif kind is Heading:
            add("#" * min(block.level, 6) + " " + _form_text(block.text))
        elif kind is Paragraph:
            add(_block_text(block.text))
        elif kind is FieldTable or kind is ActionRow:
            rows = block.rows if kind is FieldTable else block.fields
            lines = ["| Field | Details |", "| --- | --- |"]
            lines += [f"| **{_cell(r.label)}** | {_cell(r.value)} |" for r in rows]
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
    parts = []
    if block.question:
        question = _form_text(block.question)
        if block.short:
            parts.append(f"**{question}** {escape(block.answer)}".rstrip())
        else:
            parts.append(f"**{question}**")
            if block.answer:
                parts.append(_block_text(block.answer))
    if block.comment:
        parts.append(f"*{_form_text(block.comment_label)}*")
        parts.append(_block_text(block.comment))
    return "\n\n".join(parts)
