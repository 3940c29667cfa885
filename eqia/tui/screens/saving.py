"""Provides SavingScreen: a screen holding one edit session, saved after a pause, kept safe, never
saved over someone else's save.

After a change the screen settles (re-check, redraw the page list, write the recovery copy) and,
a little later, saves in a worker. When the file changed on disk since it was opened, the save
stops, a banner says so, and the user chooses which version to keep.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from eqia.document.model import Assessment
from eqia.errors import ConflictError, EqiaError
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog, PromptDialog
from eqia.usecases.session import EditSession


class SavingScreen(Screen[None]):
    """Autosave, the recovery copy, conflicts and "Save as" for one assessment."""

    CONFLICT_HINT = "press ctrl+s to choose which version to keep"
    """How the banner says to resolve a conflict on this screen."""

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session
        self.conflict = False
        """Someone else saved the file: autosave stops until the user chooses a version."""
        self._settle: Timer | None = None
        self._autosave: Timer | None = None

    # -- what a screen says -------------------------------------------------------------
    def delays(self) -> tuple[float, float]:
        """Seconds after a change until the screen settles, and until it saves (screens may differ)."""
        return (0.4, 2.0)

    def subtitle(self) -> str:
        return self.session.path.name

    def reloaded(self) -> None:
        """The session's assessment was replaced (their version, a recovery copy): draw it again."""

    def settled(self) -> None:
        """The findings were re-checked after a change: show them."""

    def keep_typing(self) -> None:
        """Apply what the widgets hold that has not reached the session yet (see AssessmentScreen)."""

    def saved_note(self) -> str:
        """Anything to add to "Saved": what the file keeps that needs the user's attention."""
        return ""

    # -- changes ------------------------------------------------------------------------
    def changed(self) -> None:
        """Something changed: settle soon (checks, page list, recovery copy), save a little later."""
        self.app.sub_title = self.subtitle()
        settle, _ = self.delays()
        if self._settle is not None:
            self._settle.stop()
        self._settle = self.set_timer(settle, self.settle)
        self.schedule_autosave()

    def schedule_autosave(self) -> None:
        _, autosave = self.delays()
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(autosave, self.autosave)

    def settle(self) -> None:
        self.keep_typing()
        self.session.recheck()
        self.settled()
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)

    @work(thread=True, exclusive=True, group="recovery")
    def keep_recovery(self, snapshot: Assessment) -> None:
        self.session.write_recovery(snapshot)

    # -- saving -------------------------------------------------------------------------
    def autosave(self) -> None:
        if self.session.dirty and not self.session.read_only and not self.conflict:
            self.save_now(quiet=True)

    def save_now(self, quiet: bool) -> None:
        self.keep_typing()  # every key typed before the save is in it
        self.run_save(self.session.snapshot(), quiet)

    @work(thread=True, exclusive=True, group="save")
    def run_save(self, snapshot: tuple[Assessment, int], quiet: bool) -> None:
        try:
            self.session.save(snapshot)
        except ConflictError:
            self.app.call_from_thread(self.conflicted, quiet)
        except EqiaError as exc:
            self.app.call_from_thread(self._save_failed, exc)
        else:
            self.app.call_from_thread(self._saved, quiet)

    def _saved(self, quiet: bool) -> None:
        self.app.sub_title = self.subtitle()
        if not quiet:
            note = self.saved_note()
            self.notify(
                f"Saved {self.session.path}.{note}",
                title="Saved",
                severity="warning" if note else "information",
                markup=False,
            )

    def _save_failed(self, exc: EqiaError) -> None:
        self.app.push_screen(MessageDialog("Not saved", f"{exc}\n\nYour typing is kept in a recovery copy."))
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)

    # -- someone else saved -------------------------------------------------------------
    def conflicted(self, quiet: bool) -> None:
        """Someone else saved the file. Say so; never pop a dialog into the middle of typing."""
        self.conflict = True
        banner = self.query_one("#banner", Static)
        banner.update(
            "Someone else saved this file since you opened it. Your typing is safe in a recovery copy; "
            f"{self.CONFLICT_HINT}."
        )
        banner.add_class("shown")
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)
        if not quiet:
            self.ask_conflict()

    def ask_conflict(self) -> None:
        self.app.push_screen(
            ChoiceDialog(
                "Someone else saved this file",
                f"{self.session.path} changed on disk since you opened it. Which version do you want?",
                [
                    ("mine", "Keep mine, back up theirs"),
                    ("theirs", "Keep theirs"),
                    ("save-as", "Save mine as a new file"),
                    ("cancel", "Decide later"),
                ],
            ),
            self._resolve_conflict,
        )

    def _resolve_conflict(self, choice: str | None) -> None:
        session = self.session
        if choice == "mine":
            try:
                backup = session.keep_mine()
            except (EqiaError, OSError) as exc:
                self.app.push_screen(MessageDialog("Not saved", str(exc)))
                return
            self.notify(f"Saved your version; theirs is kept as {backup.name}.", title="Saved")
        elif choice == "theirs":
            session.keep_theirs()
            self.reloaded()
            self.notify("Loaded their version. Your changes are kept in a recovery copy.", title="Reloaded")
        elif choice == "save-as":
            self.action_save_as()
            return
        else:
            return
        self._conflict_resolved()

    def _conflict_resolved(self) -> None:
        self.conflict = False
        self.query_one("#banner", Static).remove_class("shown")
        self.app.sub_title = self.subtitle()

    def action_save_as(self) -> None:
        stem = self.session.path.stem
        suggestion = str(self.session.path.with_name(f"{stem}-copy.toml"))
        self.app.push_screen(
            PromptDialog("Save as", "Save this assessment to a new file:", suggestion), self._save_as
        )

    def _save_as(self, target: str | None, *, overwrite: bool = False) -> None:
        if not target:
            return
        if not overwrite and Path(target).expanduser().exists():
            self.app.push_screen(
                ChoiceDialog(
                    "Replace the file?",
                    f"{target} already exists. Replace it with this assessment?",
                    [("replace", "Replace it"), ("cancel", "Choose another name")],
                ),
                lambda choice: self._replace_chosen(choice, target),
            )
            return
        try:
            self.session.save_as(Path(target).expanduser(), overwrite=overwrite)
        except EqiaError as exc:
            self.app.push_screen(MessageDialog("Not saved", str(exc)))
            return
        self._conflict_resolved()
        self.notify(f"Saved as {target}.", title="Saved")

    def _replace_chosen(self, choice: str | None, target: str) -> None:
        if choice == "replace":
            self._save_as(target, overwrite=True)
        else:
            self.action_save_as()
