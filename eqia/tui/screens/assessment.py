"""Provides AssessmentScreen: what the editing and the review screens share. It arranges one
assessment page by page (page list, page title, the page's widget, its findings), moves between
pages, and offers help, the report preview, the checks and export."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from eqia.document.keypath import dotted, parse_dotted
from eqia.document.migrate import orphans
from eqia.errors import ConflictError, EqiaError
from eqia.tui.commands import Command, ScreenCommands
from eqia.tui.pages import build_page
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.tui.screens.dialogs import MessageDialog
from eqia.tui.screens.saving import SavingScreen
from eqia.tui.widgets.checks_panel import ChecksPanel
from eqia.tui.widgets.fields import AnswerField
from eqia.tui.widgets.sidebar import Sidebar
from eqia.usecases.pages import Page, findings_by_page, outline, page_of, pages, state
from eqia.usecases.session import EditSession

if TYPE_CHECKING:
    from eqia.tui.screens.export_dialog import ExportChoice

# Deferred imports: the report (for the preview, with Textual's Markdown viewer), the export dialog
# and the export use case load when first asked for, not with the screen, so `eqia edit` opens quickly.

NAVIGATION: list[Binding] = [
    # Keys typed after a page change, before the new page is up, wait for it (EqiaApp holds them).
    # Back and Preview stay out of the footer, which keeps each screen's own keys in 80 columns; the
    # help (F1) lists them.
    Binding("ctrl+n", "next_page", "Next", tooltip="Next page", id="next-section"),
    Binding("ctrl+b", "previous_page", "Back", tooltip="Previous page", show=False, id="previous-section"),
    Binding("ctrl+r", "preview", "Preview", tooltip="Preview the report", show=False, id="preview"),
    Binding("f1", "help", "Help", tooltip="Help: the question's guidance and these keys", id="help"),
    Binding("question_mark", "help", "Help", show=False),
]
"""The keys both screens have; each screen lists them among its own, in the order the footer shows."""


SWAP_SECONDS = 3.0
"""Keys typed while a page is being put up wait for it, at most this long."""
PAGE_ACTIONS = frozenset({"next_page", "previous_page"})


class AssessmentScreen(SavingScreen):
    """One assessment, page by page. Subclasses add what the user can change and their keys."""

    @dataclass
    class PageShown(Message):
        """A page is on screen, its first answer focused: the user can type."""

        page_id: str

    COMMANDS = {ScreenCommands}
    HELP_NOTE = ""
    """A sentence the help (F1) adds after the keys of this screen."""

    def __init__(self, session: EditSession) -> None:
        super().__init__(session)
        self.pages = pages(session.form, session.assessment)
        self.current = self._first_page_needing_work()
        self._swap = 1
        """Counts page changes; odd while a page is being put up (keys typed then wait for it)."""
        self._swap_started = time.monotonic()
        self._expected: object | None = None
        """The key of a page change on its way (through the focused widget, after the keys before it)."""
        self._request = 0
        """Counts pages asked for: only the latest is put up (one at a time, never cancelled half-way)."""
        self._page_lock = asyncio.Lock()
        self.focus_key: str | None = None
        """An answer (dotted key path) to put the focus in once its page is up."""

    @property
    def answers_read_only(self) -> bool:
        """No answer can change here: the file is read-only, or this is a review."""
        return self.session.read_only or self.session.answers_locked

    @property
    def accepting_keys(self) -> bool:
        """False while a page is being put up: keys typed meanwhile wait (EqiaApp holds them), so they
        go to the new page's first answer, never into the page on its way out."""
        return self._swap % 2 == 0 or time.monotonic() - self._swap_started > SWAP_SECONDS

    def changes_page(self, key: str) -> bool:
        """Whether a key is bound to a page change on this screen."""
        return any(b.action in PAGE_ACTIONS for b in self._bindings.key_to_bindings.get(key, ()))

    def expect_page_change(self, key: object) -> None:
        """A page-change key has arrived: keys after it wait until the page is up (or the key turns out
        not to change page: see key_done)."""
        self._expected = key
        self._swap_begins()

    def key_done(self, key: object) -> None:
        """A key has been handled; if it was the page change expected and none began, stop waiting."""
        if key is self._expected:
            self._expected = None
            self._swap_ends()

    def _swap_begins(self) -> None:
        if self._swap % 2 == 0:
            self._swap += 1
        self._swap_started = time.monotonic()

    def _swap_ends(self) -> None:
        if self._swap % 2 == 1:
            self._swap += 1
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            self.app.call_later(release)

    def keep_typing(self) -> None:
        """Apply at once what the answer widgets hold that has not reached the session yet (typing
        whose messages are still queued): before a save, a quit, a page change or a recovery copy."""
        for field in self.query(AnswerField):
            for message in field.pending():
                self.apply_typing(message)

    def apply_typing(self, message: AnswerField.Changed | AnswerField.Unparsed) -> None:
        """Apply one change typed into an answer (the editing screen does; a review changes none)."""

    def notes(self) -> ReviewNotes | None:
        """Review mode: the notes under each answer a verdict can be given on."""
        return None

    def opened(self) -> None:
        """The screen is up: anything to offer or say when a file is opened."""

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            with Vertical(id="content"):
                yield Static("", id="banner", markup=False)
                yield Static(self.title_of(self.page()), id="page-title", markup=False)
                # The first page is composed with the screen: one layout pass, a quicker start.
                yield VerticalScroll(self.build_view(self.page()), id="page-body", can_focus=False)
                yield ChecksPanel("", id="checks")
        yield Footer(compact=True)  # compact: the most important keys fit in 80 columns

    def on_mount(self) -> None:
        self.app.sub_title = self.subtitle()
        self.refresh_pages()
        self.query_one(Sidebar).select_page(self.current)
        self.call_after_refresh(self._first_page_ready)
        if self.session.read_only:
            self.notify(
                "This file is read-only: you can read it, but eqia will not save over it.",
                title="Read-only",
                severity="warning",
                timeout=8,
            )
        self._form_version_notice()
        self.opened()

    def _first_page_needing_work(self) -> str:
        """Open where work is needed: the first page not complete (a new assessment: the header)."""
        by_page = findings_by_page(self.pages, self.session.findings)
        for page in self.pages:
            if state(page, self.session.assessment, by_page[page.id]) != "complete":
                return page.id
        return self.pages[0].id

    def _form_version_notice(self) -> None:
        """Say so when the form has moved on since the assessment was written."""
        form, a = self.session.form, self.session.assessment
        if a.form_version == form.version:
            return
        moved, kept = len(self.session.moved), len(orphans(form, a))
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

    # -- pages --------------------------------------------------------------------------
    def build_view(self, page: Page) -> PageView:
        session = self.session
        return build_page(
            page, session.form, session.assessment, read_only=self.answers_read_only, notes=self.notes()
        )

    def page_view(self) -> PageView | None:
        """The widget of the page on screen, once it is built (None while pages are swapped)."""
        for view in self.query(PageView):
            if view.is_mounted and view.is_attached and not view._closing:
                return view
        return None

    def refresh_pages(self) -> None:
        session = self.session
        self.pages = pages(session.form, session.assessment)
        by_page = findings_by_page(self.pages, session.findings)
        if self.current not in {p.id for p in self.pages}:
            self.current = self.pages[0].id
        self.query_one("#page-title", Static).update(self.title_of(self.page()))
        rows = outline(session.form, session.assessment, self.pages, session.findings)
        self.query_one(Sidebar).show_outline(rows, self.current)
        self.query_one(ChecksPanel).show(by_page.get(self.current, []))
        self.app.sub_title = self.subtitle()
        self.call_after_refresh(self._focus_in_view)

    def _focus_in_view(self) -> None:
        """The findings under the page take more or fewer lines now: keep the focused answer in view."""
        body = self.query_one("#page-body", VerticalScroll)
        if self.focused is not None and body in self.focused.ancestors:
            body.scroll_to_widget(self.focused, animate=False)

    def settled(self) -> None:
        self.refresh_pages()

    def reloaded(self) -> None:
        self.refresh_pages()
        self.show_page(self.current)

    def title_of(self, page: Page) -> str:
        """A page's number and title, and whether its answers can change (in words, not colour)."""
        return f"{page.label} (read-only)" if self.answers_read_only else page.label

    def page(self, page_id: str | None = None) -> Page:
        wanted = page_id or self.current
        return next(p for p in self.pages if p.id == wanted)

    def show_page(self, page_id: str) -> None:
        self.keep_typing()  # the page's widgets go: what they hold must not go with them
        self._expected = None  # the page change expected is this one
        self._swap_begins()
        self.set_focus(None)  # keys already on their way find no answer of the page that goes
        self.current = page_id
        page = self.page(page_id)
        self.query_one("#page-title", Static).update(self.title_of(page))
        by_page = findings_by_page(self.pages, self.session.findings)
        self.query_one(ChecksPanel).show(by_page.get(page_id, []))
        self.query_one(Sidebar).select_page(page_id)
        self._request += 1
        self.run_worker(partial(self._mount_page, self._request), group="page")

    async def _mount_page(self, request: int) -> None:
        # One page change at a time, and never cancelled half-way: a page half taken down (a drop-down
        # without its list, an action plan without its table) would take keys it cannot handle.
        async with self._page_lock:
            if request != self._request:
                return  # a later page change puts its page up
            try:
                view = self.build_view(self.page())
                body = self.query_one("#page-body", VerticalScroll)
                await body.remove_children()
                await body.mount(view)
                body.scroll_home(animate=False)
                self._page_ready()
            finally:
                if request == self._request:
                    self._swap_ends()

    def focus_start(self, view: PageView) -> None:
        """A page is up: put the focus where the user starts on it (a review: the first answer to judge)."""
        view.focus_first()

    def _page_ready(self) -> None:
        view = self.page_view()
        if view is not None:
            self.focus_start(view)
        self.focus_pending_key()
        self.post_message(self.PageShown(self.current))

    def page_of_key(self, key: str) -> Page | None:
        """The page an answer (a dotted key path) is on."""
        key_path = parse_dotted(key)
        return page_of(self.pages, key_path) if key_path is not None else None

    def go_to_key(self, key: str) -> None:
        """Show the page of an answer (a dotted key path) and put the focus in it."""
        self.focus_key = key
        page = self.page_of_key(key)
        if page is not None and page.id != self.current:
            self.show_page(page.id)
        else:
            self.focus_pending_key()

    def focus_pending_key(self) -> None:
        key, self.focus_key = self.focus_key, None
        if key is None:
            return
        for field in self.query(AnswerField):
            if dotted(field.spec.answer_key) == key:
                widget = field.query(".answer").first()
                if widget.focusable:
                    widget.focus()
                return

    def _first_page_ready(self) -> None:
        try:
            self._page_ready()
        finally:
            if self._swap == 1:
                self._swap_ends()

    def on_sidebar_page_chosen(self, message: Sidebar.PageChosen) -> None:
        if message.key is not None:
            self.go_to_key(message.key)
        elif message.page_id != self.current:
            self.show_page(message.page_id)

    def action_next_page(self) -> None:
        ids = [p.id for p in self.pages]
        i = ids.index(self.current)
        if i + 1 < len(ids):
            self.show_page(ids[i + 1])
        else:
            self.notify("This is the last page.", markup=False)

    def action_previous_page(self) -> None:
        ids = [p.id for p in self.pages]
        i = ids.index(self.current)
        if i > 0:
            self.show_page(ids[i - 1])
        else:
            self.notify("This is the first page.", markup=False)

    def focused_field(self) -> AnswerField | None:
        """The answer field that has the focus, or holds the widget that has it (the screen's own focus:
        the command palette or a dialog on top does not change it)."""
        node = self.focused
        while node is not None and not isinstance(node, AnswerField):
            node = node.parent
        return node

    # -- help, preview, checks, export --------------------------------------------------
    def action_help(self) -> None:
        from eqia.tui.keys import keys_of  # deferred: only when help is asked for

        field = self.focused_field()
        page = self.page()
        if field is not None:
            title, text = field.spec.label, field.spec.help
        else:
            title, text = page.label, page.section.help if page.section else ""
        text = text or "There is no extra guidance for this question."
        view = self.page_view()
        keys = keys_of(self, [view] if view is not None else [])
        width = max(len(key) for key, _ in keys)
        listed = "\n".join(f"  {key:<{width}}  {what}" for key, what in keys)
        note = f"\n\n{self.HELP_NOTE}" if self.HELP_NOTE else ""
        self.app.push_screen(MessageDialog(title, f"{text}\n\nKeys on this screen:\n{listed}{note}"))

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

    def palette_commands(self) -> list[Command]:
        """The command palette's entries for this screen (see eqia.tui.commands)."""
        commands = []
        if self.conflict:
            commands.append(
                Command("Choose which version to keep", "Someone else saved this file", self.ask_conflict)
            )
        commands += [
            Command("Preview report", "The report as it will be exported (ctrl+r)", self.action_preview),
            Command("Check", "Every finding of eqia check for this assessment", self.show_all_findings),
            Command(
                "Export…",
                "Write the report as text, Markdown, web page, Word or PDF, to a folder you choose",
                self.action_export,
            ),
        ]
        for page in self.pages:
            commands.append(
                Command(f"Go to {page.label}", "Jump to this page", lambda i=page.id: self.show_page(i))
            )
        return commands

    def action_export(self) -> None:
        """Ask which formats and which folder (exports/ beside the file), then export."""
        from eqia.tui.screens.export_dialog import ExportDialog
        from eqia.usecases.export import FORMATS

        if self.conflict:
            self.ask_conflict()
            return
        folder = self.session.path.resolve().parent / "exports"
        self.app.push_screen(ExportDialog(FORMATS, folder), self.export)

    def export(self, choice: ExportChoice | None) -> None:
        """Write the report in the formats chosen, saving unsaved changes first."""
        if choice is None:
            return
        session = self.session
        if self.conflict:
            self.ask_conflict()
            return
        snapshot = session.snapshot() if session.dirty and not session.read_only else None
        self.notify(
            f"Writing {', '.join(choice.formats)} to {choice.folder}\u2026", title="Exporting", timeout=2
        )
        self.run_export(choice, snapshot)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, choice: ExportChoice, snapshot: tuple | None) -> None:
        from eqia.usecases.export import export_one, plan_names

        session = self.session
        try:
            if snapshot is not None:
                session.save(snapshot)
                self.app.call_from_thread(self._saved, True)
            choice.folder.mkdir(parents=True, exist_ok=True)
        except ConflictError:
            self.app.call_from_thread(self.conflicted, False)
            return
        except OSError as exc:
            message = f"{choice.folder}: the folder cannot be made ({exc.strerror})."
            self.app.call_from_thread(self.app.push_screen, MessageDialog("Export failed", message))
            return
        except EqiaError as exc:
            self.app.call_from_thread(self.app.push_screen, MessageDialog("Export failed", str(exc)))
            return
        path = session.path
        result = export_one((str(path), plan_names([path])[0], choice.formats, str(choice.folder)))
        written = "\n".join(f"  {Path(output).name}" for output in result.outputs)
        if result.error:
            done = f"\n\nWritten before it stopped, in {choice.folder}:\n{written}" if written else ""
            message = f"{result.error['text']}{done}"
            self.app.call_from_thread(self.app.push_screen, MessageDialog("Export failed", message))
        else:
            count = len(result.outputs)
            message = f"{count} file{'s' if count != 1 else ''} written to {choice.folder}:\n{written}"
            self.app.call_from_thread(self.app.push_screen, MessageDialog("Exported", message))
