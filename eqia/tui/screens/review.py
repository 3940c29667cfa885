"""Provides ReviewScreen: quality control of one assessment. Its answers are read-only; the reviewer
gives a verdict and a comment on each answer, then returns the assessment or approves it.

The focus is always on an answer a verdict can be given on (highlighted), and a verdict key acts on
that answer and says which question it went to."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from eqia.document.keypath import dotted
from eqia.document.model import Status, Verdict
from eqia.quality.review import verdict_on
from eqia.tui.commands import Command
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.tui.screens.assessment import NAVIGATION, AssessmentScreen
from eqia.tui.screens.dialogs import Decision, PromptDialog
from eqia.tui.screens.lifecycle import StatusChanges
from eqia.tui.widgets.editing import typing_in
from eqia.tui.widgets.fields import AnswerField, FieldSpec
from eqia.usecases.session import EditSession

VERDICT_LABELS: dict[str, str] = {
    "acceptable": "acceptable",
    "improvable": "improvable",
    "must_correct": "must correct",
}

SETTLE_SECONDS = 0.2
"""After a verdict or comment: write the recovery copy."""
SAVE_SECONDS = 1.0
"""After a verdict or comment: save (a quick run of verdicts is saved once)."""


class ReviewScreen(StatusChanges, AssessmentScreen):
    """The assessment page by page, read-only, with each answer's findings and verdict beneath it."""

    class PageShown(AssessmentScreen.PageShown):
        """A page is on screen, its first reviewable answer focused."""

    BINDINGS = [
        # Short labels: the footer keeps the reviewer's keys in view at 80 columns; help (F1) and the
        # palette say them in full (the tooltip).
        Binding("1", "verdict('acceptable')", "OK", tooltip="Acceptable", id="verdict-acceptable"),
        Binding("2", "verdict('improvable')", "Improve", tooltip="Improvable", id="verdict-improvable"),
        Binding("3", "verdict('must_correct')", "Must", tooltip="Must correct", id="verdict-must-correct"),
        Binding("c", "verdict_comment", "Comment", tooltip="Comment on the answer", id="verdict-comment"),
        Binding("R", "decide('returned')", "Return", tooltip="Return to the author", id="return"),
        Binding("A", "decide('approved')", "Approve", tooltip="Approve the assessment", id="approve"),
        *NAVIGATION,
    ]
    CONFLICT_HINT = "choose which version to keep from the command palette (ctrl+p)"
    HELP_NOTE = "Answers cannot be changed while reviewing: give a verdict on the highlighted answer."

    def __init__(self, session: EditSession, *, reviewer: str = "") -> None:
        super().__init__(session)
        self.reviewer = reviewer
        """Who gives the verdicts; asked for at the first return or approval when not given."""

    def delays(self) -> tuple[float, float]:
        return SETTLE_SECONDS, SAVE_SECONDS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The single-character keys (1 2 3 c R A) never act while focus is in a field that takes typing.
        return not (action in ("verdict", "verdict_comment", "decide") and typing_in(self.focused))

    def subtitle(self) -> str:
        a = self.session.assessment
        name = a.header.get("ea_name") or self.session.path.name
        flags = " [read-only]" if self.session.read_only else (" •" if self.session.dirty else "")
        # The status first: a long name is cut.
        return f"Reviewing ({a.review.status}): {name}{flags}"

    def palette_commands(self):
        commands = [
            Command(
                "Return to the author…",
                "With a note; the author corrects and resubmits (R)",
                lambda: self.action_decide("returned"),
            ),
            Command(
                "Approve…",
                "With a note; records what the assessment says now (A)",
                lambda: self.action_decide("approved"),
            ),
        ]
        return [*commands, *super().palette_commands()]

    def opened(self) -> None:
        if self.session.pending_recovery() is not None:
            self.notify(
                "This file has unsaved changes from an editing session. Open it with eqia edit "
                "to restore or discard them; reviewing shows the file as saved.",
                title="Unsaved changes",
                severity="warning",
                timeout=10,
            )

    # -- verdicts -----------------------------------------------------------------------
    def notes(self) -> ReviewNotes:
        return self.review_notes

    def review_notes(self, spec: FieldSpec) -> str:
        """The verdict on an answer and the findings about it, shown beneath it."""
        verdict = verdict_on(self.session.assessment, dotted(spec.key))
        if verdict is not None:
            lines = [
                f"QC: {VERDICT_LABELS[verdict.verdict]}"
                + (f" \u2014 {verdict.comment}" if verdict.comment else "")
            ]
        else:
            lines = ["QC: no verdict yet (1 acceptable, 2 improvable, 3 must correct, c comment)"]
        for finding in self.session.findings:
            if tuple(finding.key_path[: len(spec.key)]) == tuple(spec.key):
                lines.append(f"{finding.rule} {finding.severity}: {finding.message}")
        return "\n".join(lines)

    def reviewable_fields(self) -> list[AnswerField]:
        """The answers of the page on screen a verdict can be given on, shown, in order."""
        return [f for f in self.query(AnswerField) if f.review_notes is not None and f.display]

    def focus_start(self, view: PageView) -> None:
        # The first answer a verdict can be given on, highlighted while the focus is in it.
        fields = self.reviewable_fields()
        for field in fields:
            field.add_class("reviewable")
        if fields:
            fields[0].focus()
        else:
            view.focus_first()

    def on_descendant_focus(self) -> None:
        # The answer a verdict would go to is highlighted, and only that one: a follow-up sits inside
        # its question's field, so "the focus is somewhere within" would light up both.
        judged = self.focused_field()
        for field in self.query("AnswerField.judged"):
            if field is not judged:
                field.remove_class("judged")
        if judged is not None:
            judged.add_class("judged")

    def focused_field(self) -> AnswerField | None:
        """The answer a verdict goes to: the one with the focus, or holding the widget that has it (an
        answer inside a grid or table is judged with its question)."""
        node = self.focused
        while node is not None and not (isinstance(node, AnswerField) and node.review_notes is not None):
            node = node.parent
        return node

    def _reviewable(self) -> AnswerField | None:
        """The answer with the focus, when a verdict can be given on it; else say how to pick one."""
        field = self.focused_field()
        if field is not None:
            return field
        if fields := self.reviewable_fields():
            fields[0].focus()
            fields[0].scroll_visible(animate=False)
            self.notify(
                "No answer was highlighted: now the first one is. Press the verdict again to give it.",
                severity="warning",
            )
        else:
            self.notify(
                "Verdicts are given on the answers to questions; this page has none. "
                "ctrl+n goes to the next page."
            )
        return None

    def _as_reviewer(self, then: Callable[[str], object]) -> None:
        """Go on as the reviewer, asking for their name first when `eqia review` was not given --by."""
        if self.reviewer:
            then(self.reviewer)
            return

        def named(name: str | None) -> None:
            if name and name.strip():
                self.reviewer = name.strip()
                then(self.reviewer)

        self.app.push_screen(PromptDialog("Reviewer", "Your name, for the verdicts and the history:"), named)

    def action_verdict(self, verdict: Verdict) -> None:
        field = self._reviewable()
        if field is not None:
            self._as_reviewer(lambda _: self._set_verdict(field, verdict, None))

    def action_verdict_comment(self) -> None:
        field = self._reviewable()
        if field is None:
            return
        existing = verdict_on(self.session.assessment, dotted(field.spec.key))
        self.app.push_screen(
            PromptDialog(
                "QC comment",
                f"Your comment on \u201c{field.spec.label}\u201d:",
                existing.comment if existing else "",
            ),
            lambda text: self._comment_given(field, text),
        )

    def _comment_given(self, field: AnswerField, text: str | None) -> None:
        if text is not None:  # None: cancelled
            self._as_reviewer(lambda _: self._set_verdict(field, None, text))

    def _set_verdict(self, field: AnswerField, verdict: Verdict | None, comment: str | None) -> None:
        before = verdict_on(self.session.assessment, dotted(field.spec.key))
        entry = self.session.set_verdict(field.spec.key, verdict, comment, self.reviewer)
        field.show_review(self.review_notes(field.spec))
        self.changed()
        said = f"{VERDICT_LABELS[entry.verdict].capitalize()}: \u201c{field.spec.label}\u201d"
        if comment is not None:
            said = f"Comment on \u201c{field.spec.label}\u201d ({VERDICT_LABELS[entry.verdict]})"
        elif before is not None and before.comment and not entry.comment:
            said += ". Its earlier comment was cleared: the answer is now acceptable."
        self.notify(said, title=f"Verdict on {self.page().label}", markup=False)

    # -- return or approve --------------------------------------------------------------
    def action_decide(self, to: Status) -> None:
        self.ask_status(to, self.reviewer, self._decided)

    def _decided(self, decision: Decision) -> None:
        self.reviewer = decision.by  # the name typed in the dialog, for the verdicts that follow
