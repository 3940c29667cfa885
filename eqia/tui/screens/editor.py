"""Provides EditorScreen: one assessment, page by page, with sidebar, checks panel and autosave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Select, Static

from eqia.document.keypath import dotted
from eqia.document.model import Assessment, entry_is_empty
from eqia.document.outline import is_shown, slots
from eqia.errors import ConflictError, EqiaError
from eqia.quality.review import set_verdict, transition
from eqia.tui.screens.dialogs import ChoiceDialog, MessageDialog, PromptDialog
from eqia.tui.widgets.checks_panel import ChecksPanel
from eqia.tui.widgets.fields import AnswerField, FieldSpec
from eqia.tui.widgets.sidebar import Sidebar
from eqia.usecases.pages import Page, findings_by_page, pages, state
from eqia.usecases.session import EditSession

VERDICT_LABELS = {"acceptable": "acceptable", "improvable": "improvable", "must_correct": "must correct"}

SETTLE_SECONDS = 0.4
"""After typing pauses this long: re-check, refresh the sidebar, write the recovery copy."""
AUTOSAVE_SECONDS = 2.0
"""After typing pauses this long: save the file."""


class EditorScreen(Screen[None]):
    """The guided walkthrough of one assessment."""

    @dataclass
    class PageShown(Message):
        """A page is on screen, its first answer focused: the user can type."""

        page_id: str

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("ctrl+n", "next_page", "Next", id="next-section"),
        Binding("ctrl+b", "previous_page", "Back", id="previous-section"),
        Binding("ctrl+r", "preview", "Preview", id="preview"),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("a", "add_action", "Add action", show=False, id="add-action"),
        Binding("1", "verdict('acceptable')", "Acceptable", id="verdict-acceptable"),
        Binding("2", "verdict('improvable')", "Improvable", id="verdict-improvable"),
        Binding("3", "verdict('must_correct')", "Must correct", id="verdict-must-correct"),
        Binding("c", "verdict_comment", "Comment", id="verdict-comment"),
        Binding("R", "decide('returned')", "Return", id="return"),
        Binding("A", "decide('approved')", "Approve", id="approve"),
    ]
    REVIEW_ACTIONS = frozenset({"verdict", "verdict_comment", "decide"})

    def __init__(self, session: EditSession, *, review: bool = False, reviewer: str = "") -> None:
        super().__init__()
        self.session = session
        self.review = review
        """Review mode: answers read-only, findings and verdicts beside each, return or approve."""
        self.reviewer = reviewer
        self.pages = pages(session.form, session.assessment)
        self.current = self._first_page_needing_work()
        self._settle: Timer | None = None
        self._autosave: Timer | None = None
        self.conflict = False
        """Someone else saved the file: autosave stops until the user chooses a version."""

    # -- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            with Vertical(id="content"):
                yield Static("", id="banner", markup=False)
                yield Static(self.page().label, id="page-title", markup=False)
                # The first page is composed with the screen: one layout pass, a quicker start.
                yield VerticalScroll(*self._build(self.page()), id="page-body", can_focus=False)
                yield ChecksPanel("", id="checks")
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = self._subtitle()
        self.refresh_pages()
        self.query_one(Sidebar).select_page(self.current)
        self.call_after_refresh(self._page_ready)
        if self.session.read_only:
            self.notify(
                "This file is read-only: you can read it, but eqia will not save over it.",
                title="Read-only",
                severity="warning",
                timeout=8,
            )
        self._form_version_notice()
        recovery = self.session.pending_recovery()
        if recovery is not None and not self.session.read_only:
            when = dt.datetime.fromtimestamp(recovery.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
            self.app.push_screen(
                ChoiceDialog(
                    "Unsaved changes found",
                    f"eqia kept changes to this assessment that were not saved (last typed {when}). "
                    "Restore them? The file itself has not been changed.",
                    [("restore", "Restore my changes"), ("discard", "Discard them")],
                    cancel="later",
                ),
                lambda choice: self._recovery_chosen(choice, recovery),
            )

    def _first_page_needing_work(self) -> str:
        """Open where work is needed: the first page not complete (a new assessment: the header)."""
        by_page = findings_by_page(self.pages, self.session.findings)
        for page in self.pages:
            if state(page, self.session.assessment, by_page[page.id]) != "complete":
                return page.id
        return self.pages[0].id

    def _subtitle(self) -> str:
        name = self.session.assessment.header.get("ea_name") or self.session.path.name
        if self.review:
            name = f"Reviewing: {name} ({self.session.assessment.review.status})"
        flags = " [read-only]" if self.session.read_only else (" •" if self.session.dirty else "")
        return f"{name}{flags}"

    def _recovery_chosen(self, choice: str | None, recovery: Path) -> None:
        if choice == "restore":
            self.session.restore_recovery(recovery)
            self.refresh_pages()
            self.show_page(self.current)
            self.schedule_autosave()
            self.notify("Your unsaved changes are back.", title="Restored")
        elif choice == "discard":
            self.session.discard_recovery()

    # -- pages ------------------------------------------------------------------------
    def _form_version_notice(self) -> None:
        """Say so when the form has moved on since the assessment was written."""
        from eqia.document.migrate import moved_answers, orphans

        form, a = self.session.form, self.session.assessment
        if a.form_version == form.version:
            return
        moved, kept = len(moved_answers(form, a)), len(orphans(form, a))
        detail = ""
        if moved or kept:
            detail = (
                f" {moved} answer{'s' if moved != 1 else ''} moved to renamed questions and {kept} kept "
                "from removed ones: check them (eqia check lists them), then run eqia upgrade."
            )
        self.notify(
            f"Written with {form.id} {a.form_version}; the form is now {form.version}.{detail}",
            title="The form has changed",
            severity="warning",
            timeout=12,
        )

    def refresh_pages(self) -> None:
        session = self.session
        self.pages = pages(session.form, session.assessment)
        by_page = findings_by_page(self.pages, session.findings)
        states = {p.id: state(p, session.assessment, by_page[p.id]) for p in self.pages}
        if self.current not in {p.id for p in self.pages}:
            self.current = self.pages[0].id
        self.query_one(Sidebar).show_pages(self.pages, states, self.current)
        self.query_one(ChecksPanel).show(by_page.get(self.current, []))
        self.app.sub_title = self._subtitle()

    def page(self, page_id: str | None = None) -> Page:
        wanted = page_id or self.current
        return next(p for p in self.pages if p.id == wanted)

    def show_page(self, page_id: str) -> None:
        self.current = page_id
        page = self.page(page_id)
        self.query_one("#page-title", Static).update(page.label)
        by_page = findings_by_page(self.pages, self.session.findings)
        self.query_one(ChecksPanel).show(by_page.get(page_id, []))
        self.query_one(Sidebar).select_page(page_id)
        self.run_worker(self._mount_page(self._build(page)), exclusive=True, group="page")

    async def _mount_page(self, widgets: list[Any]) -> None:
        body = self.query_one("#page-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        self._page_ready()

    def _page_ready(self) -> None:
        answers = self.query("#page-body .answer")
        if answers:
            answers.first().focus()
        self.post_message(self.PageShown(self.current))

    def _build(self, page: Page) -> list[Any]:
        session = self.session
        form, a = session.form, session.assessment
        ro = session.read_only or self.review
        widgets: list[Any] = []
        section = page.section
        if section is not None and section.help:
            widgets.append(Static(section.help, classes="hint", markup=False))
        if page.kind == "header":
            for h in form.header:
                if h.kind == "activity_type":
                    continue
                spec = FieldSpec(
                    ("header", h.id), h.label, h.kind, help=h.help, required=h.required, in_table=False
                )
                widgets.append(AnswerField(spec, a.header.get(h.id), None, read_only=ro))
        elif page.kind == "activity_type":
            h = next(h for h in form.header if h.kind == "activity_type")
            options = tuple(t.value for t in form.activity_types)
            spec = FieldSpec(
                ("header", h.id), h.label, "choice", options, help=h.help, required=True, in_table=False
            )
            widgets.append(AnswerField(spec, a.header.get(h.id), None, read_only=ro))
        elif page.kind == "relevance":
            widgets += self._relevance_rows()
        elif page.kind == "options":
            widgets += self._option_rows()
        elif page.kind == "action_plan":
            from eqia.tui.widgets.action_plan import ActionPlanView

            widgets.append(ActionPlanView(form, a.actions, read_only=ro, include=a.include))
        elif section is not None:
            cid = page.characteristic.id if page.characteristic else None
            asked: set[str] = set()
            for slot in slots(form, a, section, page.characteristic, shown_only=False, values=page.values):
                q = slot.question
                if q.each and q.id not in asked:
                    asked.add(q.id)
                    from eqia.document.form import fill

                    widgets.append(Static(fill(q.text, **page.values), classes="question each", markup=False))
                answer = slot.answer(a)
                if q.kind == "repeat":
                    from eqia.tui.widgets.repeat import RepeatField

                    repeat = RepeatField(
                        slot.key_path, slot.text, q, answer.rows if answer else [], read_only=ro
                    )
                    repeat.display = is_shown(form, a, q, section, cid)
                    widgets.append(repeat)
                    continue
                spec = FieldSpec(
                    slot.key_path,
                    slot.text,
                    q.kind,
                    q.options,
                    q.comment,
                    q.help or section.help,
                    q.required,
                    q.offers_action,
                    q.id,
                )
                field = AnswerField(
                    spec, answer.answer if answer else None, answer.comment if answer else None, read_only=ro
                )
                field.display = is_shown(form, a, q, section, cid)
                if self.review:
                    field.can_focus = True
                    field.review_notes = self._review_notes(spec)
                widgets.append(field)
        return widgets

    # -- review mode ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.REVIEW_ACTIONS:
            return self.review
        return True

    def _review_notes(self, spec: FieldSpec) -> str:
        key = dotted(spec.key)
        lines = []
        verdict = next((v for v in self.session.assessment.review.verdicts if v.key == key), None)
        if verdict is not None:
            lines.append(
                f"QC: {VERDICT_LABELS[verdict.verdict]}"
                + (f" \u2014 {verdict.comment}" if verdict.comment else "")
            )
        else:
            lines.append("QC: no verdict yet (1 acceptable, 2 improvable, 3 must correct, c comment)")
        for finding in self.session.findings:
            if tuple(finding.key_path[: len(spec.key)]) == tuple(spec.key):
                lines.append(f"{finding.rule} {finding.severity}: {finding.message}")
        return "\n".join(lines)

    def _focused_field(self) -> AnswerField | None:
        node = self.app.focused
        while node is not None and not isinstance(node, AnswerField):
            node = node.parent
        return node

    def action_verdict(self, verdict: str) -> None:
        field = self._focused_field()
        if field is None:
            self.notify("Move to a question first (tab), then give your verdict.", severity="warning")
            return
        key = dotted(field.spec.key)
        existing = next((v for v in self.session.assessment.review.verdicts if v.key == key), None)
        set_verdict(
            self.session.assessment, key, verdict, existing.comment if existing else "", self.reviewer
        )  # type: ignore[arg-type]
        self._verdict_changed(field)

    def action_verdict_comment(self) -> None:
        field = self._focused_field()
        if field is None:
            return
        key = dotted(field.spec.key)
        existing = next((v for v in self.session.assessment.review.verdicts if v.key == key), None)
        self.app.push_screen(
            PromptDialog(
                "QC comment",
                f"Your comment on \u201c{field.spec.label}\u201d:",
                existing.comment if existing else "",
            ),
            lambda text: self._set_comment(field, key, text),
        )

    def _set_comment(self, field: AnswerField, key: str, text: str | None) -> None:
        if text is None:
            return
        existing = next((v for v in self.session.assessment.review.verdicts if v.key == key), None)
        verdict = existing.verdict if existing else "improvable"
        set_verdict(self.session.assessment, key, verdict, text, self.reviewer)
        self._verdict_changed(field)

    def _verdict_changed(self, field: AnswerField) -> None:
        self.session.touch()
        field.show_review(self._review_notes(field.spec))
        self.changed()

    def action_decide(self, to: str) -> None:
        if self.reviewer:
            self._decide(to, self.reviewer)
            return
        self.app.push_screen(
            PromptDialog("Reviewer", "Your name, for the history:", ""), lambda name: self._decide(to, name)
        )

    def _decide(self, to: str, name: str | None) -> None:
        if not name:
            return
        try:
            transition(self.session.assessment, to, name)  # type: ignore[arg-type]
            self.reviewer = name
            self.session.touch()
            self.session.save()
        except ConflictError:
            self._conflict(quiet=False)
            return
        except EqiaError as exc:
            self.app.push_screen(MessageDialog("Not done", str(exc)))
            return
        self.app.sub_title = self._subtitle()
        self.notify(f"Marked {to} by {name}; saved.", title="Review")

    def _relevance_choices(self) -> list[tuple[str, str]]:
        wording = self.session.form.wording
        return [
            (wording("relevance_not", "Not Relevant"), "not"),
            (wording("relevance_relevant", "Relevant only"), "relevant"),
            (wording("relevance_full", "Full Assessment Required"), "full"),
        ]

    def _option_rows(self) -> list[Any]:
        """A switch for each optional group and section of the form."""
        from textual.widgets import Checkbox

        a, ro = self.session.assessment, self.session.read_only or self.review
        rows: list[Any] = []
        for oid, label in self.session.form.optional_items():
            box = Checkbox(label, oid in a.include, id=f"opt-{oid}", classes="answer option", disabled=ro)
            rows.append(box)
        if not rows:
            rows.append(Static("This form has no optional groups or sections.", classes="hint"))
        return rows

    def on_checkbox_changed(self, event: Message) -> None:
        box = event.checkbox  # type: ignore[attr-defined]
        if not (box.id or "").startswith("opt-") or self.session.read_only:
            return
        oid = box.id.removeprefix("opt-")
        if (oid in self.session.assessment.include) == box.value:
            return
        self.session.change(("include", oid), box.value)
        self.session.recheck()
        self.refresh_pages()
        self.changed()

    def on_repeat_field_row_removed(self, message: Message) -> None:
        if self.session.read_only:
            return
        self.session.remove_row(message.key_path, message.index)  # type: ignore[attr-defined]
        self.changed()
        self.show_page(self.current)

    def _relevance_rows(self) -> list[Any]:
        """One choice per characteristic: not relevant, relevant, or relevant with a full assessment."""
        a, ro = self.session.assessment, self.session.read_only
        choices = self._relevance_choices()
        rows: list[Any] = []
        for c in self.session.form.characteristics_in(a.include):
            rec = a.characteristics.get(c.id)
            if rec is None or rec.relevant is None:
                value: Any = Select.NULL
            else:
                value = "full" if rec.full_assessment else ("relevant" if rec.relevant else "not")
            select: Select[str] = Select(
                choices,
                value=value,
                id=f"rel-{c.id}",
                disabled=ro,
                prompt="Not decided yet",
                classes="answer",
            )
            rows.append(
                Horizontal(Static(c.label, classes="rel-name", markup=False), select, classes="rel-row")
            )
        return rows

    def on_sidebar_page_chosen(self, message: Sidebar.PageChosen) -> None:
        if message.page_id != self.current:
            self.show_page(message.page_id)

    def action_next_page(self) -> None:
        ids = [p.id for p in self.pages]
        i = ids.index(self.current)
        if i + 1 < len(ids):
            self.show_page(ids[i + 1])

    def action_previous_page(self) -> None:
        ids = [p.id for p in self.pages]
        i = ids.index(self.current)
        if i > 0:
            self.show_page(ids[i - 1])

    # -- changes ----------------------------------------------------------------------
    def on_action_plan_view_item_changed(self, message: Message) -> None:
        if self.session.read_only:
            return
        self.session.change(message.key_path, message.value)  # type: ignore[attr-defined]
        self.query_one("#action-plan").refresh_table()
        self.changed()

    def on_answer_field_changed(self, message: AnswerField.Changed) -> None:
        if self.session.read_only:
            return
        self.session.change(message.key_path, message.value)
        spec = message.field.spec
        if message.key_path == ("header", "activity_type"):
            self.refresh_pages()  # the activity type is filled into titles and questions
        if spec.kind in ("yes_no", "choice") and spec.in_table:
            self._update_visibility()
        if message.key_path[0] == "actions":
            self.query_one("#action-plan").refresh_table()
        page = self.page()
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
                lambda choice: self._add_action_for(choice, char.id, spec.label),
            )
        self.changed()

    def _add_action_for(self, choice: str | None, cid: str, issue: str) -> None:
        if choice == "add":
            index = self.session.add_action([cid], issue="")
            self.changed()
            self.notify(
                f"Action {index + 1} added for {self.session.form.characteristic(cid).label}; "
                "complete it in 5 Action Plan.",
                title="Action plan",
            )

    def _update_visibility(self) -> None:
        page = self.page()
        if page.section is None:
            return
        cid = page.characteristic.id if page.characteristic else None
        for field in self.query(AnswerField):
            q = page.section and next(
                (q for q in page.section.questions if q.id == field.spec.question_id), None
            )
            if q is not None and q.show_if:
                field.display = is_shown(self.session.form, self.session.assessment, q, page.section, cid)

    @on(Select.Changed)
    def _relevance_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id or ""
        if not select_id.startswith("rel-") or self.session.read_only or not isinstance(event.value, str):
            return
        cid = select_id.removeprefix("rel-")
        rec = self.session.assessment.characteristics.get(cid)
        relevant, full = {"not": (False, False), "relevant": (True, False), "full": (True, True)}[event.value]
        if rec is not None and rec.relevant == relevant and bool(rec.full_assessment) == full:
            return  # the page being built, or a choice put back
        if (
            rec is not None
            and rec.full_assessment
            and not full
            and any(not entry_is_empty(x) for x in rec.answers.values())
        ):
            label = self.session.form.characteristic(cid).label
            count = sum(1 for ans in rec.answers.values() if not entry_is_empty(ans))
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
                lambda choice: self._full_off(choice, cid, relevant, event.select),
            )
            return
        self._set_relevance(cid, relevant, full)

    def _set_relevance(self, cid: str, relevant: bool, full: bool) -> None:
        self.session.change(("characteristics", cid, "relevant"), relevant)
        self.session.change(("characteristics", cid, "full_assessment"), full)
        self.session.recheck()
        self.refresh_pages()
        self.changed()

    def _full_off(self, choice: str | None, cid: str, relevant: bool, select: Select[str]) -> None:
        if choice not in ("hide", "delete"):
            select.value = "full"  # put the choice back; the change handler sees nothing to do
            return
        if choice == "delete":
            self.session.assessment.characteristics[cid].answers.clear()
        self._set_relevance(cid, relevant, False)

    def on_action_plan_view_update_requested(self, message: Message) -> None:
        from eqia.tui.screens.progress_dialog import ProgressDialog

        index = message.index  # type: ignore[attr-defined]
        item = self.session.assessment.actions[index]
        self.app.push_screen(
            ProgressDialog(item.action or item.issue), lambda update: self._add_update(index, update)
        )

    def _add_update(self, index: int, update: dict[str, Any] | None) -> None:
        if not update:
            return
        self.session.add_update(index, **update)
        view = self.query_one("#action-plan")
        view.refresh_table()
        view.edit(index)
        self.changed()

    def on_action_plan_view_add_requested(self, message: Message) -> None:
        self.action_add_action()

    def action_add_action(self) -> None:
        if self.session.read_only or self.page().kind != "action_plan":
            return
        index = self.session.add_action()
        view = self.query_one("#action-plan")
        view.actions = self.session.assessment.actions
        view.refresh_table()
        view.edit(index)
        self.changed()

    def changed(self) -> None:
        """Something was typed: settle soon (checks, sidebar, recovery copy), autosave a little later."""
        self.app.sub_title = self._subtitle()
        if self._settle is not None:
            self._settle.stop()
        self._settle = self.set_timer(SETTLE_SECONDS, self.settle)
        self.schedule_autosave()

    def schedule_autosave(self) -> None:
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_SECONDS, self.autosave)

    def settle(self) -> None:
        self.session.recheck()
        self.refresh_pages()
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)

    @work(thread=True, exclusive=True, group="recovery")
    def keep_recovery(self, snapshot: Assessment) -> None:
        self.session.write_recovery(snapshot)

    # -- saving -----------------------------------------------------------------------
    def autosave(self) -> None:
        if self.session.dirty and not self.session.read_only and not self.conflict:
            self.save_now(quiet=True)

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
            self._ask_conflict()
            return
        self.save_now(quiet=False)

    def save_now(self, quiet: bool) -> None:
        self.run_save(self.session.snapshot(), quiet)

    @work(thread=True, exclusive=True, group="save")
    def run_save(self, snapshot: tuple[Assessment, int], quiet: bool) -> None:
        try:
            self.session.save(snapshot)
        except ConflictError:
            self.app.call_from_thread(self._conflict, quiet)
        except EqiaError as exc:
            self.app.call_from_thread(self._save_failed, exc)
        else:
            self.app.call_from_thread(self._saved, quiet)

    def _saved(self, quiet: bool) -> None:
        self.app.sub_title = self._subtitle()
        if not quiet:
            self.notify(f"Saved {self.session.path}.", title="Saved")

    def _save_failed(self, exc: EqiaError) -> None:
        self.app.push_screen(MessageDialog("Not saved", f"{exc}\n\nYour typing is kept in a recovery copy."))
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)

    def _conflict(self, quiet: bool) -> None:
        """Someone else saved the file. Say so; never pop a dialog into the middle of typing."""
        self.conflict = True
        banner = self.query_one("#banner", Static)
        banner.update(
            "Someone else saved this file since you opened it. Your typing is safe in a recovery copy; "
            "press ctrl+s to choose which version to keep."
        )
        banner.add_class("shown")
        snapshot, _ = self.session.snapshot()
        self.keep_recovery(snapshot)
        if not quiet:
            self._ask_conflict()

    def _ask_conflict(self) -> None:
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
            backup = session.keep_mine()
            self.notify(f"Saved your version; theirs is kept as {backup.name}.", title="Saved")
        elif choice == "theirs":
            session.keep_theirs()
            self.refresh_pages()
            self.show_page(self.current)
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
        self.app.sub_title = self._subtitle()

    def action_save_as(self) -> None:
        stem = self.session.path.stem
        suggestion = str(self.session.path.with_name(f"{stem}-copy.toml"))
        self.app.push_screen(
            PromptDialog("Save as", "Save this assessment to a new file:", suggestion), self._save_as
        )

    def _save_as(self, target: str | None) -> None:
        if not target:
            return
        try:
            self.session.save_as(target)
        except EqiaError as exc:
            self.app.push_screen(MessageDialog("Not saved", str(exc)))
            return
        self._conflict_resolved()
        self.notify(f"Saved as {target}.", title="Saved")

    # -- help, preview ----------------------------------------------------------------
    def action_help(self) -> None:
        focused = self.app.focused
        field = None
        node = focused
        while node is not None:
            if isinstance(node, AnswerField):
                field = node
                break
            node = node.parent
        page = self.page()
        if field is not None:
            title, text = field.spec.label, field.spec.help
        else:
            title, text = page.label, page.section.help if page.section else ""
        keys = (
            "\n\nKeys: ctrl+n next page · ctrl+b previous page · ctrl+s save · ctrl+r preview the report · "
            "ctrl+p command palette · tab moves between answers · ctrl+q quit."
        )
        self.app.push_screen(
            MessageDialog(title, (text or "There is no extra guidance for this question.") + keys)
        )

    def action_preview(self) -> None:
        from eqia.report.render_md import render_md
        from eqia.report.tree import build_report
        from eqia.tui.screens.preview import PreviewScreen

        report = build_report(self.session.form, self.session.assessment)
        self.app.push_screen(PreviewScreen(render_md(report)))

    def show_all_findings(self) -> None:
        findings = self.session.recheck()
        lines = [f"{f.rule} {f.severity}: {f.message}" for f in findings] or ["No findings."]
        self.app.push_screen(MessageDialog(f"Checks: {len(findings)} finding(s)", "\n".join(lines)))
