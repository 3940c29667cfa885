"""Provides the checks of timing, consistency and approval (EQ017-EQ022): decisions, the initial
analysis, approval fingerprints, open verdicts and closed actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from eqia.document import dates
from eqia.document.keypath import parse_dotted
from eqia.document.migrate import as_written
from eqia.document.model import is_blank
from eqia.document.outline import (
    section_label,
)
from eqia.quality.checks.base import (
    CheckContext,
    KeyPath,
    mentions,
)
from eqia.quality.review import approval_holds

# -- timing, consistency and approval ---------------------------------------------------


def decision_before_assessment(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The decision was taken before the assessment was first submitted or approved."""
    decided = ctx.assessment.header.get("decision_date")
    if not isinstance(decided, dt.date):
        return
    if isinstance(decided, dt.datetime):
        decided = decided.date()
    done = [e for e in ctx.assessment.review.history if e.status in ("submitted", "approved")]
    if not done:
        return
    first = min(done, key=lambda e: e.at)
    if first.at.date() > decided:
        yield (
            ("header", "decision_date"),
            f"the decision was taken before the assessment was completed: decided on "
            f"{dates.show(decided, ctx.form)}, but the assessment was first {first.status} on "
            f"{dates.show(first.at, ctx.form)}. Due regard must be had before and at the time of a "
            "decision, not after it.",
        )


def relevance_unexplained(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A relevant characteristic without full assessment that neither its relevance reason (where the
    form asks one) nor the initial analysis explains."""
    analysis = ctx.assessment.get("initial_analysis")
    parts = (analysis.answer, analysis.comment) if analysis else ()
    said = " ".join(part for part in parts if isinstance(part, str))
    for c in ctx.form.characteristics:
        rec = ctx.assessment.characteristics.get(c.id)
        if rec is None or rec.relevant is not True or rec.full_assessment is not False:
            continue
        if ctx.form.relevance.reasons and not is_blank(rec.reason):
            continue  # the reason beside the decision says why
        if not mentions(said, c):
            where = section_label(
                ctx.form, ctx.assessment, "the initial analysis", question="initial_analysis"
            )
            yield (
                ("characteristics", c.id, "full_assessment"),
                f"{c.label} is relevant but has no full assessment, and the analysis of the initial "
                f"assessment ({where}) does not mention it: say there why no full assessment is needed "
                f"for {c.group.lower()}.",
            )


def edited_after_approval(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An approved or published assessment whose content changed after approval (tracking its actions,
    with progress updates and closing them, is not a change)."""
    review = ctx.assessment.review
    if review.status in ("approved", "published") and not approval_holds(
        as_written(ctx.form, ctx.assessment)
    ):
        yield (
            ("review", "approved_hash"),
            f"the assessment is {review.status} but was edited after approval: its content no "
            "longer matches what the quality control officer approved. Submit it again for "
            "approval (in eqia edit: Submit for review), or undo the change.",
        )


def approved_without_hash(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An approved or published assessment with no record of what was approved."""
    review = ctx.assessment.review
    if review.status in ("approved", "published") and not review.approved_hash:
        yield (
            ("review", "approved_hash"),
            f"the assessment is {review.status} but has no approval fingerprint (approved_hash), so "
            "later edits cannot be detected. Approve it with `eqia` rather than by editing the status.",
        )


def must_correct_open(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An answer the quality control officer marked "must correct" (it blocks approval)."""
    review = ctx.assessment.review
    if review.status not in ("draft", "returned"):
        return
    for index, verdict in enumerate(review.verdicts):
        if verdict.verdict != "must_correct":
            continue
        note = f": {verdict.comment.strip()}" if verdict.comment.strip() else "."
        yield (
            parse_dotted(verdict.key) or ("review", "verdicts", index),
            f"quality control marked this answer \u201cmust correct\u201d{note} "
            "The assessment cannot be approved until it is corrected and the verdict changed.",
        )


def closed_without_update(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """An action-plan item closed without a final progress update."""
    for i, item in enumerate(ctx.assessment.actions):
        if item.closed and not item.updates:
            yield (
                ("actions", i, "closed"),
                (
                    f"action {i + 1} is closed but has no progress update; add a final update "
                    "(evidence of progress, grade and evidence of impact) before closing it."
                ),
            )
