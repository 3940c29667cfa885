"""Provides ChecksPanel: the findings of `eqia check` for the page on screen."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from eqia.quality.checks import Finding

ICONS = {"error": "✖", "warning": "▲", "info": "ℹ"}


class ChecksPanel(Static):
    """Lists findings; updated by the editor as the user types."""

    def show(self, findings: list[Finding]) -> None:
        if not findings:
            self.update(Text("✔ No problems on this page.", style="bold"))
            self.remove_class("has-findings")
            return
        text = Text()
        for i, f in enumerate(findings):
            if i:
                text.append("\n")
            text.append(f"{ICONS[f.severity]} {f.rule} ", style="bold")
            text.append(f.message)
        self.update(text)
        self.add_class("has-findings")
