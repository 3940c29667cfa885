"""Provides HeaderPage (the form's header fields) and ActivityTypePage (what kind of activity it is)."""

from __future__ import annotations

from textual.app import ComposeResult

from eqia.tui.pages.base import PageView
from eqia.tui.widgets.fields import AnswerField, FieldSpec


class HeaderPage(PageView):
    """The header's fields, one per line of the form's header, except the activity type."""

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        for h in self.form.header:
            if h.kind == "activity_type":
                continue
            spec = FieldSpec(
                ("header", h.id),
                h.label,
                h.kind,
                help=h.help,
                required=h.required,
                in_table=False,
                date_format=self.form.date_format,
            )
            yield AnswerField(
                spec,
                self.assessment.header.get(h.id),
                None,
                read_only=self.read_only,
                typed=self.typed(spec),
            )


class ActivityTypePage(PageView):
    """One choice among the form's activity types (Policy, Function, New Service, ...)."""

    def compose(self) -> ComposeResult:
        yield from self.help_hint()
        h = next(h for h in self.form.header if h.kind == "activity_type")
        options = tuple(t.value for t in self.form.activity_types)
        spec = FieldSpec(
            ("header", h.id), h.label, "choice", options, help=h.help, required=True, in_table=False
        )
        yield AnswerField(spec, self.assessment.header.get(h.id), None, read_only=self.read_only)
