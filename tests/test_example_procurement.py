"""The shipped home support example (psed-england with Procurement and commissioning and the aims in
detail switched on), read as a user reads it: the exported report numbers the procurement section
and prints its four answers, gives each fully assessed characteristic a page on the five parts of
the aims (never marriage and civil partnership, to which only the first aim applies), and
`eqia check` finds nothing to correct."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import tomlkit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EX-psed-home-support-recommissioning.toml"
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
DATA = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))

PROCUREMENT = (
    "proc_public_function",
    "proc_contract_terms",
    "proc_monitoring",
    "proc_assurance",
)
#: The five parts of the aims (Equality Act 2010, s149(3) and (5)) as the report prints them.
PARTS = {
    "remove_disadvantage": (
        "Advance equality: remove or minimise disadvantages connected to the characteristic"
    ),
    "meet_needs": ("Advance equality: meet needs that are different from other people's"),
    "encourage_participation": (
        "Advance equality: encourage participation in public life or other activities where it is low"
    ),
    "tackle_prejudice": "Foster good relations: tackle prejudice",
    "promote_understanding": "Foster good relations: promote understanding",
}
LABELS = {
    "age": "Age",
    "disability": "Disability",
    "race": "Race",
    "sex": "Sex",
    "carers": "Carers",
    "marriage_civil_partnership": "Marriage and civil partnership",
}


def exported(run_cli, path: Path, out: Path) -> list[str]:
    """The report's text export, line by line."""
    result = run_cli("export", path, "--format", "txt", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    (txt,) = out.glob("*.txt")
    return txt.read_text(encoding="utf-8").splitlines()


HEADING = re.compile(r"(\d+(?:\.\d+)*) [A-Z][^\t]*")


def headings(lines: list[str]) -> list[str]:
    """The numbered headings ("3.1.3 Age: the aims in detail"), in order."""
    return [line for line in lines if HEADING.fullmatch(line)]


def section(lines: list[str], heading: str) -> list[str]:
    """The lines under a numbered heading ("5 Procurement and commissioning"), up to the next heading
    of the same or a higher level."""
    start = lines.index(heading)
    depth = heading.split(" ", 1)[0].count(".")
    for end in range(start + 1, len(lines)):
        found = HEADING.fullmatch(lines[end])
        if found and found.group(1).count(".") <= depth:
            return lines[start + 1 : end]
    return lines[start + 1 :]


def full_assessed(data: dict) -> list[str]:
    return [cid for cid, rec in data["characteristics"].items() if rec.get("full_assessment")]


# -- the example is switched on as it says -------------------------------------------------------


def test_the_example_switches_on_procurement_the_aims_in_detail_and_carers() -> None:
    assert DATA["form"] == "psed-england" and DATA["form_version"] == "1.2.0"
    assert {"procurement", "duty_aims_detail", "carers"} <= set(DATA["include"])
    assert {"age", "disability", "race", "sex", "carers"} <= set(full_assessed(DATA))
    assert DATA["answers"]["outcome"]["answer"] in ("Adjust the policy", "Continue despite adverse impact")
    assert len(DATA["actions"]) >= 3


def test_check_finds_no_error_or_warning(run_cli) -> None:
    result = run_cli("check", EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["files"]
    assert [f for f in report["findings"] if f["severity"] in ("error", "warning")] == []


# -- the procurement section ------------------------------------------------------------------


def test_procurement_is_numbered_between_human_rights_and_the_outcome(run_cli, tmp_path: Path) -> None:
    lines = exported(run_cli, EXAMPLE, tmp_path)
    top = [h for h in headings(lines) if re.match(r"\d+ ", h)]
    assert top[3:6] == ["4 Human rights", "5 Procurement and commissioning", "6 Outcome of the assessment"]
    assert "Procurement and commissioning\tYes" in section(lines, "2.4 Optional groups and sections")


def test_procurement_prints_its_four_answers(run_cli, tmp_path: Path) -> None:
    body = section(exported(run_cli, EXAMPLE, tmp_path), "5 Procurement and commissioning")
    text = "\n".join(body)
    public_function = (
        "Will a provider carry out a public function on the organisation's behalf "
        "under the contract or grant?"
    )
    assert f"{public_function}\tYes" in body
    assert DATA["answers"]["proc_public_function"]["comment"].strip().splitlines()[0] in text
    for qid in PROCUREMENT[1:]:
        answer = DATA["answers"][qid]["answer"].strip()
        for paragraph in filter(None, answer.splitlines()):
            assert paragraph in body, (qid, paragraph)
    assert "How will the equality duty be carried into the contract" in text
    assert "What equality monitoring must providers report" in text
    assert "How will the organisation check that providers meet these requirements" in text


def test_an_example_without_procurement_has_no_such_section(run_cli, tmp_path: Path) -> None:
    lines = exported(run_cli, LIBRARY, tmp_path)
    assert not any(h.endswith(" Procurement and commissioning") for h in headings(lines))
    assert "Procurement and commissioning\tNo" in lines


# -- the aims in detail -------------------------------------------------------------------------


@pytest.mark.parametrize("cid", full_assessed(DATA))
def test_each_full_assessment_has_a_page_on_the_five_parts(cid: str, run_cli, tmp_path: Path) -> None:
    lines = exported(run_cli, EXAMPLE, tmp_path)
    label = LABELS[cid]
    (page,) = [
        h for h in headings(lines) if re.fullmatch(rf"3\.\d+\.3 {re.escape(label)}: the aims in detail", h)
    ]
    body = section(lines, page)
    answers = DATA["characteristics"][cid]["answers"]["aim_part_impact"]
    assert set(answers) == set(PARTS)
    for part, wording in PARTS.items():
        assert f"{wording}\t{answers[part]['answer']}" in body, (cid, part)
        assert answers[part]["comment"].strip().splitlines()[0] in body, (cid, part)


def test_marriage_and_civil_partnership_gets_no_aims_in_detail(run_cli, tmp_path: Path) -> None:
    """Only the first aim applies to marriage and civil partnership (s149(7)), so a full assessment of
    it has no page on the parts of the other two, and its later pages close up the numbers."""
    path = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, path)
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    mcp = doc["characteristics"]["marriage_civil_partnership"]
    mcp["relevant"] = True
    mcp["full_assessment"] = True
    mcp["answers"] = {
        "aim_impact": {"eliminate": {"answer": "Neutral"}},
        "meets_needs": {"answer": "Care workers transfer on their terms whatever their marital status."},
    }
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")

    lines = exported(run_cli, path, tmp_path / "out")
    label = LABELS["marriage_civil_partnership"]
    pages = [h for h in headings(lines) if f" {label}: " in h]
    assert [h.split(" ", 1)[1] for h in pages] == [
        f"{label}: relevance",
        f"{label}: effect on the aims of the duty",
        f"{label}: evidence",
        f"{label}: engagement",
        f"{label}: mitigation and further work",
    ]
    assert [h.split(" ", 1)[0].rsplit(".", 1)[1] for h in pages] == ["1", "2", "3", "4", "5"]
    number = pages[0].split(" ", 1)[0].rsplit(".", 1)[0]
    body = "\n".join(section(lines, f"{number} {label}"))
    assert not any(wording in body for wording in PARTS.values())

    result = run_cli("check", path, "--json")
    (report,) = json.loads(result.stdout)["files"]
    asked = [f["key"] for f in report["findings"] if "marriage_civil_partnership" in f["key"]]
    assert asked and not any("aim_part_impact" in key for key in asked)
