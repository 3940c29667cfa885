"""Provides EqiaApp: the terminal UI that walks a policy officer through an assessment."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from eqia.errors import EqiaError
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog
from eqia.tui.screens.editor import EditorScreen
from eqia.usecases.session import EditSession


class EqiaApp(App[None]):
    """eqia's app: a start screen, then one editor screen per open assessment."""

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
        import asyncio

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
        return [s.session for s in self.screen_stack if isinstance(s, EditorScreen)]

    def open_assessment(self, path: Path, *, exit_on_error: bool = False) -> None:
        try:
            session = EditSession.open(path)
        except EqiaError as exc:
            if exit_on_error:
                self.exit(return_code=2, message=f"eqia: error: {exc}")
            else:
                self.push_screen(MessageDialog("Cannot open this file", str(exc)))
            return
        self.push_screen(EditorScreen(session, review=self.review, reviewer=self.reviewer))

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, EditorScreen):
            yield SystemCommand("Save", "Save the assessment now (ctrl+s)", screen.action_save)
            yield SystemCommand("Save as…", "Save to a new file", screen.action_save_as)
            yield SystemCommand(
                "Preview report", "The report as it will be exported (ctrl+r)", screen.action_preview
            )
            yield SystemCommand(
                "Check", "Every finding of eqia check for this assessment", screen.show_all_findings
            )
            for fmt in ("html", "docx", "pdf", "md", "txt"):
                yield SystemCommand(
                    f"Export as {fmt}",
                    f"Write the report to exports/ as {fmt}",
                    lambda fmt=fmt: self.export(screen, fmt),
                )
            for page in screen.pages:
                yield SystemCommand(
                    f"Go to {page.label}",
                    "Jump to this section",
                    lambda page_id=page.id: screen.show_page(page_id),
                )

    def export(self, screen: EditorScreen, fmt: str) -> None:
        from eqia.usecases.export import export_one, plan_names

        if screen.session.dirty:
            screen.session.save() if not screen.session.read_only else None
        path = screen.session.path
        out = Path("exports")
        out.mkdir(exist_ok=True)
        result = export_one((str(path), plan_names([path])[0], (fmt,), str(out)))
        if result.error:
            self.push_screen(MessageDialog("Export failed", str(result.error["text"])))
        else:
            self.notify(f"Wrote {result.outputs[0]}", title="Exported")
