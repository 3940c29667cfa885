"""The consistency rules a form states as data ([[rules]]): checked with key path, line and the
form's own section number, and refused by `eqia forms check` when they name what is not there."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import tomlkit
from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
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


def test_the_shipped_example_keeps_every_rule() -> None:
    assert rule_findings(LIBRARY) == []


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
