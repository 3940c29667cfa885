"""Provides the wording eqia uses where a form's [text] table does not set its own: the labels of
the action plan, the relevance test's choices, the progress update report, and every other wording
key a form may set (TEXT_DEFAULTS), with the wordings that are templates (TEXT_PLACEHOLDERS)."""

from __future__ import annotations

#: Labels of the action-plan fields when a form does not word them (text.action_<field>); "item" is
#: the word for one item, numbered in the app ("Action 2") and in the checks' findings.
ACTION_LABELS = {
    "item": "Action",
    "issue": "Issue or adverse impact",
    "characteristics": "Protected characteristic(s)",
    "action": "Action",
    "owner": "Responsible officer",
    "target_date": "Target date",
    "success_measure": "Success measure",
    "resources": "Resources",
    "latest_progress": "Latest progress",
}


#: The relevance test's choices when a form does not word them (text.relevance_<choice>).
RELEVANCE_LABELS = {
    "not": "Not relevant",
    "relevant": "Relevant only",
    "full": "Full assessment required",
}

#: The progress update report's wording (eqia.report.progress). Where one is "", the report uses
#: the form's label of the same action field (text.action_owner, ...).
PROGRESS_LABELS: dict[str, str] = {
    "title": "Progress update",
    "intro": (
        "Progress on each action of the action plan: what was agreed, the evidence of progress, "
        "an assessment of progress graded 1 to 4 (see the gradings at the end) and any evidence of impact."
    ),
    "reported_on": "Reported on {date}.",
    "none": "There are no assessments to report on.",
    "review_date": "Review date",
    "actions": "Actions",
    "owner": "",
    "target_date": "",
    "no_target_date": "No target date",
    "overdue": "overdue",
    "action": "",
    "success_measure": "",
    "evidence": "Evidence of progress",
    "grade": "Assessment of progress",
    "impact": "Evidence of impact",
    "reported_by": "Reported by",
    "status": "Status",
    "closed": "Closed",
    "no_update": "No progress update has been recorded for this action yet.",
    "not_graded": "Not graded yet",
    "earlier": "Earlier updates on {action}:",
    "date": "Date",
    "grading_key": "Assessment of progress gradings",
    "grade_column": "Grade",
    "meaning_column": "Meaning",
}

#: The wordings of the [text] table that are templates, and the placeholders each may use.
TEXT_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "progress_reported_on": frozenset({"date"}),
    "progress_earlier": frozenset({"action"}),
}

#: Every wording a form may set in its [text] table, and what is used when it does not.
TEXT_DEFAULTS: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "relevant": "Relevant",
    "not_relevant": "Not relevant",
    "relevance_table_heading": "Protected characteristic",
    "relevant_column": "Relevant",
    "full_assessment_column": "Full assessment required",
    "options_column": "Optional section or group",
    "included_column": "Included",
    "comment_label": "Comment:",
    "no_actions": "There are no actions.",
    "activity_statement": "{a_activity_type}",
    "relevance_reason": "Reason",
    "relevance_reason_column": "Reason",
    **{f"relevance_{choice}": label for choice, label in RELEVANCE_LABELS.items()},
    **{f"action_{field}": label for field, label in ACTION_LABELS.items()},
    "skip_link": "Skip to content",
    **{f"progress_{key}": label for key, label in PROGRESS_LABELS.items()},
}
