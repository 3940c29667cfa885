"""Provides the plain-text renderer of the report tree, laid out like the Birmingham report.

Text is printed as the author typed it; a list item's further lines are indented under its marker.
"""

from __future__ import annotations

from eqia.report.lists import Piece, has_list, join_text
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


def render_text(report: Report) -> str:
    report = visible_report(report)
    out: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append(block.text)
        elif isinstance(block, Paragraph):
            out.append(_flow(block.text, block.flow))
        elif isinstance(block, FieldTable):
            out.append("\n".join(f"{row.label}\t{row.value}" for row in block.rows))
        elif isinstance(block, Table):
            lines = ["\t".join(block.columns)] + ["\t".join(r) for r in block.rows]
            out.append("\n".join(lines))
        elif isinstance(block, QuestionAnswer):
            parts = []
            if block.question:
                parts.append(f"{block.question}\t{block.answer}" if block.short else block.question)
                if not block.short and block.answer:
                    parts.append(_flow(block.answer, block.answer_flow))
            if block.comment:
                parts.append(block.comment_label)
                parts.append(_flow(block.comment, block.comment_flow))
            out.append("\n\n".join(parts))
        elif isinstance(block, ActionRow):
            rows = [f"{f.label}\t{f.value}" for f in block.fields]
            out.append("\n".join([block.title, *rows] if block.title else rows))
    return "\n\n".join(out).rstrip() + "\n"


def _flow(text: str, flow: tuple[Piece, ...]) -> str:
    return join_text(flow) if has_list(flow) else text
