"""Provides EditorScreen: the guided walkthrough of one assessment, where its author changes it.

The pages draw the form and post what the user changed; this screen applies each change
through the edit session, asks before a change would lose answers or an approval, autosaves, and
submits the assessment for review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from eqia.document import dates
from eqia.document.edits import value_at
from eqia.document.keypath import KeyPath
from eqia.document.model import entry_is_empty
from eqia.document.outline import section_label
from eqia.errors import EqiaError
from eqia.tui.commands import Command
from eqia.tui.screens.assessment import NAVIGATION, AssessmentScreen
from eqia.tui.screens.dialogs import ChoiceDialog, Decision, EarlierAnswersDialog, MessageDialog
from eqia.tui.screens.lifecycle import StatusChanges, status_title
from eqia.tui.widgets.editing import AnswerLine, AnswerText, typing_in
from eqia.tui.widgets.fields import AnswerField
from eqia.tui.widgets.repeat import RepeatField, RowTable
from eqia.usecases.session import Earlier, EditSession

if TYPE_CHECKING:  # the pages' modules load with their first page, not with the screen
    from eqia.tui.pages.action_plan import ActionPlanPage
    from eqia.tui.pages.options import OptionsPage
    from eqia.tui.pages.relevance import RelevancePage

SETTLE_SECONDS = 0.4
"""After typing pauses this long: re-check, refresh the sidebar, write the recovery copy."""
AUTOSAVE_SECONDS = 2.0
"""After typing pauses this long: save the file."""


class EditorScreen(StatusChanges, AssessmentScreen):
    """The guided walkthrough of one assessment."""

    class PageShown(AssessmentScreen.PageShown):
        """A page is on screen, its first answer focused: the user can type."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save"),
        *NAVIGATION,
        Binding("f2", "earlier_answers", "Earlier answers", show=False, id="earlier-answers"),
        Binding("a", "add_action", "Add action", show=False, id="add-action"),
        Binding("ctrl+t", "submit", "Submit", tooltip="Submit for review", show=False, id="submit"),
    ]

    def __init__(self, session: EditSession, *, author: str = "") -> None:
        super().__init__(session)
        self.author = author
        """Who submits: the name in the settings, else asked for at the first submission of the session."""
        self.approval_ok = False
        """The user agreed to change an answer of this approved assessment (asked once)."""
        self._held_changes: list[Callable[[], None]] | None = None
        """Changes made while the user is asked whether to change an approved assessment."""

    def delays(self) -> tuple[float, float]:
        return SETTLE_SECONDS, AUTOSAVE_SECONDS  # read now: tests shorten them

    def subtitle(self) -> str:
        a = self.session.assessment
        name = a.header.get("ea_name") or self.session.path.name
        flags = " [read-only]" if self.session.read_only else (" •" if self.session.dirty else "")
        return f"{status_title(a.review.status)}: {name}{flags}"  # the status first: a long name is cut

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A single-letter key never acts while the user types in an answer: the letter is typed.
        return not (action == "add_action" and typing_in(self.focused))

    def palette_commands(self) -> list[Command]:
        commands = [
            Command("Save", "Save the assessment now (ctrl+s)", self.action_save),
            Command("Save as…", "Save to a new file", self.action_save_as),
            Command(
                "Submit for review…",
                "Send it to quality control, with a note (ctrl+t)",
                self.action_submit,
            ),
        ]
        field = self.focused_field()
        if field is not None and not self.answers_read_only:
            commands.append(
                Command(
                    "Bring back an earlier answer…",
                    f"What \u201c{field.spec.label[:50]}\u201d said when the file was opened or saved (F2)",
                    self.action_earlier_answers,
                )
            )
        row = self._focused_row()
        if row is not None and not self.answers_read_only:
            repeat, index = row
            commands.append(
                Command(
                    f"Remove row {index + 1}…",
                    f"Remove this row of \u201c{repeat.label[:50]}\u201d (asks first when it has answers)",
                    lambda: self.ask_remove_row(repeat.key, index),
                )
            )
        if not self.answers_read_only:
            for conflict in self.session.assessment.conflicts[:5]:
                commands += [
                    Command(
                        f"Settle the merge conflict at {conflict.key}: keep ours",
                        f"Keep \u201c{conflict.ours[:60]}\u201d, as the file holds it now",
                        lambda key=conflict.key: self.settle_conflict(key, take_theirs=False),
                    ),
                    Command(
                        f"Settle the merge conflict at {conflict.key}: take theirs",
                        f"Put \u201c{conflict.theirs[:60]}\u201d in its place",
                        lambda key=conflict.key: self.settle_conflict(key, take_theirs=True),
                    ),
                ]
        return [*commands, *super().palette_commands()]

    def settle_conflict(self, key: str, *, take_theirs: bool) -> None:
        """Settle a merge conflict from the palette, then show the page as it now reads."""
        self.session.settle_conflict(key, take_theirs)
        self.changed()
        self.session.recheck()
        self.reloaded()

    def saved_note(self) -> str:
        kept = self.session.assessment.unparsed
        if not kept:
            return ""
        what = "; ".join(f"\u201c{text}\u201d" for text in list(kept.values())[:3])
        return (
            f" {len(kept)} answer{'s are' if len(kept) != 1 else ' is'} kept as typed, not read as a "
            f"date yet ({what}): correct {'them' if len(kept) != 1 else 'it'} (eqia check reports EQ023)."
        )

    # -- opening: unsaved typing from last time -----------------------------------------
    def opened(self) -> None:
        recovery = self.session.pending_recovery()
        if recovery is None or self.session.read_only:
            return
        when = dates.show_time(dt.datetime.fromtimestamp(recovery.stat().st_mtime), self.session.form)
        try:
            _, changes = self.session.recovery_plan(recovery)
        except EqiaError:
            changes = []
        what = ""
        if changes:
            names = [c.question or c.key for c in changes[:4]]
            more = f" and {len(changes) - 4} more" if len(changes) > 4 else ""
            what = f" They change {len(changes)} answer{'s' if len(changes) != 1 else ''}: "
            what += "; ".join(names) + more + "."
        self.app.push_screen(
            ChoiceDialog(
                "Unsaved changes found",
                f"eqia kept changes to this assessment that were not saved (last typed {when}).{what} "
                "Restore them? The file itself has not been changed.",
                [("restore", "Restore my changes"), ("discard", "Discard them")],
                cancel="later",
            ),
            lambda choice: self._recovery_chosen(choice, recovery),
        )

    def _recovery_chosen(self, choice: str | None, recovery: Path) -> None:
        if choice == "restore":
            try:
                self.session.restore_recovery(recovery)
            except EqiaError as exc:
                self.app.push_screen(MessageDialog("Not restored", str(exc)))
                return
            self.reloaded()
            self.schedule_autosave()
            self.notify("Your unsaved changes are back.", title="Restored")
        elif choice == "discard":
            self.session.discard_recovery()

    # -- answers ------------------------------------------------------------------------
    def apply_typing(self, message: AnswerField.Changed | AnswerField.Unparsed) -> None:
        if self.answers_read_only:
            return
        if isinstance(message, AnswerField.Unparsed):
            self.guarded(message.key_path, lambda: self.session.keep_typed(message.key_path, message.text))
        else:
            self.guarded(message.key_path, lambda: self._apply(message))

    def _apply(self, message: AnswerField.Changed) -> None:
        self.session.change(message.key_path, message.value)
        if message.key_path == ("header", "activity_type"):
            self.refresh_pages()  # the activity type is filled into titles and questions
        view = self.page_view()
        if view is not None:
            view.show_state(self.session.assessment)

    def on_answer_field_changed(self, message: AnswerField.Changed) -> None:
        # A message overtaken by later typing (already applied by keep_typing) changes nothing; nor one
        # from a row's field taken down when its rows moved (keep_typing applied it at its old place).
        if self.answers_read_only or not message.field.holds(message):
            return
        if "rows" in message.key_path and not message.field.is_attached:
            return
        self.guarded(message.key_path, lambda: self._answer_changed(message))

    def _answer_changed(self, message: AnswerField.Changed) -> None:
        self._apply(message)
        spec, page = message.field.spec, self.page()
        if spec.offers_action and message.value == "Yes" and page.characteristic is not None:
            char = page.characteristic
            self.app.push_screen(
                ChoiceDialog(
                    "Add to the action plan?",
                    f"You answered Yes to \u201c{spec.label}\u201d. "
                    f"Add an action-plan item for {char.label} now?",
                    [("add", f"Add an action for {char.label}"), ("no", "Not now")],
                    cancel="no",
                ),
                lambda choice: self._add_action_for(choice, char.id),
            )

    def on_answer_field_unparsed(self, message: AnswerField.Unparsed) -> None:
        if self.answers_read_only or not message.field.holds(message):
            return
        self.guarded(message.key_path, lambda: self.session.keep_typed(message.key_path, message.text))

    def _add_action_for(self, choice: str | None, cid: str) -> None:
        if choice != "add":
            return
        self.guarded(("actions",), lambda: self._action_added_for(cid))

    def _action_added_for(self, cid: str) -> None:
        index = self.session.add_action([cid], issue="")
        form = self.session.form
        where = section_label(form, self.session.assessment, "the action plan", kind="action_plan")
        self.notify(
            f"Action {index + 1} added for {form.characteristic(cid).label}; complete it in {where}.",
            title="Action plan",
        )

    # -- earlier answers ------------------------------------------------------------------
    def action_earlier_answers(self) -> None:
        """List what the focused answer said in the versions kept beside the file; bring one back."""
        field = self.focused_field()
        if field is None or self.answers_read_only:
            self.notify("Move to an answer first (tab), then ask for its earlier versions.", markup=False)
            return
        in_comment = self.focused is not None and self.focused.has_class("comment")
        key = field.spec.comment_key if in_comment else field.spec.answer_key
        self.keep_typing()
        earlier = self.session.earlier_values(key)
        if not earlier:
            self.notify(
                "No earlier version of this answer is kept: eqia keeps the file as it was opened and its "
                "last 30 saves beside it.",
                title="Nothing to bring back",
                markup=False,
            )
            return
        self.app.push_screen(
            EarlierAnswersDialog(field.spec.label, earlier, self.session.form),
            lambda index: self._bring_back(field, key, earlier, index),
        )

    def _bring_back(
        self, field: AnswerField, key: KeyPath, earlier: list[Earlier], index: int | None
    ) -> None:
        if index is None or not field.is_attached:
            return
        chosen = earlier[index]
        value = chosen.value
        text = dates.show(value, self.session.form) if isinstance(value, dt.date) else str(value)
        widget = field.query_one(".comment" if key == field.spec.comment_key else ".answer")
        if isinstance(widget, AnswerText):
            widget.replace(text, (0, 0), widget.document.end, maintain_selection_offset=False)
        elif isinstance(widget, AnswerLine):
            widget.set_answer(text)
        else:
            for button in widget.query("RadioButton"):
                if str(button.label) == text:
                    button.value = True
        widget.focus()
        when = dates.show_time(chosen.at, self.session.form)
        self.notify(
            f"Brought back the answer as {'opened' if chosen.why == 'opened' else 'saved'} at {when}. "
            "ctrl+z undoes this.",
            title="Earlier answer",
            markup=False,
        )

    # -- rows of a repeating group --------------------------------------------------------
    def _focused_row(self) -> tuple[RepeatField, int] | None:
        """The repeating group and row the focus is in (a row's field, or the group's table), if any."""
        if isinstance(self.focused, RowTable) and isinstance(self.focused.parent, RepeatField):
            return self.focused.parent, self.focused.parent.current
        field = self.focused_field()
        if field is None or len(field.spec.key) < 3 or field.spec.key[-3] != "rows":
            return None
        node = field.parent
        while node is not None and not isinstance(node, RepeatField):
            node = node.parent
        return (node, int(field.spec.key[-2])) if node is not None else None

    def on_repeat_field_row_remove_requested(self, message: RepeatField.RowRemoveRequested) -> None:
        self.ask_remove_row(message.key_path, message.index)

    def on_repeat_field_row_duplicate_requested(self, message: RepeatField.RowDuplicateRequested) -> None:
        if self.answers_read_only:
            return
        key_path, index = message.key_path, message.index

        def duplicate() -> None:
            self.keep_typing()
            self.session.duplicate_row(key_path, index)
            self.run_worker(self._show_rows(key_path, index + 1), group="rows")
            self.notify(f"Row {index + 1} copied as row {index + 2}.", markup=False)

        self.guarded(key_path, duplicate)

    def on_repeat_field_row_move_requested(self, message: RepeatField.RowMoveRequested) -> None:
        if self.answers_read_only:
            return
        key_path, index, to = message.key_path, message.index, message.to

        def move() -> None:
            self.keep_typing()
            self.session.move_row(key_path, index, to)
            self.run_worker(self._show_rows(key_path, to), group="rows")

        self.guarded(key_path, move)

    async def _show_rows(self, key_path: KeyPath, selected: int) -> None:
        """Show a repeating group's rows as the session now has them."""
        rows = value_at(self.session.assessment, (*key_path, "rows")) or []
        for repeat in self.query(RepeatField):
            if repeat.key == key_path:
                await repeat.show_rows(rows, selected, self.session.assessment.unparsed)

    def ask_remove_row(self, key_path: KeyPath, index: int) -> None:
        """Remove a row of a repeating group; when it holds answers, ask first (Keep is the default)."""
        if self.answers_read_only:
            return
        self.keep_typing()
        filled = [
            (name, value)
            for name, value in (value_at(self.session.assessment, (*key_path, "rows", index)) or {}).items()
            if value not in (None, "")
        ]
        if not filled:
            self._remove_row("remove", key_path, index)
            return
        labels = {f.id: f.label for f in self._row_fields(key_path)}
        shown = "; ".join(f"{labels.get(name, name)}: {str(value)[:40]}" for name, value in filled[:3])
        self.app.push_screen(
            ChoiceDialog(
                f"Remove row {index + 1}?",
                f"Row {index + 1} has {len(filled)} answer{'s' if len(filled) != 1 else ''} ({shown}). "
                "Removing it deletes them from the file.",
                [("keep", "Keep the row"), ("remove", f"Remove row {index + 1}")],
                cancel="keep",
            ),
            lambda choice: self._remove_row(choice, key_path, index),
        )

    def _row_fields(self, key_path: KeyPath) -> list:
        for repeat in self.query(RepeatField):
            if repeat.key == key_path:
                return list(repeat.question.fields)
        return []

    def _remove_row(self, choice: str | None, key_path: KeyPath, index: int) -> None:
        if choice != "remove":
            return
        self.guarded(key_path, lambda: self._row_removed(key_path, index))

    def _row_removed(self, key_path: KeyPath, index: int) -> None:
        self.keep_typing()
        self.session.remove_row(key_path, index)
        self.run_worker(self._show_rows(key_path, index), group="rows")
        self.notify(f"Row {index + 1} removed.", title="Removed", markup=False)

    # -- relevance and options ----------------------------------------------------------
    def on_relevance_page_chosen(self, message: RelevancePage.Chosen) -> None:
        if self.answers_read_only:
            return
        self.guarded(("characteristics", message.characteristic), lambda: self._relevance_chosen(message))

    def _relevance_chosen(self, message: RelevancePage.Chosen) -> None:
        cid, rec = message.characteristic, self.session.assessment.characteristics.get(message.characteristic)
        answered = [x for x in rec.answers.values() if not entry_is_empty(x)] if rec else []
        if rec is None or not rec.full_assessment or message.full or not answered:
            self._set_relevance(cid, message.relevant, message.full)
            return
        label = self.session.form.characteristic(cid).label
        count = len(answered)
        self.app.push_screen(
            ChoiceDialog(
                f"Stop assessing {label}?",
                f"{label} has {count} answer{'s' if count != 1 else ''} in its full assessment. "
                "Hiding its pages keeps the answers in the file (eqia check will point them out); "
                "deleting removes them.",
                [
                    ("hide", "Hide the pages, keep the answers"),
                    ("delete", "Delete the answers"),
                    ("cancel", "Cancel"),
                ],
            ),
            lambda choice: self._full_off(choice, cid, message.relevant),
        )

    def _full_off(self, choice: str | None, cid: str, relevant: bool) -> None:
        if choice not in ("hide", "delete"):
            view = self.page_view()
            if view is not None:
                view.show_state(self.session.assessment)  # put the choice back
            return
        if choice == "delete":
            self.session.clear_answers(cid)
        self._set_relevance(cid, relevant, False)

    def _set_relevance(self, cid: str, relevant: bool, full: bool) -> None:
        self.session.change(("characteristics", cid, "relevant"), relevant)
        self.session.change(("characteristics", cid, "full_assessment"), full)
        self.session.recheck()
        self.refresh_pages()
        self.changed()

    def on_options_page_toggled(self, message: OptionsPage.Toggled) -> None:
        if self.answers_read_only:
            return
        key = ("include", message.option)
        self.guarded(key, lambda: self._option_toggled(message))

    def _option_toggled(self, message: OptionsPage.Toggled) -> None:
        self.session.change(("include", message.option), message.on)
        self.session.recheck()
        self.refresh_pages()

    # -- the action plan ----------------------------------------------------------------
    def _action_plan(self) -> ActionPlanPage | None:
        view = self.page_view()
        return view if view is not None and view.page.kind == "action_plan" else None  # type: ignore[return-value]

    def on_action_plan_page_item_changed(self, message: ActionPlanPage.ItemChanged) -> None:
        if self.answers_read_only:
            return
        self.guarded(message.key_path, lambda: self._item_changed(message))

    def _item_changed(self, message: ActionPlanPage.ItemChanged) -> None:
        self.session.change(message.key_path, message.value)
        if (view := self._action_plan()) is not None:
            view.show_state(self.session.assessment)

    def on_action_plan_page_update_requested(self, message: ActionPlanPage.UpdateRequested) -> None:
        if self.answers_read_only:
            return
        index = message.index
        item = self.session.assessment.actions[index]
        # Deferred: the dialog's widgets load when a first progress update is asked for.
        from eqia.tui.screens.progress_dialog import ProgressDialog

        self.app.push_screen(
            ProgressDialog(item.action or item.issue, self.session.form),
            lambda update: self._add_update(index, update),
        )

    def _add_update(self, index: int, update: dict[str, object] | None) -> None:
        if not update:
            return
        if self.author and not update.get("by"):
            update = {**update, "by": self.author}  # who reported it: the name in eqia config
        self.session.add_update(index, **update)
        if (view := self._action_plan()) is not None:
            view.show_state(self.session.assessment)
            view.edit(index)
        self.changed()

    def on_action_plan_page_add_requested(self, message: ActionPlanPage.AddRequested) -> None:
        self.action_add_action()

    def action_add_action(self) -> None:
        if self.answers_read_only or self._action_plan() is None:
            return
        self.guarded(("actions",), self._action_added)

    def _action_added(self) -> None:
        view = self._action_plan()
        if view is None:
            return
        index = self.session.add_action()
        view.show_state(self.session.assessment)
        view.edit(index, focus=True)

    # -- an approved assessment -----------------------------------------------------------
    def guarded(self, key_path: KeyPath, change: Callable[[], None]) -> None:
        """Make a change through the session, then settle and save; but before the first change to what
        an approved assessment says (not the tracking of its actions), ask: the approval then lapses."""
        if self.approval_ok or not self.session.voids_approval(key_path):
            change()
            self.changed()
            return
        if self._held_changes is not None:  # asked already: this waits for the answer with the first
            self._held_changes.append(change)
            return
        self._held_changes = [change]
        self.app.push_screen(
            ChoiceDialog(
                "Change an approved assessment?",
                f"This assessment is {self.session.assessment.review.status}. Changing an answer means "
                "it must be approved again. Change it?",
                [("change", "Change it"), ("keep", "Keep it as approved")],
                cancel="keep",
            ),
            self._approval_chosen,
        )

    def _approval_chosen(self, choice: str | None) -> None:
        held, self._held_changes = self._held_changes or [], None
        if choice == "change":
            self.approval_ok = True
            for change in held:
                change()
            self.changed()
            self.notify(
                "Changed. When you are done, submit it for review again (ctrl+t): it needs approving again.",
                title="No longer as approved",
                severity="warning",
                markup=False,
            )
            return
        self.reloaded()  # the page shows what the file says again
        self.notify("Nothing was changed: the assessment is still approved.", title="Kept", markup=False)

    # -- submitting -----------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.session.read_only:
            self.action_save()  # says the file is read-only and what to do
            return
        self.ask_status("submitted", self.author, self._submitted)

    def _submitted(self, decision: Decision) -> None:
        self.author = decision.by

    # -- saving -------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.session.read_only:
            self.app.push_screen(
                MessageDialog(
                    "Read-only file",
                    f"{self.session.path} is read-only, so eqia will not save over it. "
                    "Use \u201cSave as\u201d in the command palette (ctrl+p) "
                    "to keep your changes in a new file.",
                )
            )
            return
        if self.conflict:
            self.ask_conflict()
            return
        self.save_now(quiet=False)
