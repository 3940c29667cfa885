"""Provides StatusChanges: submitting, returning and approving an assessment from the app, each
confirmed in a dialog with an optional note, saved at once, and told in plain words with what
happens next. The editing screen submits; the review screen returns and approves."""

from __future__ import annotations

from collections.abc import Callable

from eqia.document.model import Status
from eqia.errors import ConflictError, EqiaError
from eqia.quality.review import allowed, must_correct, refusal
from eqia.tui.screens.dialogs import Decision, DecisionDialog, MessageDialog

STATUS_TITLES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted for review",
    "returned": "Returned to the author",
    "approved": "Approved",
    "published": "Published",
}
"""The status as the title bar and the start screen show it."""

ASK: dict[str, tuple[str, str, str]] = {
    "submitted": (
        "Submit for review",
        "Send this assessment to quality control. They give a verdict on each answer, then return it "
        "to you with their comments or approve it.",
        "Submit",
    ),
    "returned": (
        "Return to the author",
        "The author sees your verdicts and comments, corrects the answers and submits it again.",
        "Return",
    ),
    "approved": (
        "Approve",
        "Approving records what the assessment says now. A later change to an answer means it must be "
        "approved again; progress updates and closing actions do not.",
        "Approve",
    ),
}
"""For each change of status: the dialog's title, what will happen, and the confirming button."""

DONE: dict[str, str] = {
    "submitted": "Quality control reviews it next (eqia review).",
    "returned": "The author corrects it in eqia edit and submits it again.",
    "approved": "It can now be published (eqia publish).",
}


def status_title(status: str) -> str:
    return STATUS_TITLES.get(status, status)


class StatusChanges:
    """Changing the review status on an assessment screen. Mixed into AssessmentScreen's subclasses,
    whose session, conflict state, pages and dialogs it uses."""

    def ask_status(self, to: Status, by: str, then: Callable[[Decision], object] | None = None) -> None:
        """Confirm, with a note, a change of status to `to` by `by` (asked for when empty); then save.
        `then(decision)` runs once it is saved."""
        if self.conflict:
            self.ask_conflict()
            return
        self.keep_typing()
        a = self.session.assessment
        current = a.review.status
        if not allowed(current, to):
            message, hint = refusal(current, to)
            self.app.push_screen(
                MessageDialog(f"Not {to} yet" if current != to else "Nothing to do", f"{message} {hint}")
            )
            return
        if to == "approved" and (blocking := must_correct(a)):
            where = [self._question_of(v.key) for v in blocking]
            self.app.push_screen(
                MessageDialog(
                    "Not approved yet",
                    f"{len(blocking)} answer{'s are' if len(blocking) != 1 else ' is'} marked \u201cmust "
                    f"correct\u201d: {'; '.join(where)}. Return it to the author (R), or change those "
                    "verdicts once the answers are corrected.",
                )
            )
            return
        title, message, confirm = ASK[to]
        self.app.push_screen(
            DecisionDialog(title, message, confirm, by=by),
            lambda decision: self._status_decided(to, decision, then),
        )

    def _question_of(self, key: str) -> str:
        """An answer (a dotted key) as the reviewer knows it: its page and question."""
        page = self.page_of_key(key)
        return page.label if page is not None else key

    def _status_decided(
        self, to: Status, decision: Decision | None, then: Callable[[Decision], object] | None
    ) -> None:
        if decision is None:
            return
        session = self.session
        try:
            session.transition(to, decision.by, decision.note)
        except EqiaError as exc:
            self.app.push_screen(MessageDialog(f"Not {to}", f"{exc.message} {exc.hint or ''}".strip()))
            return
        try:
            session.save()
        except ConflictError:
            self.conflicted(quiet=False)
            return
        except EqiaError as exc:
            self.app.push_screen(
                MessageDialog("Not saved", f"{exc}\n\nThe change of status is kept until the next save.")
            )
            return
        session.recheck()
        self.refresh_pages()
        self.notify(
            f"{status_title(to)} by {decision.by}; saved. {DONE[to]}", title=status_title(to), markup=False
        )
        if then is not None:
            then(decision)
