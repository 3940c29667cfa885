"""Provides the checks: pure functions of (form, assessment) that return findings.

Each check has a stable id (EQ001...) that never changes meaning, a slug, a
default severity and a one-line summary (its docstring's first line), and is
listed once in CHECKS. `eqia check --list-rules` prints them.
"""

from __future__ import annotations

import datetime as dt

from eqia.document.form import FormSpec
from eqia.document.model import Assessment
from eqia.quality.checks.action_plan import action_incomplete
from eqia.quality.checks.approval import (
    approved_without_hash,
    closed_without_update,
    decision_before_assessment,
    edited_after_approval,
    must_correct_open,
    relevance_unexplained,
)
from eqia.quality.checks.base import SEVERITY_RANK, Check, CheckContext, Finding, Severity
from eqia.quality.checks.conflicts import unresolved_conflicts
from eqia.quality.checks.due_regard import (
    action_plan_missing,
    evidence_conflict,
    full_assessment_empty,
    no_evidence_plan,
    views_not_sought,
)
from eqia.quality.checks.form_rules import form_rule_errors, form_rule_warnings
from eqia.quality.checks.privacy import personal_data
from eqia.quality.checks.readability import summary_readability
from eqia.quality.checks.reasons import relevance_reason_missing
from eqia.quality.checks.structure import (
    answer_kinds,
    form_version,
    hidden_answers,
    relevance_undecided,
    required_missing,
    review_date_past,
    unassessed_answers,
    unknown_keys,
    unparsed_values,
)
from eqia.quality.checks.writing import (
    answer_too_short,
    boilerplate_answers,
    repeated_answers,
)

__all__ = ["CHECKS", "SEVERITY_RANK", "Check", "CheckContext", "Finding", "Severity", "run_checks"]

CHECKS: tuple[Check, ...] = (
    Check("EQ001", "unknown-key", "error", unknown_keys),
    Check("EQ002", "answer-kind", "error", answer_kinds),
    Check("EQ003", "unassessed-answers", "error", unassessed_answers),
    Check("EQ004", "required-missing", "error", required_missing),
    Check("EQ005", "relevance-undecided", "error", relevance_undecided),
    Check("EQ006", "hidden-answer", "warning", hidden_answers),
    Check("EQ007", "form-version", "warning", form_version),
    Check("EQ008", "review-date-past", "warning", review_date_past),
    Check("EQ009", "full-assessment-empty", "error", full_assessment_empty),
    Check("EQ010", "no-evidence-plan", "error", no_evidence_plan),
    Check("EQ011", "evidence-conflict", "warning", evidence_conflict),
    Check("EQ012", "views-not-sought", "warning", views_not_sought),
    Check("EQ013", "action-plan-missing", "error", action_plan_missing),
    Check("EQ014", "boilerplate-answer", "warning", boilerplate_answers),
    Check("EQ015", "repeated-answer", "info", repeated_answers),
    Check("EQ016", "answer-too-short", "warning", answer_too_short),
    Check("EQ017", "decision-before-ea", "error", decision_before_assessment),
    Check("EQ018", "relevance-unexplained", "warning", relevance_unexplained),
    Check("EQ019", "edited-after-approval", "error", edited_after_approval),
    Check("EQ020", "approved-no-hash", "warning", approved_without_hash),
    Check("EQ021", "must-correct-open", "info", must_correct_open),
    Check("EQ022", "closed-without-update", "error", closed_without_update),
    Check("EQ023", "unparsed-value", "error", unparsed_values),
    Check("EQ024", "action-incomplete", "error", action_incomplete),
    Check("EQ025", "relevance-reason-missing", "error", relevance_reason_missing),
    Check("EQ026", "form-rule", "error", form_rule_errors),
    Check("EQ027", "form-rule-warning", "warning", form_rule_warnings),
    Check("EQ028", "personal-data", "error", personal_data),
    Check("EQ029", "summary-readability", "warning", summary_readability),
    Check("EQ030", "merge-conflict", "error", unresolved_conflicts),
)


def run_checks(form: FormSpec, assessment: Assessment, today: dt.date | None = None) -> list[Finding]:
    """All findings for an assessment, in registry order."""
    ctx = CheckContext(form, assessment, today or dt.date.today())
    return [
        Finding(check.id, check.slug, check.severity, tuple(path), message)
        for check in CHECKS
        for path, message in check.fn(ctx)
    ]
