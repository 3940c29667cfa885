"""Every section number a user reads in a finding comes from the form's outline, for every shipped form.

The checks name sections ("the action plan (7 Action plan)", "the relevance test (2.5 Relevance
test)"); these tests make every section-naming check fire on each shipped worked example (psed-england
twice: without and with its optional sections, which move the numbers) and hold each number they
print to the heading the assessment's outline gives it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eqia.document.model import Answer, CharacteristicRecord
from eqia.document.outline import numbered, section_label
from eqia.files.opening import open_assessment
from eqia.quality.checks import CHECKS, run_checks

ROOT = Path(__file__).resolve().parent.parent
#: Each shipped worked example, by a name that starts with its form's id.
EXAMPLES = {
    "birmingham-ea": ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml",
    "psed-england": ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
    "psed-england-procurement": ROOT / "assessments" / "EX-psed-home-support-recommissioning.toml",
    "nhs-ehia": ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml",
}
#: A section number as messages print it: "2.3 Relevance Test", "7 Action plan", "2.4", "section 5".
NUMBERED = re.compile(
    r"(?<![\w/.,:-])(\d+(?:\.\d+)*) (?=[A-Z])"
    r"|(?<![\w/.,:-])(\d+\.\d+(?:\.\d+)*)(?!\d)"
    r"|[Ss]ection (\d+(?:\.\d+)*)"
)


def provoked(example: str):
    """The example, changed so that every check that names a section fires."""
    opened = open_assessment(EXAMPLES[example])
    form, a = opened.form, opened.assessment.model_copy(deep=True)
    chars = [c for c in form.characteristics if not c.optional]
    undecided, stray, empty, unexplained, planned = chars[-1], chars[-2], chars[-3], chars[-4], chars[0]
    a.characteristics[undecided.id] = CharacteristicRecord()  # EQ005
    a.characteristics[stray.id] = CharacteristicRecord(  # EQ003: answers, but no full assessment
        relevant=True, full_assessment=False, answers={"evidence": Answer(answer="Yes")}
    )
    a.characteristics[empty.id] = CharacteristicRecord(relevant=True, full_assessment=True)  # EQ009
    a.characteristics[unexplained.id] = CharacteristicRecord(relevant=True, full_assessment=False)  # EQ018
    a.answers["initial_analysis"] = Answer(answer="Nothing here names any group at all, on purpose.")
    record = a.characteristics.setdefault(planned.id, CharacteristicRecord())
    record.relevant = record.full_assessment = True
    record.answers["further_action_plan"] = Answer(answer="Yes")  # EQ013: no action for it
    a.actions = [act for act in a.actions if planned.id not in act.characteristics]
    return form, a


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_every_section_number_in_a_finding_is_the_outlines(example: str) -> None:
    form, a = provoked(example)
    headings = {e.number: e.title for e in numbered(form, a)}
    findings = run_checks(form, a)
    fired = {f.rule for f in findings}
    assert {"EQ003", "EQ005", "EQ009", "EQ013", "EQ018"} <= fired, fired
    named = 0
    for f in findings:
        for match in NUMBERED.finditer(f.message):
            number = match.group(1) or match.group(2) or match.group(3)
            assert number in headings, f"{f.rule} names section {number}, not in {example}: {f.message}"
            at = match.start(match.lastindex or 0)
            assert f.message[at:].startswith(f"{number} {headings[number]}"), f.message
            named += 1
    assert named >= 5


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_messages_use_the_forms_own_words(example: str) -> None:
    form, a = provoked(example)
    by_rule = {}
    for f in run_checks(form, a):
        by_rule.setdefault(f.rule, f.message)
    action_plan = section_label(form, a, kind="action_plan")
    relevance = section_label(form, a, kind="relevance")
    analysis = section_label(form, a, question="initial_analysis")
    assert action_plan and relevance and analysis
    assert action_plan in by_rule["EQ013"]
    assert relevance in by_rule["EQ005"] and relevance in by_rule["EQ009"]
    assert analysis in by_rule["EQ018"]
    full = form.relevance_wording("full")
    assert full in by_rule["EQ003"] and full in by_rule["EQ009"]
    if example != "birmingham-ea":  # Birmingham's own words must not leak into other forms
        for message in by_rule.values():
            assert "Full Assessment Required" not in message
            assert "impact, consultation, additional work" not in message


def test_psed_england_action_plan_is_section_7() -> None:
    form, a = provoked("psed-england")
    message = next(f.message for f in run_checks(form, a) if f.rule == "EQ013")
    assert "(7 " in message and "5 Action Plan" not in message and "section 5" not in message


def test_psed_england_action_plan_is_section_8_with_human_rights_and_procurement() -> None:
    form, a = provoked("psed-england-procurement")
    message = next(f.message for f in run_checks(form, a) if f.rule == "EQ013")
    assert "(8 Action plan)" in message and "(7 " not in message


def test_rule_summaries_name_no_section_number() -> None:
    for check in CHECKS:
        assert not re.search(r"\b\d+\.\d+\b|section \d", check.summary), (check.id, check.summary)
