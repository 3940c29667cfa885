"""Provides EqiaApp: the terminal UI that walks a policy officer through an assessment."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from eqia.errors import EqiaError
from eqia.tui.screens.assessment import AssessmentScreen
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.screens.review import ReviewScreen
from eqia.usecases.session import EditSession


class EqiaApp(App[None]):
    """eqia's app: a start screen, then an editing (or review) screen per open assessment."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "eqia"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(
        self,
        path: Path | None = None,
        folder: Path = Path("assessments"),
        *,
        review: bool = False,
        reviewer: str = "",
    ) -> None:
        super().__init__()
        self.start_path = path
        self.folder = folder
        self.review = review
        self.reviewer = reviewer

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.start_path is not None:
            self.open_assessment(self.start_path, exit_on_error=True)
        else:
            from eqia.tui.screens.start import StartScreen  # only when no file is given: quicker start

            self.push_screen(StartScreen(self.folder))

    def _install_signal_handlers(self) -> None:
        """A dropped SSH session (SIGHUP) or a kill (SIGTERM) keeps the typing in the recovery copy."""
        loop = asyncio.get_running_loop()
        for sig in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self._hang_up)
            except (NotImplementedError, RuntimeError, ValueError):
                continue

    def _hang_up(self) -> None:
        for session in self.sessions():
            session.write_recovery()
        self.exit(return_code=129)

    def _handle_exception(self, error: Exception) -> None:
        # A crash must not lose typing: keep it in the recovery copy before Textual exits.
        for session in self.sessions():
            with contextlib.suppress(Exception):
                session.write_recovery()
        super()._handle_exception(error)

    def sessions(self) -> list[EditSession]:
        """The edit sessions of the open assessments."""
        return [s.session for s in self.screen_stack if isinstance(s, AssessmentScreen)]

    def open_assessment(self, path: Path, *, exit_on_error: bool = False) -> None:
        """Open an assessment on an editing screen, or read-only on a review screen (eqia review)."""
        try:
            session = EditSession.open(path, review=self.review)
        except EqiaError as exc:
            if exit_on_error:
                self.exit(return_code=2, message=f"eqia: error: {exc}")
            else:
                self.push_screen(MessageDialog("Cannot open this file", str(exc)))
            return
        if self.review:
            self.push_screen(ReviewScreen(session, reviewer=self.reviewer))
        else:
            self.push_screen(EditorScreen(session))

    async def action_quit(self) -> None:
        dirty = [s for s in self.sessions() if s.dirty and not s.read_only]
        if not dirty:
            self.exit()
            return
        self.push_screen(
            ChoiceDialog(
                "Unsaved changes",
                f"{dirty[0].path.name} has changes that are not saved yet.",
                [("save", "Save and quit"), ("discard", "Quit without saving"), ("cancel", "Keep editing")],
            ),
            self._quit_chosen,
        )

    def _quit_chosen(self, choice: str | None) -> None:
        if choice == "cancel" or choice is None:
            return
        for session in self.sessions():
            if not session.dirty or session.read_only:
                continue
            if choice == "save":
                try:
                    session.save()
                except EqiaError as exc:
                    session.write_recovery()
                    self.push_screen(
                        MessageDialog("Not saved", f"{exc}\n\nYour typing is kept in a recovery copy.")
                    )
                    return
            else:
                session.discard_recovery()
        self.exit()
