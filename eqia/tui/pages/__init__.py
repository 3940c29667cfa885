"""Provides the page widgets, one per kind of page of the walkthrough, and build_page to pick one."""

from __future__ import annotations

from eqia.document.form import FormSpec
from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.tui.pages.header import ActivityTypePage, HeaderPage
from eqia.tui.pages.questions import QuestionsPage
from eqia.usecases.pages import Page


def page_class(kind: str) -> type[PageView]:
    """The widget class for a kind of page (header, activity_type, questions, relevance, options,
    action_plan)."""
    # The relevance, options and action-plan pages are imported when one is first shown: their
    # Textual widgets (Select, Checkbox, DataTable, SelectionList) would slow `eqia edit`'s start.
    if kind == "relevance":
        from eqia.tui.pages.relevance import RelevancePage  # deferred: see above

        return RelevancePage
    if kind == "options":
        from eqia.tui.pages.options import OptionsPage  # deferred: see above

        return OptionsPage
    if kind == "action_plan":
        from eqia.tui.pages.action_plan import ActionPlanPage  # deferred: see above

        return ActionPlanPage
    return {"header": HeaderPage, "activity_type": ActivityTypePage}.get(kind, QuestionsPage)


def build_page(
    page: Page, form: FormSpec, assessment: Assessment, *, read_only: bool, notes: ReviewNotes | None = None
) -> PageView:
    """The widget for one page, built from the form and the assessment."""
    return page_class(page.kind)(form, assessment, page, read_only=read_only, notes=notes)
