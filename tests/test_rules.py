"""The due-regard checks EQ009-EQ021: each fires on a crafted bad assessment, and the worked example
EA002326 stays free of errors (what it does report is legitimate, and said why below)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from eqia.document.form import FormSpec
from eqia.document.model import ActionItem, Answer, Assessment, CharacteristicRecord, HistoryEntry, Status
from eqia.files import store
from eqia.quality.checks import CHECKS, Finding, run_checks
from eqia.quality.review import content_hash, set_verdict, transition

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
RunCli = Callable[..., Result]

#: Before the example's review date (31/10/2018), so EQ008 stays out of the way.
TODAY = dt.date(2018, 3, 1)

NEW_RULES = {
    "EQ009": ("full-assessment-empty", "error"),
    "EQ010": ("no-evidence-plan", "error"),
    "EQ011": ("evidence-conflict", "warning"),
    "EQ012": ("views-not-sought", "warning"),
    "EQ013": ("action-plan-missing", "error"),
    "EQ014": ("boilerplate-answer", "warning"),
    "EQ015": ("repeated-answer", "info"),
    "EQ016": ("answer-too-short", "warning"),
    "EQ017": ("decision-before-ea", "error"),
    "EQ018": ("relevance-unexplained", "warning"),
    "EQ019": ("edited-after-approval", "error"),
    "EQ020": ("approved-no-hash", "warning"),
    "EQ021": ("must-correct-open", "info"),
    "EQ022": ("closed-without-update", "error"),
    "EQ023": ("unparsed-value", "error"),
    "EQ024": ("action-incomplete", "error"),
    "EQ025": ("relevance-reason-missing", "error"),
    "EQ026": ("form-rule", "error"),
    "EQ027": ("form-rule-warning", "warning"),
    "EQ028": ("personal-data", "error"),
    "EQ029": ("summary-readability", "warning"),
    "EQ030": ("merge-conflict", "error"),
}


def example() -> Assessment:
    return store.load(EXAMPLE)


def found(form: FormSpec, a: Assessment, rule: str) -> list[Finding]:
    return [f for f in run_checks(form, a, today=TODAY) if f.rule == rule]


def one(form: FormSpec, a: Assessment, rule: str) -> Finding:
    findings = found(form, a, rule)
    assert len(findings) == 1, findings
    finding = findings[0]
    assert (finding.slug, finding.severity) == NEW_RULES[rule]
    return finding


def char_answer(a: Assessment, cid: str, qid: str, answer: str | None, comment: str | None = None) -> None:
    a.characteristics[cid].answers[qid] = Answer(answer=answer, comment=comment)


def age_path(qid: str, part: str) -> tuple[str, ...]:
    return ("characteristics", "age", "answers", qid, part)


# -- the registry ------------------------------------------------------------------------


def test_new_rules_are_registered_after_eq008_in_order() -> None:
    ids = [c.id for c in CHECKS]
    assert ids[:8] == [f"EQ00{n}" for n in range(1, 9)], "existing ids never move or change meaning"
    assert ids[8:] == list(NEW_RULES)
    for check in CHECKS[8:]:
        assert (check.slug, check.severity) == NEW_RULES[check.id]
        assert check.summary and "\n" not in check.summary


# -- the worked example -------------------------------------------------------------------


def test_example_has_no_errors_and_only_repeated_text_notes(form: FormSpec) -> None:
    findings = run_checks(form, example(), today=TODAY)
    assert [f for f in findings if f.severity == "error"] == []
    # With a date before its review date the only findings are EQ015 notes (see the next test).
    assert {f.rule for f in findings} == {"EQ015"}
    # Later, the long-past review date (31/10/2018) adds the EQ008 warning, and nothing else.
    later = run_checks(form, example(), today=dt.date(2026, 1, 1))
    assert {f.rule for f in later} == {"EQ008", "EQ015"}


def test_example_repeated_consultation_text_is_info_not_warning(form: FormSpec) -> None:
    # EA002326 ran one consultation for the whole strategy (5 April - 4 July 2017) and pastes the
    # same description of it for Disability, Religion or Belief and Gender; likewise the same
    # "how the framework meets needs" paragraph for Disability, Gender and Race. That is legitimate
    # (the facts are shared), so the rule only notes it (info), never warns: a quality control
    # officer glances at whether anything particular to each group was lost. Race's and Age's copies
    # differ ("etc." and a different first paragraph), so they are not counted.
    findings = found(form, example(), "EQ015")
    assert {f.severity for f in findings} == {"info"}
    paths = {f.key_path for f in findings}
    expected = {
        ("characteristics", cid, "answers", qid, "answer")
        for qid, cids in (
            ("meets_needs", ("disability", "gender", "race")),
            ("views_of_group_how", ("disability", "religion_belief", "gender")),
            ("views_of_stakeholders_how", ("disability", "religion_belief", "gender")),
        )
        for cid in cids
    }
    assert paths == expected
    gender = next(f for f in findings if f.key_path[1:4] == ("gender", "answers", "meets_needs"))
    assert gender.message.startswith("Gender: ")
    assert "Disability and Race" in gender.message and "men and women" in gender.message


# Why each new rule is silent on EA002326, where it is.
SILENT_ON_EXAMPLE = {
    "EQ009": "every characteristic marked for full assessment has its pages answered",
    "EQ010": "evidence is Yes for all five assessed characteristics",
    "EQ011": "every source presents a consistent view (Yes)",
    "EQ012": "views of the group and of stakeholders were obtained (Yes) for all five",
    "EQ013": "no further action plan is required (No) for any characteristic, and there are no actions",
    "EQ014": "no answer is N/A, none, TBC or the like",
    "EQ016": "every text answer is at least a full sentence (the shortest is over 70 characters)",
    "EQ017": "there is no decision date (the header field is new and optional)",
    "EQ018": "every relevant characteristic has a full assessment, so none needs a word in 2.4",
    "EQ019": "it is a draft, not approved",
    "EQ020": "it is a draft, not approved",
    "EQ021": "no quality control verdicts are recorded",
    "EQ024": "every action says what, by whom and by when",
    "EQ025": "each characteristic found Not Relevant has its reason beside it",
}


@pytest.mark.parametrize("rule", sorted(SILENT_ON_EXAMPLE))
def test_rule_is_silent_on_the_example(form: FormSpec, rule: str) -> None:
    assert found(form, example(), rule) == [], SILENT_ON_EXAMPLE[rule]


def test_checks_do_not_change_the_assessment(form: FormSpec) -> None:
    a = example()
    before = (content_hash(a), a.review.model_dump())
    run_checks(form, a, today=TODAY)
    assert (content_hash(a), a.review.model_dump()) == before


# -- completeness ------------------------------------------------------------------------------


def test_full_assessment_without_any_answer(form: FormSpec) -> None:
    a = example()
    a.characteristics["sexual_orientation"] = CharacteristicRecord(relevant=True, full_assessment=True)
    finding = one(form, a, "EQ009")
    assert finding.key_path == ("characteristics", "sexual_orientation", "answers")
    assert "Sexual Orientation" in finding.message
    # EQ004 still names each missing answer; EQ009 says the section is absent as a whole.
    assert any(f.rule == "EQ004" and f.key_path[1] == "sexual_orientation" for f in run_checks(form, a))
    # One answer (even only a comment) means the section was started: EQ004 takes over.
    char_answer(a, "sexual_orientation", "meets_needs", None, "Drafting with the LGBT network.")
    assert found(form, a, "EQ009") == []


# -- evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [None, "", "N/A", "tbc", "Survey"])
def test_no_evidence_without_saying_what_will_be_gathered(form: FormSpec, comment: str | None) -> None:
    a = example()
    char_answer(a, "age", "evidence", "No", comment)
    finding = one(form, a, "EQ010")
    assert finding.key_path == age_path("evidence", "comment")
    assert finding.message.startswith("Age: ") and "what evidence will be gathered" in finding.message


def test_no_evidence_with_a_plan_is_fine(form: FormSpec) -> None:
    a = example()
    char_answer(a, "age", "evidence", "No", "We will survey users aged 18-24 by June 2018.")
    assert found(form, a, "EQ010") == []


def test_evidence_yes_without_source_is_left_to_eq004(form: FormSpec) -> None:
    a = example()
    del a.characteristics["age"].answers["evidence_source"]
    rules = {f.rule for f in run_checks(form, a, today=TODAY) if f.key_path[:2] == ("characteristics", "age")}
    assert rules == {"EQ004"}, "a required answer: reported once, by EQ004, not again"


def test_inconsistent_evidence_without_explanation(form: FormSpec) -> None:
    a = example()
    char_answer(a, "race", "consistent_view", "No")
    finding = one(form, a, "EQ011")
    assert finding.key_path == ("characteristics", "race", "answers", "consistent_view", "comment")
    assert finding.message.startswith("Race: ")
    char_answer(a, "race", "consistent_view", "No", "Carefirst undercounts Pakistani users aged 65+.")
    assert found(form, a, "EQ011") == []


def test_inconsistent_view_hidden_when_no_evidence_is_not_reported(form: FormSpec) -> None:
    # With evidence No the form does not ask about consistency; a leftover answer is EQ006's business.
    a = example()
    char_answer(a, "race", "evidence", "No", "Ethnicity monitoring will be added to the new contracts.")
    char_answer(a, "race", "consistent_view", "No")
    assert found(form, a, "EQ011") == []


# -- consultation ------------------------------------------------------------------------------


def test_views_of_group_not_obtained_without_reason(form: FormSpec) -> None:
    a = example()
    del a.characteristics["disability"].answers["views_of_group_how"]
    char_answer(a, "disability", "views_of_group", "No", "-")
    finding = one(form, a, "EQ012")
    assert finding.key_path == ("characteristics", "disability", "answers", "views_of_group", "comment")
    assert finding.message.startswith("Disability: ") and "individuals with a disability" in finding.message


def test_views_of_stakeholders_not_obtained_without_reason(form: FormSpec) -> None:
    a = example()
    del a.characteristics["gender"].answers["views_of_stakeholders_how"]
    char_answer(a, "gender", "views_of_stakeholders", "No")
    finding = one(form, a, "EQ012")
    assert finding.key_path == ("characteristics", "gender", "answers", "views_of_stakeholders", "comment")
    assert "relevant stakeholders" in finding.message
    reason = "Women's Aid will be consulted on the draft contract in May."
    char_answer(a, "gender", "views_of_stakeholders", "No", reason)
    assert found(form, a, "EQ012") == []


def test_further_action_plan_without_an_action(form: FormSpec) -> None:
    a = example()
    char_answer(a, "race", "further_action_plan", "Yes")
    finding = one(form, a, "EQ013")
    assert finding.key_path == ("characteristics", "race", "answers", "further_action_plan", "answer")
    assert "for Race" in finding.message
    a.actions.append(ActionItem(issue="Low take-up among older Pakistani citizens", characteristics=["age"]))
    assert len(found(form, a, "EQ013")) == 1, "an action for another characteristic does not count"
    a.actions.append(ActionItem(issue="Low take-up", characteristics=["age", "race"], closed=True))
    (started,) = found(form, a, "EQ013")
    assert "Action 2" in started.message and "does not count" in started.message, (
        "an action with only its issue and characteristics is not yet a plan"
    )
    a.actions[1].action = "Run outreach sessions at the mosque and community centre"
    a.actions[1].owner = "Community Engagement Officer"
    assert len(found(form, a, "EQ013")) == 1, "still no date: by when is part of the plan"
    a.actions[1].target_date = dt.date(2027, 3, 31)
    assert found(form, a, "EQ013") == []


def test_an_action_needs_its_issue_action_officer_and_date(form: FormSpec) -> None:
    a = example()
    a.actions.append(ActionItem(characteristics=["age"]))
    finding = one(form, a, "EQ024")
    assert finding.key_path == ("actions", 0, "issue")
    assert finding.message.startswith(
        "5 Action Plan: Action 1 has no \u201cIssue or adverse impact\u201d, \u201cAction\u201d, "
        "\u201cResponsible officer\u201d and \u201cTarget date\u201d."
    )
    a.actions.append(ActionItem(issue="Low take-up", action="Leaflets", owner="Jo", target_date=TODAY))
    a.actions[0] = ActionItem(issue="Low take-up", action="  ", owner="Jo", characteristics=["age"])
    finding = one(form, a, "EQ024")
    assert finding.key_path == ("actions", 0, "action"), "blank text is no answer"
    assert "Action 1 has no \u201cAction\u201d and \u201cTarget date\u201d." in finding.message
    a.actions[0] = a.actions[1].model_copy(update={"success_measure": "", "resources": ""})
    assert found(form, a, "EQ024") == [], "the success measure and resources may follow later"


# -- quality of the writing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["N/A", "NA", "n/a", "None", "nil.", "No impact", "Not applicable.", "-", "TBC", " n / a ", "..."],
)
def test_boilerplate_answer(form: FormSpec, text: str) -> None:
    a = example()
    char_answer(a, "age", "evidence_source", text)
    finding = one(form, a, "EQ014")
    assert finding.key_path == age_path("evidence_source", "answer")
    assert finding.message.startswith("Age: ")
    assert found(form, a, "EQ016") == [], "reported as boilerplate, not again as too short"


def test_boilerplate_is_the_whole_answer_not_a_word_in_it(form: FormSpec) -> None:
    a = example()
    char_answer(a, "age", "evidence_source", "None recorded yet; a survey of carers is planned for May.")
    a.answers["initial_analysis"] = Answer(answer="n/a")  # assessment-level answers count too
    [finding] = found(form, a, "EQ014")
    assert finding.key_path == ("answers", "initial_analysis", "answer")


def test_repeated_text_counts_after_normalising_whitespace(form: FormSpec) -> None:
    a = example()
    pasted = a.value("views_of_group_how", "disability")
    assert isinstance(pasted, str)
    char_answer(a, "race", "views_of_group_how", "  " + pasted.replace("\n\n", "\n").replace(" ", "  "))
    paths = {f.key_path for f in found(form, a, "EQ015")}
    assert ("characteristics", "race", "answers", "views_of_group_how", "answer") in paths


def test_short_or_twice_repeated_text_is_not_reported(form: FormSpec) -> None:
    a = example()
    short = "Consultation feedback, 2017."  # under 40 characters: a phrase, not a pasted paragraph
    for cid in ("age", "disability", "gender", "race"):
        char_answer(a, cid, "evidence_source", short)
    # Gender gets its own text: only Disability and Religion or Belief now share the pasted one.
    char_answer(a, "gender", "views_of_group_how", "Face to face discussions with the Women's Network.")
    paths = {f.key_path[1:4] for f in found(form, a, "EQ015")}
    assert not any(p[2] == "evidence_source" for p in paths)
    assert ("disability", "answers", "views_of_group_how") not in paths


def test_answer_too_short(form: FormSpec) -> None:
    minimum = form.form.min_explanation_length
    a = example()
    char_answer(a, "age", "evidence_source", "Carefirst")
    finding = one(form, a, "EQ016")
    assert finding.key_path == age_path("evidence_source", "answer")
    assert finding.message.startswith("Age: ") and str(minimum) in finding.message
    char_answer(a, "age", "evidence_source", "x" * (minimum - 1))
    assert len(found(form, a, "EQ016")) == 1
    char_answer(a, "age", "evidence_source", "x" * minimum)
    assert found(form, a, "EQ016") == []


def test_too_short_skips_yes_no_and_dates(form: FormSpec) -> None:
    # Yes/No answers and the review date are short by nature; only kind "text" is measured.
    a = example()
    assert a.value("evidence", "age") == "Yes"
    assert isinstance(a.value("review_date"), dt.date)
    assert found(form, a, "EQ016") == []


# -- timing --------------------------------------------------------------------------------------


def test_form_has_an_optional_decision_date_after_the_qc_officer(form: FormSpec) -> None:
    ids = [h.id for h in form.header]
    assert ids[ids.index("quality_control_officer") + 1] == "decision_date"
    field = form.header[ids.index("decision_date")]
    assert (field.label, field.kind, field.required) == ("Decision Date", "date", False)
    assert field.help


def history(*entries: tuple[Status, str]) -> list[HistoryEntry]:
    return [HistoryEntry(status=s, by="Kim", at=dt.datetime.fromisoformat(at)) for s, at in entries]


def test_decision_before_the_assessment_was_completed(form: FormSpec) -> None:
    a = example()
    a.header["decision_date"] = dt.date(2017, 9, 12)
    a.review.history = history(("submitted", "2017-10-02T09:00:00"), ("approved", "2017-10-09T09:00:00"))
    finding = one(form, a, "EQ017")
    assert finding.key_path == ("header", "decision_date")
    assert "the decision was taken before the assessment was completed" in finding.message
    assert "12/09/17" in finding.message and "02/10/17" in finding.message


@pytest.mark.parametrize(
    "entries",
    [
        (),  # not yet submitted: nothing shows the order yet
        (("submitted", "2017-09-01T10:00:00"),),
        (("submitted", "2017-09-12T08:00:00"),),  # the same day, before the meeting
        (("submitted", "2017-09-01T10:00:00"), ("returned", "2017-09-05T10:00:00")),
    ],
)
def test_decision_after_completion_is_fine(form: FormSpec, entries: tuple[tuple[Status, str], ...]) -> None:
    a = example()
    a.header["decision_date"] = dt.date(2017, 9, 12)
    a.review.history = history(*entries)
    assert found(form, a, "EQ017") == []


def test_decision_date_must_be_a_date(form: FormSpec) -> None:
    a = example()
    a.header["decision_date"] = "12 Sept"
    assert found(form, a, "EQ017") == []
    assert [f.key_path for f in found(form, a, "EQ002")] == [("header", "decision_date")]


# -- consistency ----------------------------------------------------------------------------------


def test_relevant_only_without_a_word_in_2_4(form: FormSpec) -> None:
    a = example()
    a.characteristics["sexual_orientation"] = CharacteristicRecord(relevant=True, full_assessment=False)
    finding = one(form, a, "EQ018")
    assert finding.key_path == ("characteristics", "sexual_orientation", "full_assessment")
    assert "Sexual Orientation" in finding.message
    assert "(2.4 Analysis on Initial Assessment)" in finding.message
    analysis = a.value("initial_analysis")
    assert isinstance(analysis, str)
    added = "\n\nSexual orientation: relevant, but the contracts treat all orientations alike."
    a.answers["initial_analysis"] = Answer(answer=analysis + added)
    assert found(form, a, "EQ018") == []


def test_relevant_only_mentioned_by_group_wording(form: FormSpec) -> None:
    a = example()
    a.characteristics["pregnancy_maternity"] = CharacteristicRecord(relevant=True, full_assessment=False)
    assert len(found(form, a, "EQ018")) == 1
    text = "INDIVIDUALS WHO ARE PREGNANT OR ON MATERNITY LEAVE are covered by the NHS contract."
    a.answers["initial_analysis"] = Answer(answer=text)
    assert found(form, a, "EQ018") == []


def test_relevant_only_mention_is_a_whole_word(form: FormSpec) -> None:
    # The example's 2.4 says "packages" but never "age": that is no mention of Age.
    a = example()
    a.characteristics["age"] = CharacteristicRecord(relevant=True, full_assessment=False)
    assert "packages" in str(a.value("initial_analysis"))
    assert [f.key_path for f in found(form, a, "EQ018")] == [("characteristics", "age", "full_assessment")]


# -- approval and verdicts -------------------------------------------------------------------------


def approved() -> Assessment:
    a = example()
    transition(a, "submitted", by="Sharon", now=dt.datetime(2017, 9, 1, 9))
    transition(a, "approved", by="QC", now=dt.datetime(2017, 9, 4, 9))
    return a


def test_approved_and_unchanged_is_fine(form: FormSpec) -> None:
    a = approved()
    assert a.review.approved_hash == content_hash(a)
    assert found(form, a, "EQ019") == [] and found(form, a, "EQ020") == []


@pytest.mark.parametrize("status", ["approved", "published"])
def test_edited_after_approval(form: FormSpec, status: str) -> None:
    a = approved()
    if status == "published":
        transition(a, "published", by="QC", now=dt.datetime(2017, 9, 5, 9))
    char_answer(a, "age", "evidence_source", "Care records only.")
    finding = one(form, a, "EQ019")
    assert finding.key_path == ("review", "approved_hash")
    assert "edited after approval" in finding.message and status in finding.message


def test_approved_without_hash(form: FormSpec) -> None:
    a = example()
    a.review.status = "approved"  # set by hand, not through eqia
    finding = one(form, a, "EQ020")
    assert finding.key_path == ("review", "approved_hash")
    assert found(form, a, "EQ019") == [], "no hash: nothing to compare, EQ020 says so"


def test_must_correct_verdict_is_noted_while_draft_or_returned(form: FormSpec) -> None:
    a = example()
    key = "characteristics.age.answers.evidence_source"
    set_verdict(a, key, "must_correct", comment="Name the consultation report.", by="QC")
    set_verdict(a, "actions[1].owner", "must_correct", by="QC")
    set_verdict(a, "characteristics.race.answers.evidence", "improvable", by="QC")
    findings = found(form, a, "EQ021")
    assert [f.key_path for f in findings] == [
        ("characteristics", "age", "answers", "evidence_source"),
        ("actions", 0, "owner"),
    ]
    assert {f.severity for f in findings} == {"info"}
    assert "Name the consultation report." in findings[0].message
    transition(a, "submitted", by="Sharon")
    assert found(form, a, "EQ021") == [], "while submitted it is the QC officer's own open question"


# -- the command line ------------------------------------------------------------------------------


def test_cli_severity_threshold_on_a_file_with_only_a_warning(
    form: FormSpec, run_cli: RunCli, tmp_path: Path
) -> None:
    a = example()
    a.answers["review_date"] = Answer(answer=dt.date(2099, 10, 31))  # no EQ008 whatever today is
    for cid, qid in (
        ("disability", "meets_needs"),
        ("disability", "views_of_group_how"),
        ("disability", "views_of_stakeholders_how"),
    ):  # make the pasted texts differ, so that no EQ015 note is left
        text = a.value(qid, cid)
        assert isinstance(text, str)
        char_answer(a, cid, qid, text + " Easy-read versions were provided.")
    char_answer(a, "age", "evidence_source", "Carefirst")  # the one warning: EQ016
    path = tmp_path / "one-warning.toml"
    store.save(a, path, form)
    [finding] = run_checks(form, store.load(path))
    assert (finding.rule, finding.severity) == ("EQ016", "warning")

    default = run_cli("check", path)
    assert default.exit_code == 0, default.output
    assert f"{path}: 0 errors, 1 warning, 0 info" in default.stdout
    strict = run_cli("check", "--severity", "warning", path)
    assert strict.exit_code == 1
    assert "EQ016 warning [characteristics.age.answers.evidence_source.answer]" in strict.stdout


def test_cli_example_folder_has_no_errors(run_cli: RunCli) -> None:
    result = run_cli("check", ROOT / "assessments")
    assert result.exit_code == 0, result.output
    assert " 0 errors," in result.stdout


def test_cli_lists_every_new_rule(run_cli: RunCli) -> None:
    result = run_cli("check", "--list-rules")
    assert result.exit_code == 0
    lines = {line.split()[0]: line.split()[1:3] for line in result.stdout.splitlines()}
    for rule, (slug, severity) in NEW_RULES.items():
        assert lines[rule] == [slug, severity], rule
