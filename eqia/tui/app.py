"""Provides EqiaApp: the terminal UI that walks a policy officer through an assessment."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import getpass
import logging
import os
import shutil
import signal
import traceback
from asyncio import CancelledError
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from eqia.errors import EqiaError
from eqia.files import presence
from eqia.tui.screens.assessment import AssessmentScreen
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog
from eqia.tui.screens.editor import EditorScreen
from eqia.tui.screens.review import ReviewScreen
from eqia.usecases.session import EditSession

log = logging.getLogger("eqia.tui")


def _login() -> str:
    """Who is at the keyboard when no name is set (eqia config set name): the login name."""
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return ""


CONTAINED_LIMIT = 25
"""Failures contained in one run; past this many something is badly wrong, and the app exits (after
keeping the typing in the recovery copy) rather than keep failing."""


class EqiaApp(App[None]):
    """eqia's app: a start screen, then an editing (or review) screen per open assessment."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "eqia"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="quit", priority=True)]  # in help (F1)

    def __init__(
        self,
        path: Path | None = None,
        folder: Path = Path("assessments"),
        *,
        review: bool = False,
        reviewer: str = "",
        me: str = "",
    ) -> None:
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Scrolling jumps instead of gliding: a glide on a slow or remote desktop (Citrix, a loaded
            # laptop) can stop short when the page changes under it, leaving the focused answer off
            # screen; a jump always lands on it. TEXTUAL_ANIMATIONS=full brings the glide back.
            self.animation_level = "none"
        self.start_path = path
        self.folder = folder
        self.review = review
        self.reviewer = reviewer
        self.me = me
        """The name in the settings (eqia config): who submits, and who reviews unless --by says."""
        self.holding: dict[Path, presence.Holder] = {}
        """The assessments this app has marked as open (eqia.files.presence), released on quit."""
        self.contained: list[str] = []
        """Failures inside the app that it kept running through: each one's traceback."""
        self._held: list[events.Key | events.Paste] = []
        """Keys (and pastes) typed while a page was being put up, in order, until it is up."""
        self._releasing = False

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
        self.keep_typing()
        self.release_all()
        self.exit(return_code=129)

    def on_unmount(self) -> None:
        self.release_all()

    def release_all(self) -> None:
        """Tell others the assessments are no longer open here. Never raises."""
        for path, ours in list(self.holding.items()):
            with contextlib.suppress(Exception):
                presence.release(path, ours)
        self.holding.clear()

    def keep_typing(self) -> None:
        """Keep what every open assessment's answers hold (on screen, even if not yet applied) in its
        recovery copy. Never raises: it runs when something has gone wrong."""
        for screen in self.assessment_screens():
            with contextlib.suppress(Exception):
                screen.keep_typing()
            with contextlib.suppress(Exception):
                screen.session.write_recovery()

    # -- failures -----------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        # A worker, a redraw or a widget of Textual's own failed. Contain it while there is typing to
        # keep; else (or past the limit) keep the typing in the recovery copy and exit as Textual does.
        if self.contain(error):
            return
        self.keep_typing()
        super()._handle_exception(error)

    def contain(self, error: BaseException) -> bool:
        """Keep running after a failure inside the app while an assessment is open: keep the typing in
        the recovery copy, log the failure, and say so. False when it cannot be contained (nothing is
        open, or too many failures): the caller lets it end the app.

        Contained failures are not hidden: each is logged (logger eqia.tui) and shown, and the first is
        kept where Textual's test harness (App.run_test) raises it when the test ends."""
        if isinstance(error, (CancelledError, KeyboardInterrupt, SystemExit)):
            return False
        if not self.assessment_screens() or len(self.contained) >= CONTAINED_LIMIT or not self.is_running:
            return False
        details = "".join(traceback.format_exception(error))
        inner = getattr(error, "error", None)  # a worker's failure: the failure inside it
        if isinstance(inner, BaseException):
            details += "".join(traceback.format_exception(inner))
        self.contained.append(details)
        log.error("contained a failure inside the app:\n%s", details)
        self.log.error(details)
        if self._exception is None:
            self._exception = error  # run_test raises it at the end of a test (never set in a real run)
        self.keep_typing()
        self.notify(
            f"Something went wrong inside eqia ({type(error).__name__}: {str(error)[:120]}). "
            "Your typing is safe: it is kept in a recovery copy. You can keep working; save, and "
            "consider reporting this.",
            title="eqia kept running",
            severity="error",
            timeout=15,
            markup=False,
        )
        return True

    async def _dispatch_message(self, message: Message) -> None:
        # A key's binding action (undo, redo, a page's own) runs in the app's message loop, which
        # Textual ends after any exception: contain it so the app keeps taking keys.
        try:
            await super()._dispatch_message(message)
        except CancelledError:
            task = asyncio.current_task()
            if task is None or task.cancelling():
                raise  # the app itself is being stopped
            # Something the handler awaited was cancelled (a widget's removal cut short), not the app:
            # Textual would end the app's message loop, and with it the app.
            log.warning("a task awaited while handling %r was cancelled", message)
        except Exception as error:
            if not self.contain(error):
                raise

    # -- keys typed while a page is put up ----------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._holding():
                self._held.append(event)
                return
            await self._deliver(event)
            return
        await super().on_event(event)

    async def _deliver(self, event: events.Key | events.Paste) -> None:
        """Send a key on its way; a page change's key makes the keys after it wait for the new page."""
        screen = self.screen
        if (
            isinstance(event, events.Key)
            and isinstance(screen, AssessmentScreen)
            and screen.changes_page(event.key)
        ):
            screen.expect_page_change(event)
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        # A key back from the focused widget, not used there: the bindings (Textual's own handler).
        try:
            await super()._on_key(event)
        finally:
            event.prevent_default()  # Textual's handler has run; do not run it twice
            for screen in self.assessment_screens():
                screen.key_done(event)

    def _holding(self) -> bool:
        if self._releasing:
            return False
        screen = self.screen
        if isinstance(screen, AssessmentScreen) and not screen.accepting_keys:
            return True
        return bool(self._held)  # keys typed after held ones wait their turn

    async def release_keys(self) -> None:
        """The page is up: deliver the keys typed meanwhile, in order (until one changes page again)."""
        while self._held:
            screen = self.screen
            if isinstance(screen, AssessmentScreen) and not screen.accepting_keys:
                return
            event = self._held.pop(0)
            self._releasing = True
            try:
                await self._deliver(event)
            finally:
                self._releasing = False

    def assessment_screens(self) -> list[AssessmentScreen]:
        """The screens of the open assessments."""
        return [s for s in self.screen_stack if isinstance(s, AssessmentScreen)]

    def sessions(self) -> list[EditSession]:
        """The edit sessions of the open assessments."""
        return [s.session for s in self.assessment_screens()]

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
        if not session.read_only:
            ours, theirs = presence.claim(session.path, self.reviewer or self.me or _login())
            if theirs is not None:
                self._in_use(session, theirs, exit_on_error)
                return
            if ours is not None:
                self.holding[session.path] = ours
        self._show(session)

    def _show(self, session: EditSession) -> None:
        if self.review:
            self.push_screen(ReviewScreen(session, reviewer=self.reviewer or self.me))
        else:
            self.push_screen(EditorScreen(session, author=self.me))

    def _in_use(self, session: EditSession, theirs: presence.Holder, started_with_it: bool) -> None:
        """Someone else has the assessment open: read it, open a copy, or (once their opening is over)
        take it over."""
        choices = [("read", "Open it read-only"), ("copy", "Open a copy to work on")]
        stale = theirs.stale()
        if stale:
            choices.append(("take", "Take it over"))
        choices.append(("cancel", "Cancel"))
        over = (
            " That opening looks over (its program has stopped, or it is more than 12 hours old), so you "
            "may take it over."
            if stale
            else " Saving here could undo their work, so it opens read-only unless you work on a copy."
        )
        self.push_screen(
            ChoiceDialog(
                "In use",
                f"{session.path.name} is {theirs.describe(session.form)}.{over}",
                choices,
                cancel="cancel",
            ),
            lambda choice: self._in_use_chosen(choice, session, started_with_it),
        )

    def _in_use_chosen(self, choice: str | None, session: EditSession, started_with_it: bool) -> None:
        who = self.reviewer or self.me or _login()
        if choice == "read":
            session.read_only = True
            self._show(session)
        elif choice == "take":
            ours, _ = presence.claim(session.path, who, take_over=True)
            if ours is not None:
                self.holding[session.path] = ours
            self._show(session)
        elif choice == "copy":
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
            copy = session.path.with_name(f"{session.path.stem}.copy-{stamp}{session.path.suffix}")
            try:
                shutil.copyfile(session.path, copy)
            except OSError as exc:
                self.push_screen(MessageDialog("No copy made", f"{copy}: {exc.strerror}"))
                return
            self.open_assessment(copy)
        elif started_with_it:
            self.exit(return_code=1, message=f"eqia: {session.path.name} was not opened.")

    async def action_quit(self) -> None:
        for screen in self.assessment_screens():
            screen.keep_typing()  # typing not yet applied counts as a change
        dirty = [s for s in self.sessions() if s.dirty and not s.read_only]
        if not dirty:
            self._quit_unless_unread()
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
        self._quit_unless_unread()

    def _quit_unless_unread(self) -> None:
        """Quit; but first say so when an answer is kept as typed because it could not be read."""
        kept = [
            (session, key, text)
            for session in self.sessions()
            if not session.read_only
            for key, text in session.assessment.unparsed.items()
        ]
        if not kept:
            self.exit()
            return
        session, key, text = kept[0]
        more = f" and {len(kept) - 1} more" if len(kept) > 1 else ""
        where = next(
            (
                page.label
                for s in self.assessment_screens()
                if s.session is session
                if (page := s.page_of_key(key))
            ),
            key,
        )
        self.push_screen(
            ChoiceDialog(
                "An answer is not read yet",
                f"{session.path.name}: \u201c{text}\u201d in {where}{more} could not be read as a date. "
                "It is saved as typed, beside the last date that could be read, and eqia check reports "
                "it (EQ023) until it is corrected.",
                [("back", "Go back and correct it"), ("quit", "Quit; keep it as typed")],
                cancel="back",
            ),
            lambda choice: self._unread_chosen(choice, key),
        )

    def _unread_chosen(self, choice: str | None, key: str) -> None:
        if choice == "quit":
            self.exit()
            return
        for screen in self.assessment_screens():
            if hasattr(screen, "go_to_key"):
                screen.go_to_key(key)
                return
