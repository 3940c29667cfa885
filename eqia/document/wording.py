"""Provides the wording eqia uses where a form's [text] table does not set its own: the labels of
the action plan, the relevance test's choices, the progress update report, the published register,
and every other wording key a form may set (TEXT_DEFAULTS), with the wordings that are templates
(TEXT_PLACEHOLDERS)."""

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

#: The published register's wording (eqia site, eqia.report.site_pages). On an assessment's own page
#: and its part of a characteristic's page a form may set its own (text.site_<key>); the register's
#: index and the headings shared by assessments of several forms use these.
SITE_LABELS: dict[str, str] = {
    "title": "Equality impact assessments",
    "intro": (
        "Every equality impact assessment we have published, the most recent decision first. Each has a "
        "page of its own, with its report to read on the page or download as a PDF or Word document."
    ),
    "count": "Published assessments: {count}.",
    "find": "Find an assessment",
    "search": "Search names and summaries",
    "directorate_filter": "Directorate or department",
    "characteristic_filter": "Protected characteristic (full assessment)",
    "year_filter": "Year of decision",
    "any": "All",
    "shown": "{shown} of {total} assessments shown",
    "register": "Published assessments",
    "reference": "Reference",
    "name": "Name",
    "directorate": "Directorate or department",
    "decision_date": "Decision date",
    "review_date": "Review date",
    "full_assessment": "Full assessment",
    "open_actions": "Open actions",
    "characteristics": "Protected characteristics",
    "characteristic_count": "found relevant by {count}",
    "home": "All assessments",
    "breadcrumb": "You are here",
    "summary": "Summary",
    "relevant_to": "Protected characteristics it found relevant:",
    "downloads": "Download the report",
    "pdf": "PDF",
    "docx": "Word document",
    "action_plan": "Action plan",
    "item": "Item",
    "history": "History",
    "date": "Date",
    "status": "Status",
    "by": "By",
    "status_draft": "Draft",
    "status_submitted": "Submitted for review",
    "status_returned": "Returned to its author",
    "status_approved": "Approved",
    "status_published": "Published",
    "no_history": "No changes of status are recorded.",
    "characteristic_intro": "Published assessments that found this characteristic relevant: {count}.",
    "characteristic_none": "No published assessment found this characteristic relevant.",
    "decision": "Relevance",
    "impacts": "What the assessment found",
    "actions_for": "Actions for this characteristic",
    "no_actions_for": "No actions for this characteristic.",
    "no_summary": "No summary has been given.",
}

#: The wordings of the [text] table that are templates, and the placeholders each may use.
TEXT_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "progress_reported_on": frozenset({"date"}),
    "progress_earlier": frozenset({"action"}),
    "site_count": frozenset({"count"}),
    "site_shown": frozenset({"shown", "total"}),
    "site_characteristic_count": frozenset({"count"}),
    "site_characteristic_intro": frozenset({"count"}),
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
    **{f"site_{key}": label for key, label in SITE_LABELS.items()},
}
