"""Provides the terminal renderer of the report tree (rich), used by `eqia show`."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

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

_HEADING_STYLES = {1: "bold reverse", 2: "bold underline", 3: "bold", 4: "bold", 5: "bold"}


def render_terminal(report: Report) -> RenderableType:
    """The report as rich renderables. User text is never parsed as markup, nor obeyed as control codes."""
    report = visible_report(report)
    parts: list[RenderableType] = []
    for block in report.blocks:
        if isinstance(block, Heading):
            parts.append(Text(""))
            parts.append(Text(block.text, style=_HEADING_STYLES.get(block.level, "bold")))
        elif isinstance(block, Paragraph):
            parts.append(Padding(Text(block.text), (1, 0, 0, 2)))
        elif isinstance(block, (FieldTable, ActionRow)):
            rows = block.rows if isinstance(block, FieldTable) else block.fields
            table = RichTable(box=box.SIMPLE_HEAD, show_header=False, expand=True)
            table.add_column(style="bold", ratio=1)
            table.add_column(ratio=3)
            for row in rows:
                table.add_row(Text(row.label), Text(row.value))
            parts.append(table)
        elif isinstance(block, Table):
            table = RichTable(box=box.SIMPLE_HEAD, expand=False)
            for column in block.columns:
                table.add_column(Text(column), header_style="bold")
            for row in block.rows:
                table.add_row(*(Text(cell) for cell in row))
            parts.append(Padding(table, (0, 0, 0, 2)))
        elif isinstance(block, QuestionAnswer):
            parts.append(_question(block))
    return Group(*parts)


def _question(block: QuestionAnswer) -> RenderableType:
    items: list[RenderableType] = []
    if block.question:
        if block.short:
            line = Text(block.question, style="italic")
            line.append("  ")
            line.append(block.answer, style="bold")
            items.append(line)
        else:
            items.append(Text(block.question, style="italic"))
            if block.answer:
                items.append(Padding(Text(block.answer), (0, 0, 0, 2)))
    if block.comment:
        items.append(Padding(Text(block.comment_label, style="dim bold"), (0, 0, 0, 2)))
        items.append(Padding(Text(block.comment, style="dim"), (0, 0, 0, 4)))
    return Padding(Group(*items), (1, 0, 0, 2))
