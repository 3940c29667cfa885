"""Provides the page widgets, one per kind of page of the walkthrough, and build_page to pick one."""

from __future__ import annotations

from eqia.document.form import FormSpec
from eqia.document.model import Assessment
from eqia.tui.pages.base import PageView, ReviewNotes
from eqia.usecases.pages import Page


def page_class(kind: str) -> type[PageView]:
    """The widget class for a kind of page (header, activity_type, questions, relevance, options,
    action_plan)."""
    # Each page's module is imported when such a page is first shown: the first page of `eqia edit`
    # then loads only the Textual widgets it uses (a DataTable or a SelectionList cost start-up time).
    if kind == "header":
        from eqia.tui.pages.header import HeaderPage  # deferred: see above

        return HeaderPage
    if kind == "activity_type":
        from eqia.tui.pages.header import ActivityTypePage  # deferred: see above

        return ActivityTypePage
    if kind == "relevance":
        from eqia.tui.pages.relevance import RelevancePage  # deferred: see above

        return RelevancePage
    if kind == "options":
        from eqia.tui.pages.options import OptionsPage  # deferred: see above

        return OptionsPage
    if kind == "action_plan":
        from eqia.tui.pages.action_plan import ActionPlanPage  # deferred: see above

        return ActionPlanPage
    from eqia.tui.pages.questions import QuestionsPage  # deferred: see above

    return QuestionsPage


def build_page(
    page: Page, form: FormSpec, assessment: Assessment, *, read_only: bool, notes: ReviewNotes | None = None
) -> PageView:
    """The widget for one page, built from the form and the assessment."""
    return page_class(page.kind)(form, assessment, page, read_only=read_only, notes=notes)
