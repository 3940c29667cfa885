"""Provides ScreenCommands: the command palette's entries of the screen under it (Save, Go to …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    """One palette entry: what it is called, a line of help, and what it does."""

    title: str
    help: str
    run: Callable[[], object]


class ScreenCommands(Provider):
    """Offers the commands a screen lists in palette_commands(); put it in the screen's COMMANDS."""

    def _commands(self) -> list[Command]:
        screen = self.screen
        listed = getattr(screen, "palette_commands", None)
        return list(listed()) if callable(listed) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
