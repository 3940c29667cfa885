"""Dates read and printed the form's way; the one way to open files and folders."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from eqia.cli import main
from eqia.document import dates
from eqia.files.forms import load_form
from eqia.files.opening import Opened, Unreadable, open_folder, read_header

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
DAY = dt.date(2026, 10, 31)


@pytest.mark.parametrize("form_id", ["birmingham-ea", "psed-england", "nhs-ehia"])
def test_a_date_prints_and_reads_back_the_forms_way(form_id: str) -> None:
    form = load_form(form_id)
    shown = dates.show(DAY, form)
    assert shown == DAY.strftime(form.date_format)
    assert dates.parse(shown, form) == DAY
    assert dates.example(form) == shown


@pytest.mark.parametrize(
    "typed",
    ["31/10/2026", "31/10/26", "31-10-2026", "31.10.26", "2026-10-31", "31 October 2026", "31 Oct 2026"],
)
def test_what_people_type_is_read_in_the_forms_format_and_its_variants(typed: str) -> None:
    assert dates.parse(typed, "%d/%m/%y") == DAY
    assert dates.parse(typed, "%d/%m/%Y") == DAY


def test_a_bad_date_says_how_to_type_it_the_forms_way() -> None:
    with pytest.raises(ValueError, match=r"type it as dd/mm/yy, for example 31/10/26"):
        dates.parse("32/13/2026", "%d/%m/%y")
    with pytest.raises(ValueError, match=r"dd/mm/yyyy, for example 31/10/2026"):
        dates.parse("soon", "%d/%m/%Y")


def test_files_and_scripts_keep_iso_dates() -> None:
    assert dates.iso(DAY) == "2026-10-31" and dates.iso(dt.datetime(2026, 10, 31, 9, 5)) == "2026-10-31"
    assert dates.show_time(dt.datetime(2026, 10, 31, 9, 5), "%d/%m/%y") == "31/10/26 09:05"


def test_list_prints_the_review_date_as_the_form_does(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "ea.toml")
    shown = CliRunner().invoke(main, ["list", str(tmp_path)])
    assert "31/10/18" in shown.output  # birmingham-ea prints %d/%m/%y, as the published report does
    data = CliRunner().invoke(main, ["list", str(tmp_path), "--json"])
    assert '"review_date": "2018-10-31"' in data.output


def test_a_folder_opens_each_file_with_its_form_and_names_the_broken_ones(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("schema_version = 1\nform = [\n", encoding="utf-8")
    (tmp_path / ".hidden.toml").write_text("not toml", encoding="utf-8")
    opened, broken = [], []
    for entry in open_folder(tmp_path):
        (opened if isinstance(entry, Opened) else broken).append(entry)
    assert [o.path.name for o in opened] == ["a.toml"] and opened[0].form.id == "birmingham-ea"
    assert [b.path.name for b in broken] == ["b.toml"]
    assert isinstance(broken[0], Unreadable) and "b.toml, line 2" in broken[0].message


@pytest.mark.parametrize(
    ("text", "header"),
    [
        (
            'schema_version = 1\n[header]\nreference = "R1"\n\n[answers.x]\nanswer = "y"\n',
            {"reference": "R1"},
        ),
        ('[header]\nreference = "R2"\n', {"reference": "R2"}),
        ('schema_version = 1\nheader = { reference = "R3" }\n', {"reference": "R3"}),
        ('schema_version = 1\nheader.reference = "R4"\n', {"reference": "R4"}),
        (
            'schema_version = 1\n[header]\nreference = "R5"\nsummary = """a\n[b]\nc"""\n'
            '[answers.x]\nanswer = "y"\n',
            {"reference": "R5", "summary": "a\n[b]\nc"},
        ),
        ("schema_version = 1\n[header\n", {}),
    ],
)
def test_read_header_finds_the_header_however_it_is_written(tmp_path: Path, text: str, header: dict) -> None:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    assert read_header(path) == header


def test_check_scans_a_file_for_lines_once_however_many_findings(tmp_path: Path, monkeypatch) -> None:
    """Locating each finding by rescanning the file made check quadratic in findings (2,000: 50 s)."""
    from eqia.files import tomlfile
    from eqia.usecases.checking import check_file

    path = tmp_path / "ea.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    extra = "".join(f'\n[answers.unknown_{n}]\nanswer = "x"\n' for n in range(300))
    path.write_text(text.replace("\n[characteristics.", extra + "\n[characteristics.", 1), encoding="utf-8")
    scans = []
    real = tomlfile.key_lines
    monkeypatch.setattr(tomlfile, "key_lines", lambda t: scans.append(1) or real(t))
    result = check_file(path)
    assert len([f for f in result.findings if f.finding.rule == "EQ001"]) == 300
    assert all(f.line for f in result.findings if f.finding.rule == "EQ001")
    assert len(scans) == 1
