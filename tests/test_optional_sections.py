"""psed-england 1.2.0's optional sections: procurement and commissioning, and the aims in detail (the
parts of s149(3) and (5), one page per characteristic assessed), switched on per assessment."""

from __future__ import annotations

import json
from pathlib import Path

import tomlkit
from click.testing import CliRunner

from eqia.cli import main
from eqia.files.opening import open_assessment
from eqia.usecases.pages import pages

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
PSED = ROOT / "forms" / "psed-england.toml"
PARTS = (
    "remove_disadvantage",
    "meet_needs",
    "encourage_participation",
    "tackle_prejudice",
    "promote_understanding",
)


def with_parts(tmp_path: Path, include: list[str]) -> Path:
    doc = tomlkit.parse(LIBRARY.read_text(encoding="utf-8"))
    doc["include"] = list(doc["include"]) + include
    path = tmp_path / "library.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def missing(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    return [f["key"] for f in json.loads(result.stdout)["files"][0]["findings"] if f["rule"] == "EQ004"]


def test_switched_off_the_sections_ask_nothing() -> None:
    assert missing(LIBRARY) == []


def test_the_aims_in_detail_are_asked_for_each_characteristic_but_marriage(tmp_path: Path) -> None:
    path = with_parts(tmp_path, ["duty_aims_detail"])
    keys = missing(path)
    expected = [
        f"characteristics.{cid}.answers.aim_part_impact.{part}.answer"
        for cid in ("age", "disability", "rural")
        for part in PARTS
    ]
    assert sorted(keys) == sorted(expected)
    opened = open_assessment(path)
    labels = [p.label for p in pages(opened.form, opened.assessment)]
    assert "3.1.3 Age: the aims in detail" in labels
    assert not any("Marriage" in label and "aims in detail" in label for label in labels)
    # marriage and civil partnership has no such page, so its evidence page keeps the next number
    assert "3.3.3 Marriage and civil partnership: evidence" in labels


def test_procurement_is_a_numbered_section_with_four_questions(tmp_path: Path) -> None:
    path = with_parts(tmp_path, ["procurement"])
    assert sorted(missing(path)) == sorted(
        f"answers.{q}.answer"
        for q in ("proc_public_function", "proc_contract_terms", "proc_monitoring", "proc_assurance")
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "--format", "txt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = next(out.glob("*.txt")).read_text(encoding="utf-8")
    assert "\n5 Procurement and commissioning\n" in text and "\n6 Outcome of the assessment\n" in text


def test_the_options_page_names_the_aims_in_detail_by_its_option_label() -> None:
    shown = CliRunner().invoke(main, ["forms", "show", "psed-england"]).stdout
    optional = next(line for line in shown.splitlines() if line.startswith("Optional"))
    assert "The aims in detail (s149(3) and (5))" in optional and "{characteristic}" not in optional
    assert "Procurement and commissioning" in optional


def test_forms_check_asks_an_optional_templated_section_for_its_option_label(tmp_path: Path) -> None:
    text = PSED.read_text(encoding="utf-8")
    line = 'option_label = "The aims in detail (s149(3) and (5))"\n'
    assert text.count(line) == 1
    broken = tmp_path / "psed-england.toml"
    broken.write_text(text.replace(line, ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["forms", "check", str(broken)])
    assert result.exit_code == 2
    assert "needs an option_label" in result.stderr and "option_label" in result.stderr
    assert "line " in result.stderr


def test_upgrade_from_1_1_0_says_what_1_2_0_adds(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(
        LIBRARY.read_text(encoding="utf-8").replace('form_version = "1.2.0"', 'form_version = "1.1.0"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["upgrade", str(path)])
    assert result.exit_code == 0, result.output
    assert "psed-england 1.1.0 -> 1.2.0 (1 form change(s))" in result.output
    assert "1.2.0   a summary for the public is asked in the header; two optional sections" in result.output
    assert 'form_version = "1.2.0"' in path.read_text(encoding="utf-8")
