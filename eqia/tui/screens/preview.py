"""Provides PreviewScreen: the report as it will be exported (the same report tree, as Markdown)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer


class PreviewScreen(Screen[None]):
    BINDINGS = [Binding("escape", "close", "Back to editing", id="close-preview")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Header()
        yield MarkdownViewer(self.markdown, show_table_of_contents=False, id="preview")
        yield Footer()

    def action_close(self) -> None:
        # Only while on top: a second escape queued behind the first must not close the editor.
        if self.app.screen is self:
            self.dismiss()
