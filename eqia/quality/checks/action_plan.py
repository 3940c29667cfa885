"""Provides the check that each item of the action plan says what it is for, what will be done, by
whom and by when (EQ024)."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.model import ActionItem, is_blank
from eqia.quality.checks.base import CheckContext, KeyPath, action_plan_label, join

#: The fields every action needs, in the form's order: the issue it answers, what will be done, by
#: whom and by when, as each shipped form's action plan asks. The success measure and resources are
#: asked for but may follow later, with the progress updates.
REQUIRED_ACTION_FIELDS: tuple[str, ...] = ("issue", "action", "owner", "target_date")

#: What an action needs to count as planned for its characteristics (EQ013): what, who and when.
COUNTING_FIELDS: tuple[str, ...] = ("action", "owner", "target_date")


def counts(item: ActionItem) -> bool:
    """Whether an action says what will be done, by whom and by when, so it counts as planned."""
    return not any(is_blank(getattr(item, name)) for name in COUNTING_FIELDS)


def action_incomplete(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An action of the action plan without its issue, what will be done, by whom or by when."""
    form = ctx.form
    for index, item in enumerate(ctx.assessment.actions):
        missing = [name for name in REQUIRED_ACTION_FIELDS if is_blank(getattr(item, name))]
        if not missing:
            continue
        labels = [f"\u201c{form.action_label(name)}\u201d" for name in missing]
        yield (
            ("actions", index, missing[0]),
            f"{action_plan_label(ctx)}: {form.action_label('item')} {index + 1} has no {join(labels)}. "
            "Each action says which issue it answers, what will be done, by whom and by when.",
        )
