"""Provides ActionTable: the action plan's items, one row each, laid out to the table's width.

The number, the issue, the officer and the target date always fit: the issue gives up its width
first (cut short with …), and the latest grade and the characteristics are shown only where there
is room for them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

CELL_PADDING = 1
"""Spaces each side of a cell (DataTable's cell_padding)."""
ISSUE_MIN = 8
"""The issue keeps at least this many columns, however narrow the table."""
ISSUE_ROOMY = 24
"""The issue's width before the grade and the characteristics are given room."""
OWNER_MAX = 16
OWNER_MIN = 6


@dataclass(frozen=True)
class ActionRow:
    """What the table shows of one action."""

    number: str
    issue: str
    owner: str
    target: str
    grade: str
    characteristics: str


COLUMNS: tuple[str, ...] = ("number", "issue", "owner", "target", "grade", "characteristics")


def fit(text: str, width: int) -> Text:
    """One line of plain text (never markup) in width columns, cut short with … when longer."""
    cell = Text(" ".join(text.split()), no_wrap=True, end="")
    if cell.cell_len > width:
        cell.truncate(max(width - 1, 0))
        cell.rstrip()
        cell.append("…")
    return cell


def widths(headings: dict[str, str], rows: list[ActionRow], available: int) -> dict[str, int]:
    """Each shown column's width in `available` columns (cell padding counted): the number and the
    target date at their natural width, the officer and the issue sharing the rest (the officer at
    most half of it), then the grade and the characteristics if the issue keeps ISSUE_ROOMY."""

    def natural(key: str, floor: int = 1) -> int:
        return max([floor, *(len(getattr(row, key)) for row in rows)])

    pad = 2 * CELL_PADDING
    number, target = natural("number"), natural("target", min(len(headings["target"]), 8))
    rest = available - number - target - 3 * pad
    owner = min(natural("owner", len(headings["owner"])), OWNER_MAX, max(OWNER_MIN, (rest - pad) // 2))
    owner = max(OWNER_MIN, min(owner, rest - pad - ISSUE_MIN))
    issue = rest - pad - owner
    out = {"number": number, "owner": owner, "target": target}
    for key, floor in (("grade", len(headings["grade"])), ("characteristics", 12)):
        width = min(natural(key, floor), 30)
        if any(getattr(row, key) for row in rows) and issue - width - pad >= ISSUE_ROOMY:
            out[key] = width
            issue -= width + pad
    out["issue"] = max(ISSUE_MIN, issue)
    return {key: out[key] for key in COLUMNS if key in out}


class ActionTable(DataTable[Text]):
    """The action plan's items as rows; up and down choose one (the page shows it below)."""

    BINDINGS = [
        Binding("up", "cursor_up", "Choose", key_display="↑↓", id="choose-action"),
        Binding("down", "cursor_down", "Choose", show=False),
    ]

    def __init__(self, headings: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=CELL_PADDING)
        self.headings = headings
        """Each column's heading, from the form (the number column has none)."""
        self.action_rows: list[ActionRow] = []
        self._shown: tuple[list[ActionRow], int] | None = None

    def show_rows(self, rows: list[ActionRow], cursor: int | None) -> None:
        """Show these rows with the cursor on row `cursor`, without announcing it as the user's
        choice (a RowHighlighted from here would move the page's editor)."""
        self.action_rows = list(rows)
        self._lay_out(cursor)

    def on_resize(self) -> None:
        self._lay_out(self.cursor_row if self.row_count else None)

    def _available(self) -> int:
        """The width the cells have: the table's, less its scrollbar when the rows need one (counted
        from the rows, not read from the scrollbar, which comes and goes while the table is laid out)."""
        limit = self.styles.max_height
        rows_shown = (
            int(limit.value) - int(self.show_header) if limit is not None and limit.is_cells else None
        )
        scrolls = rows_shown is not None and len(self.action_rows) > rows_shown
        return self.size.width - (self.styles.scrollbar_size_vertical if scrolls else 0)

    def _lay_out(self, cursor: int | None) -> None:
        available = self._available()
        if available <= 0 or self._shown == (self.action_rows, available):
            if cursor is not None and self.row_count and cursor != self.cursor_row:
                with self.prevent(DataTable.RowHighlighted):
                    self.move_cursor(row=cursor)
            return
        self._shown = (list(self.action_rows), available)
        chosen = widths(self.headings, self.action_rows, available)
        with self.prevent(DataTable.RowHighlighted):
            self.clear(columns=True)
            for key, width in chosen.items():
                self.add_column(fit(self.headings.get(key, ""), width), width=width, key=key)
            for index, row in enumerate(self.action_rows):
                self.add_row(
                    *(fit(getattr(row, key), width) for key, width in chosen.items()), key=str(index)
                )
            if cursor is not None and self.row_count:
                self.move_cursor(row=cursor)

    def cell_text(self, row: int, column: str) -> str:
        """What a cell shows, as plain text (empty when the column is not shown)."""
        if column not in {str(key.value) for key in self.columns}:
            return ""
        return self.get_cell(str(row), column).plain


class ReviewedActionTable(ActionTable):
    """The table in a review: up and down still choose, but stay out of the footer, which the verdict
    keys need at 80 columns (the help lists them)."""

    BINDINGS = [
        Binding("up", "cursor_up", "Choose", key_display="↑↓", show=False, id="choose-action"),
    ]
