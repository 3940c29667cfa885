"""Provides the check of relevance reasons (EQ025): a characteristic found not relevant, in a form that
asks why, must say why. That reason is what a court or a quality control officer reads first."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.model import is_blank
from eqia.quality.checks.base import CheckContext, KeyPath, boilerplate, relevance_label, short


def relevance_reason_missing(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A characteristic found not relevant without a reason, in a form that asks for one."""
    form, a = ctx.form, ctx.assessment
    if not form.relevance.reasons:
        return
    for c in form.characteristics_in(a.include):
        rec = a.characteristics.get(c.id)
        if rec is None or rec.relevant is not False:
            continue
        said = ""
        if rec.reason is not None and boilerplate(rec.reason):
            said = f" (\u201c{short(rec.reason.strip(), 30)}\u201d says nothing)"
        if is_blank(rec.reason) or said:
            yield (
                ("characteristics", c.id, "reason"),
                f"{c.label} is \u201c{form.relevance_wording('not')}\u201d with no reason given{said}: "
                f"say in \u201c{form.wording('relevance_reason')}\u201d beside it ({relevance_label(ctx)}) "
                f"why the decision does not affect {c.group.lower()}.",
            )
