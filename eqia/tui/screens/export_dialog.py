"""Provides ExportDialog: which report formats to write, and to which folder, in one dialog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, SelectionList, Static

from eqia.tui.screens.dialogs import Dialog

FORMAT_NAMES = {
    "txt": "Plain text (.txt)",
    "md": "Markdown (.md)",
    "html": "Web page (.html)",
    "docx": "Word (.docx)",
    "pdf": "PDF (.pdf)",
}
"""What each export format is called in the dialog."""


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked for: the formats, in the order offered, and the folder to write them to."""

    formats: tuple[str, ...]
    folder: Path


class ExportDialog(Dialog[ExportChoice | None]):
    """Asks which formats to export and where; dismisses with an ExportChoice, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "export", "Export", id="export", priority=True),
    ]

    def __init__(self, formats: tuple[str, ...], folder: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.formats = formats
        """The formats offered, in order (all are ticked at first)."""
        self.folder = folder
        """The folder offered: exports/ beside the assessment. A relative path typed is taken from there."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog export-dialog"):
            yield Static("Export the report", classes="dialog-title")
            yield Static("Formats (space ticks or unticks one)", classes="question")
            yield SelectionList[str](
                *((FORMAT_NAMES.get(fmt, fmt), fmt, True) for fmt in self.formats),
                id="export-formats",
                compact=True,
            )
            yield Static("Folder (created if missing)", classes="question")
            yield Input(str(self.folder), id="export-folder", compact=True)
            yield Static("", id="export-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-formats", SelectionList).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export":
            self.action_export()
        else:
            self.close(None)

    @on(Input.Submitted, "#export-folder")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_export(self) -> None:
        ticked = set(self.query_one("#export-formats", SelectionList).selected)
        formats = tuple(fmt for fmt in self.formats if fmt in ticked)
        typed = self.query_one("#export-folder", Input).value.strip()
        error = self.query_one("#export-error", Static)
        if not formats:
            error.update("! Tick at least one format.")
            return
        if not typed:
            error.update("! Give a folder to write the files to.")
            return
        folder = Path(typed).expanduser()
        if not folder.is_absolute():
            folder = self.folder.parent / folder
        self.close(ExportChoice(formats, folder))

    def action_cancel(self) -> None:
        self.close(None)
