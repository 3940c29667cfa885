"""The consistency rules a form states as data ([[rules]]): checked with key path, line and the
form's own section number, and refused by `eqia forms check` when they name what is not there."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import tomlkit
from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
HOME_SUPPORT = ROOT / "assessments" / "EX-psed-home-support-recommissioning.toml"
PSED = ROOT / "forms" / "psed-england.toml"


def check(path: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert "Traceback" not in result.output
    return json.loads(result.stdout)["files"][0]["findings"] if result.stdout.startswith("{") else []


def edited(tmp_path: Path, change) -> Path:
    doc = tomlkit.parse(LIBRARY.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "library.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def rule_findings(path: Path) -> list[dict]:
    return [f for f in check(path) if f["rule"] in ("EQ026", "EQ027")]


@pytest.mark.parametrize("example", [LIBRARY, HOME_SUPPORT], ids=lambda p: p.stem)
def test_the_shipped_example_keeps_every_rule(example: Path) -> None:
    assert rule_findings(example) == []


def test_a_sign_off_dated_after_the_decision(tmp_path: Path) -> None:
    def sign_late(doc) -> None:
        doc["answers"]["sign_off_date"] = {"answer": dt.date(2027, 3, 1)}

    path = edited(tmp_path, sign_late)
    (finding,) = rule_findings(path)
    assert finding["key"] == "answers.sign_off_date.answer" and finding["severity"] == "error"
    assert finding["message"].startswith("8 Sign-off by the decision-maker: The sign-off is no later")
    assert "(Date signed off: 01/03/2027; Date of decision: 09/02/2027)" in finding["message"]
    line = path.read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert "sign_off_date" in line or "answer = 2027-03-01" in line


def test_an_evidence_row_with_only_its_source(tmp_path: Path) -> None:
    def source_only(doc) -> None:
        doc["answers"]["evidence_sources"]["rows"].append({"source": "Resident survey 2026"})

    path = edited(tmp_path, source_only)
    (finding,) = rule_findings(path)
    rows = len(tomlkit.parse(path.read_text(encoding="utf-8"))["answers"]["evidence_sources"]["rows"])
    assert finding["key"] == f"answers.evidence_sources.rows[{rows}].shows"
    assert finding["message"].startswith(f"2.2 Evidence: row {rows} of")
    assert "has no \u201cWhat it shows\u201d" in finding["message"]


#: (the change to psed-england.toml, words the message must hold, the key it names)
BROKEN_RULES = [
    (('first = "sign_off_date"', 'first = "sign_of"'), "`sign_of` is not a header field", "rules[1].first"),
    (('then = "decision_date"', 'then = "ea_name"'), "`ea_name` is not a date", "rules[1].then"),
    (('question = "evidence_sources"', 'question = "evidence"'), 'is not kind = "repeat"', "rules[2]"),
    (('fields = ["source", "shows"]', 'fields = ["show"]'), "`show` is not a field", "rules[2].fields[1]"),
    (
        (
            '"aim_impact", equals = "Negative" }\nrequire = [{ question = "adverse_impact", equals = "Yes" ',
            '"aim_impact", equals = "Negative" }\nrequire = [{ question = "adverse_impact", equals = "Y" ',
        ),
        "`Y` is not an option of `adverse_impact` (its options: Yes, No)",
        "rules[4].require[1].equals",
    ),
    (
        (
            'when = { question = "outcome", equals = "No major change" }',
            'when = { question = "outcome", equals = "No change" }',
        ),
        "`No change` is not an option of `outcome`",
        "rules[9].when.equals",
    ),
    (
        ('question = "adverse_impact", not_equals', 'question = "mitigation", not_equals'),
        "`mitigation` is a text question, so its answer cannot be compared",
        "rules[9].require[1].not_equals",
    ),
    (
        ('when = { question = "affects_employees"', 'when = { question = "affects_staff"'),
        "`affects_staff` is not a question of the form",
        "rules[12].when.question",
    ),
    (
        (
            '{ question = "due_regard_confirmed", equals = "Yes" }',
            '{ question = "sign_off_date", commented = true }',
        ),
        "`sign_off_date` takes no comment",
        "rules[10].require[1].commented",
    ),
    (
        (
            'require = [{ question = "adverse_impact", not_equals = "Yes" }]',
            'require = [{ question = "outcome", not_equals = "Stop and remove" }]',
        ),
        "compares `outcome`'s answer with itself",
        "rules[9].require[1]",
    ),
    (
        (
            '{ question = "aim_impact", equals = "Not known" }',
            '{ question = "aim_impact", equals = "Not known", answered = true }',
        ),
        "give exactly one of equals, not_equals, answered or commented (this has equals, answered)",
        "rules[5].when",
    ),
    (
        (
            'show_if = [{ question = "engagement_done", equals = "Yes" }]',
            'show_if = [{ question = "engagement_done", equals = "yes" }]',
        ),
        "show_if `engagement_done` equals `yes`, which is not one of its options (Yes, No)",
        "show_if",
    ),
]


def test_forms_check_refuses_a_rule_naming_what_is_not_there(tmp_path: Path) -> None:
    text = PSED.read_text(encoding="utf-8")
    for (old, new), words, key in BROKEN_RULES:
        assert text.count(old) == 1, old
        broken = tmp_path / "broken.toml"
        broken.write_text(text.replace(old, new), encoding="utf-8")
        result = CliRunner().invoke(main, ["forms", "check", str(broken)])
        assert result.exit_code == 2, (old, result.output)
        assert words in result.stderr and key in result.stderr and "line " in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def aim(doc, cid: str, item: str):
    return doc["characteristics"][cid]["answers"]["aim_impact"][item]


def test_a_negative_aim_with_no_comment(tmp_path: Path) -> None:
    def no_comment(doc) -> None:
        del aim(doc, "age", "advance")["comment"]

    path = edited(tmp_path, no_comment)
    (finding,) = rule_findings(path)
    assert finding["key"] == "characteristics.age.answers.aim_impact.advance.comment"
    assert finding["severity"] == "error"
    assert finding["message"].startswith("3.1.2 Age: effect on the aims of the duty: A Negative effect")
    assert "(\u201cAdvance equality of opportunity\u201d has no comment)" in finding["message"]
    line = path.read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert line == "[characteristics.age.answers.aim_impact.advance]"


def test_a_negative_aim_while_the_group_is_not_at_a_disadvantage(tmp_path: Path) -> None:
    def no_disadvantage(doc) -> None:
        answers = doc["characteristics"]["age"]["answers"]
        answers["adverse_impact"]["answer"] = "No"
        del answers["mitigation"]

    path = edited(tmp_path, no_disadvantage)
    (finding,) = rule_findings(path)
    assert finding["key"] == "characteristics.age.answers.adverse_impact.answer"
    assert finding["message"].startswith("3.1.5 Age: mitigation and further work: A Negative effect")
    assert "\u201cAdvance equality of opportunity\u201d is Negative;" in finding["message"]
    assert finding["message"].endswith(
        "\u201cCould the service put people of different ages at a disadvantage, or treat anyone "
        "unfavourably because of their age?\u201d is No)"
    )
    line = path.read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert line == 'answer = "No"'


def test_no_major_change_with_three_disadvantages(tmp_path: Path) -> None:
    def no_major_change(doc) -> None:
        doc["answers"]["outcome"]["answer"] = "No major change"
        doc["answers"]["no_change_reasons"] = {"answer": "The saving is made without closing a library."}
        del doc["answers"]["justification"]

    path = edited(tmp_path, no_major_change)
    (finding,) = rule_findings(path)
    assert finding["key"] == "answers.outcome.answer"
    assert finding["message"].startswith("5 Outcome of the assessment: No major change means")
    assert finding["message"].endswith(
        "\u201cCould the service put \u2026 at a disadvantage, or treat anyone unfavourably because of "
        "their \u2026?\u201d is Yes for Age, Disability, Rural communities)"
    )
    line = path.read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert line == 'answer = "No major change"'


def test_a_sign_off_without_the_confirmation_of_due_regard(tmp_path: Path) -> None:
    def signed_unconfirmed(doc) -> None:
        doc["answers"]["sign_off_date"] = {"answer": dt.date(2027, 2, 1)}
        doc["answers"]["due_regard_confirmed"] = {"answer": "No"}

    (finding,) = rule_findings(edited(tmp_path, signed_unconfirmed))
    assert finding["key"] == "answers.due_regard_confirmed.answer"
    assert "A signed-off assessment has the decision-maker's confirmation" in finding["message"]


def test_an_unanswered_requirement_is_left_to_the_required_answer_check(tmp_path: Path) -> None:
    def unanswered(doc) -> None:
        del doc["characteristics"]["age"]["answers"]["adverse_impact"]
        del doc["characteristics"]["age"]["answers"]["mitigation"]

    path = edited(tmp_path, unanswered)
    assert rule_findings(path) == []
    assert any(
        f["rule"] == "EQ004" and f["key"].startswith("characteristics.age.answers.adverse_impact")
        for f in check(path)
    )


def test_a_relevance_reason_explains_a_relevant_characteristic_without_full_assessment(
    tmp_path: Path,
) -> None:
    def relevant_only(doc, reason: str) -> None:
        doc["answers"]["initial_analysis"]["answer"] = "The relevance test gives each decision its reason."
        doc["characteristics"]["sex"] = {"relevant": True, "full_assessment": False, "reason": reason}

    def eq018(reason: str) -> list[str]:
        found = check(edited(tmp_path, lambda doc: relevant_only(doc, reason)))
        return [f["key"] for f in found if f["rule"] == "EQ018"]

    assert "characteristics.sex.full_assessment" in eq018("")
    reason = "Staffing hours change for women and men alike; the rota survey found no difference."
    assert "characteristics.sex.full_assessment" not in eq018(reason)


def test_forms_show_prints_each_rule_under_the_question_it_governs() -> None:
    result = CliRunner().invoke(main, ["forms", "show", "psed-england"])
    lines = result.output.splitlines()
    at = lines.index("    3.1.6 Age: mitigation and further work")
    assert lines[at + 1].startswith("      - Could the policy put people of different ages at a disadvantage")
    assert lines[at + 2].startswith(
        "        rule (error): when aim_impact is Negative: adverse_impact is Yes. "
    )
    outcome = next(i for i, line in enumerate(lines) if "What is the outcome of the assessment?" in line)
    assert "rule (error): when outcome is No major change: adverse_impact is not Yes." in lines[outcome + 1]
    sign_off = next(i for i, line in enumerate(lines) if line.endswith("- Date signed off  [date]"))
    assert "rule (error): sign_off_date is no later than decision_date." in lines[sign_off + 1]


def test_list_rules_gives_each_check_its_whole_summary() -> None:
    result = CliRunner().invoke(main, ["check", "--list-rules"])
    eq013 = next(line for line in result.output.splitlines() if line.startswith("EQ013"))
    assert eq013.endswith("(an action with only its characteristics does not count).")
    columns = {line.index(" error ") for line in result.output.splitlines() if " error " in line}
    assert len(columns) == 1, "the severity column lines up"
