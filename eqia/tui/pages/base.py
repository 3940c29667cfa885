"""Provides PageView: what every page widget has (its page, the form, the assessment, read-only or not).

A page widget is built from the form's data and the assessment, and only draws them: a change the
user makes goes up as a message (AnswerField.Changed, or the page's own), the screen applies it
through the edit session, then calls show_state so the page shows what the assessment now says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from eqia.document.form import FormSpec
from eqia.document.keypath import dotted
from eqia.document.model import Assessment
from eqia.tui.widgets.fields import FieldSpec
from eqia.usecases.pages import Page

LAYOUT_TRIES = 20
"""How many draws _keep_focus_in_view waits for the focused answer to have its place on screen: on a
loaded two-core machine a page of many answers took more than 5 to lay out, and the answer chosen
in the sidebar was left off screen. Each try costs nothing until the next draw."""

ReviewNotes = Callable[[FieldSpec], str]
"""In review mode: the verdict and findings to show under an answer."""


class PageView(Vertical):
    """One page of the walkthrough; subclasses compose its widgets."""

    def __init__(
        self,
        form: FormSpec,
        assessment: Assessment,
        page: Page,
        *,
        read_only: bool,
        notes: ReviewNotes | None = None,
    ) -> None:
        super().__init__(classes="page")
        self.form = form
        self.assessment = assessment
        self.page = page
        self.read_only = read_only
        """Answers cannot change: a read-only file, or a review. Every control that would change one
        is disabled or read-only."""
        self.notes = notes
        """Review mode: notes for each answer a verdict can be given on; such answers take focus."""

    def typed(self, spec: FieldSpec) -> str | None:
        """Text kept as typed at a field's answer because it could not be read (a date that is not one)."""
        return self.assessment.unparsed.get(dotted(spec.answer_key))

    def help_hint(self) -> Iterator[Widget]:
        """The section's guidance from the form, above its questions."""
        section = self.page.section
        if section is not None and section.help:
            yield Static(section.help, classes="hint", markup=False)

    def show_state(self, assessment: Assessment) -> None:
        """The assessment changed (through the session): show what it says now."""
        self.assessment = assessment

    def on_resize(self) -> None:
        # The page grew or shrank under the focus (a table filled in once its width was known, a
        # follow-up shown): the answer being typed must stay in view.
        self.call_after_refresh(self._keep_focus_in_view)

    def on_descendant_focus(self) -> None:
        # Textual scrolls to a newly focused widget smoothly, from where it was when focus moved; on a
        # slow machine the page can change under that scroll and it stops short. Once the page is drawn,
        # the focused answer is in view, whatever happened meanwhile.
        self.call_after_refresh(self._keep_focus_in_view)

    def _keep_focus_in_view(self, tries: int = LAYOUT_TRIES) -> None:
        focused = self.screen.focused if self.is_attached else None
        body = self.parent
        if focused is None or not isinstance(body, Widget) or self not in focused.ancestors:
            return
        region, view = focused.region, body.region
        if not region and tries > 0:  # not laid out yet (a page just put up): look after the next draw
            self.call_after_refresh(self._keep_focus_in_view, tries - 1)
            return
        if view.contains_region(region) or (region.height > view.height and region.overlaps(view)):
            return
        body.scroll_to_widget(focused, animate=False, top=region.height > view.height)

    def focus_first(self) -> None:
        """Focus the first thing on the page that takes focus: an answer, or in review an answer field.

        Without Textual's own scroll: it centres a widget it cannot see whole, and on a page still being
        laid out (the findings under it not yet drawn) that scrolls the page's start away for good.
        _keep_focus_in_view brings the answer into view once the page is drawn."""
        for widget in self.query(".answer, AnswerField"):
            if widget.focusable and self._shown(widget):
                widget.focus(scroll_visible=False)
                return

    def _shown(self, widget: Widget) -> bool:
        """Whether a widget is displayed: neither it nor a parent up to the page is hidden."""
        node: Widget | None = widget
        while node is not None and node is not self:
            if not node.display:
                return False
            node = node.parent if isinstance(node.parent, Widget) else None
        return True
