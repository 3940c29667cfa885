"""CSV for spreadsheets: a carriage return never starts a row, and no cell is a live formula,
read back as Python's csv module reads it and, where LibreOffice is installed, as Calc imports it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import Result

from eqia.usecases.csv_out import safe_cell, to_csv

#: Cells written to try to run something in the spreadsheet that opens the CSV.
ATTACKS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    " =1+1",  # after a space: Calc's "trim spaces" import makes it a formula
    "\t=1+1",
    "\u3000=1+1",  # ideographic space
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\uff1d1+1",  # full-width ＝
    "\uff0b1+1",  # full-width ＋
    "\uff0d1+1",  # full-width －
    "\uff20SUM(1,1)",  # full-width ＠
    "\ufe661+1",  # small ﹦
    "\n=1+1",
]


def live(cell: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula: its first character past spaces and
    invisible characters is = + - or @ (in any width), and it is not quoted by a leading apostrophe."""
    if cell.startswith("'"):
        return False
    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) == "Cf":
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in "=+-@"
    return False


def rows_of(text: str) -> list[list[str]]:
    """CSV text as Python's csv module reads a file opened with newline="" (as its docs ask)."""
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_formula_is_neutralised_after_spaces_and_in_every_width(attack: str) -> None:
    assert live(attack)
    assert not live(safe_cell(attack))
    assert safe_cell(attack).startswith("'")
    assert rows_of(to_csv(["a"], [[attack]]))[1] == [safe_cell(attack)]


@pytest.mark.parametrize("text", ["Hyphen-ated", "People", "2027-01-01", "a = b", "", "Yes"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("break_", ["\r", "\r\n", "\n", "\x0b"])
def test_a_line_break_in_a_cell_never_starts_a_row(break_: str) -> None:
    hostile = f"People{break_}=1+1"  # no comma or quote, which would have the cell quoted anyway
    text = to_csv(["directorate", "name"], [[hostile, "after"], ["next", "row"]])
    rows = rows_of(text)
    assert len(rows) == 3, rows
    assert rows[1] == ["People\n=1+1", "after"]
    assert not any(live(cell) for row in rows for cell in row)


def _toml(text: str) -> str:
    return json.dumps(text)


def _assessment(n: int, directorate: str, name: str, reference: str, owner: str, action: str) -> str:
    return f"""schema_version = 1
form = "birmingham-ea"
form_version = "1.0.0"

[header]
ea_name = {_toml(name)}
directorate = {_toml(directorate)}
reference = {_toml(reference)}

[[actions]]
issue = "Issue {n}"
action = {_toml(action)}
owner = {_toml(owner)}
target_date = 2027-01-01

[[actions]]
issue = "Second issue {n}"
action = "A plain action"
owner = "Jane Smith"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three assessments whose fields try formula injection, one with a CR inside a cell."""
    folder = tmp_path / "assessments"
    folder.mkdir()
    cases = [
        ("People\r=1+1", " =1+1", "\uff1d1+1", "\t@SUM(1,1)", "-1+1"),
        ('\u3000=HYPERLINK("http://evil.example","Click")', "+1+1", "@A1", "\r=1+1", "\uff0d1+1"),
        ("People", "Plain name", "EA000003", "Raj Patel", "An ordinary action"),
    ]
    for n, case in enumerate(cases, start=1):
        (folder / f"ea{n}.toml").write_text(_assessment(n, *case), encoding="utf-8")
    return folder


def _csv_of(run_cli, *args: str | Path) -> str:
    result: Result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_and_actions_csv_read_back_one_row_each_and_no_formula(run_cli, folder: Path) -> None:
    listed = _csv_of(run_cli, "list", folder, "--csv")
    table = list(csv.DictReader(io.StringIO(listed, newline="")))
    assert [r["file"] for r in table] == [str(folder / f"ea{n}.toml") for n in (1, 2, 3)]
    assert table[0]["directorate"] == "People\n=1+1"
    assert table[0]["name"] == "' =1+1"
    assert table[0]["reference"] == "'\uff1d1+1"
    cells = [cell for row in rows_of(listed) for cell in row]
    assert not [cell for cell in cells if live(cell)]

    actions = _csv_of(run_cli, "actions", folder, "--csv")
    table = list(csv.DictReader(io.StringIO(actions, newline="")))
    assert len(table) == 6  # two actions in each of three files
    assert table[0]["owner"] == "'\t@SUM(1,1)"
    assert table[2]["owner"] == "'\n=1+1"  # the CR is a line break inside the cell, quoted
    cells = [cell for row in rows_of(actions) for cell in row]
    assert not [cell for cell in cells if live(cell)]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CALC = SOFFICE is not None and any(
    Path(SOFFICE).resolve().parent.glob("libsclo.so")  # Calc's library: Writer alone cannot read CSV
)
# Comma, double quote, UTF-8, from line 1, standard cell formats, English (UK); then: quoted field
# as text no, detect special numbers yes, (two export options), trim spaces YES, (sheet),
# evaluate formulas YES. The most dangerous way a user can import: what is left is text.
CALC_IMPORT = "CSV:44,34,76,1,,2057,false,true,false,false,true,-1,true"


def _calc_import(csv_path: Path, home: Path) -> str:
    """The CSV as LibreOffice Calc imports it, saved as a flat OpenDocument spreadsheet (XML)."""
    assert SOFFICE is not None
    command = [SOFFICE, "--headless", f"--infilter={CALC_IMPORT}", "--convert-to", "fods"]
    subprocess.run(
        [*command, "--outdir", str(csv_path.parent), str(csv_path)],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(home)},
    )
    return csv_path.with_suffix(".fods").read_text(encoding="utf-8")


@pytest.mark.skipif(not CALC, reason="LibreOffice Calc is not installed (apt-get install libreoffice-calc)")
def test_libreoffice_calc_imports_no_formula(run_cli, folder: Path, tmp_path: Path) -> None:
    control = tmp_path / "control.csv"
    control.write_text("a,b\n=1+1, =1+2\n", encoding="utf-8")
    assert len(re.findall(r"table:formula=", _calc_import(control, tmp_path))) == 2  # the import evaluates

    for command in ("list", "actions"):
        path = tmp_path / f"{command}.csv"
        path.write_text(_csv_of(run_cli, command, folder, "--csv"), encoding="utf-8")
        sheet = _calc_import(path, tmp_path)
        assert "table:formula=" not in sheet, command
        kept = "=HYPERLINK(" if command == "list" else "@SUM(1,1)"
        assert kept in sheet, command  # the attack is still there, as text
