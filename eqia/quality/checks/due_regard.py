"""Provides the checks of due regard (EQ009-EQ013): full assessments answered, evidence, consultation
and the action plan."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.model import entry_is_empty
from eqia.document.outline import (
    assessed,
    characteristic_pages,
    heading_label,
)
from eqia.quality.checks.action_plan import counts
from eqia.quality.checks.base import (
    CheckContext,
    KeyPath,
    action_plan_label,
    answered,
    join,
    relevance_label,
    unexplained,
    where,
)

# -- due regard: completeness, evidence, consultation --------------------------------


def full_assessment_empty(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A characteristic marked for full assessment with none of its questions answered."""
    for c in assessed(ctx.form, ctx.assessment):
        rec = ctx.assessment.characteristics[c.id]
        if all(entry_is_empty(entry) for entry in rec.answers.values()):
            pages = [heading_label(e) for e in characteristic_pages(ctx.form, ctx.assessment, c.id)]
            where = f" ({join(pages)})" if pages else ""
            yield (
                ("characteristics", c.id, "answers"),
                f"{c.label} is marked \u201c{ctx.form.relevance_wording('full')}\u201d but none of its "
                f"full-assessment questions{where} is answered. Complete its pages, or change the "
                f"relevance test ({relevance_label(ctx)}) if no full assessment is needed.",
            )


def no_evidence_plan(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """No evidence for a characteristic, and no word on what evidence will be gathered."""
    for slot, _, answer in answered(ctx, "evidence", "No"):
        if unexplained(ctx, answer.comment):
            yield (
                (*slot.key_path, "comment"),
                f"{where(slot)}there is no evidence to support the assessment. Say in the comment "
                "what evidence will be gathered, from where and by when: a decision needs an "
                "informed view of its effect on this group.",
            )


def evidence_conflict(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Evidence that does not present a consistent view, with no comment explaining how."""
    for slot, _, answer in answered(ctx, "consistent_view", "No"):
        if unexplained(ctx, answer.comment):
            yield (
                (*slot.key_path, "comment"),
                f"{where(slot)}the evidence does not present a consistent view. Say in the comment "
                "where the sources disagree and which one the assessment relies on, and why.",
            )


def views_not_sought(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Views of the group or of stakeholders not obtained, with no reason given."""
    for qid, whose in (("views_of_group", "{group}"), ("views_of_stakeholders", "relevant stakeholders")):
        for slot, c, answer in answered(ctx, qid, "No"):
            if not unexplained(ctx, answer.comment):
                continue
            who = whose.format(group=c.group.lower())
            yield (
                (*slot.key_path, "comment"),
                f"{where(slot)}the views of {who} were not obtained. Say in the comment why not, "
                "or how and when they will be sought: the decision-maker needs to know what "
                "those affected think.",
            )


def action_plan_missing(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A further action plan is required for a characteristic, but no action for it says what will
    be done, by whom and by when (an action with only its characteristics does not count)."""
    actions = ctx.assessment.actions
    planned = {cid for action in actions if counts(action) for cid in action.characteristics}
    for slot, c, _ in answered(ctx, "further_action_plan", "Yes"):
        if not slot.question.offers_action or c.id in planned:
            continue
        started = [i for i, action in enumerate(actions, start=1) if c.id in action.characteristics]
        if started:
            item = f"{ctx.form.wording('action_item')} {started[0]}"
            yield (
                (*slot.key_path, "answer"),
                f"{where(slot)}a further action plan is required, but {item} of the action plan "
                f"({action_plan_label(ctx)}), the one for {c.label}, does not yet say what will be "
                "done, by whom and by when, so it does not count.",
            )
            continue
        yield (
            (*slot.key_path, "answer"),
            f"{where(slot)}a further action plan is required, but no item of the action plan "
            f"({action_plan_label(ctx)}) is for {c.label}. Add one: what will be done, by whom and "
            "by when.",
        )
