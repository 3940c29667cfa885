"""Every form shipped in forms/ and the worked examples written against it: each example checks clean,
saves back to identical bytes, keeps its rows, grids and switched-on groups and sections through an
edit, and exports to every format, read back with the format's own reader."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from eqia.files.opening import form_for
from eqia.files.store import read, save
from eqia.usecases.session import EditSession

ROOT = Path(__file__).resolve().parents[1]
#: Each shipped worked example, by file stem, with the form it is written against.
EXAMPLES = {
    path.stem: (form_id, path)
    for form_id, path in (
        ("psed-england", ROOT / "assessments" / "EX-psed-library-opening-hours.toml"),
        ("psed-england", ROOT / "assessments" / "EX-psed-home-support-recommissioning.toml"),
        ("nhs-ehia", ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml"),
    )
}


@pytest.fixture(params=sorted(EXAMPLES))
def example(request, tmp_path: Path) -> Path:
    source = EXAMPLES[request.param][1]
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def test_example_is_written_against_its_form_and_checks_clean(example: Path, run_cli) -> None:
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    assert data["form"] == EXAMPLES[example.stem][0]
    result = run_cli("check", example, "--severity", "warning")
    assert result.exit_code == 0, result.output


def test_unchanged_save_gives_identical_bytes(example: Path) -> None:
    before = example.read_bytes()
    loaded = read(example)
    save(loaded.assessment, example, form_for(loaded.assessment, example)[0], base=loaded)
    assert example.read_bytes() == before


def test_rows_grids_and_include_survive_an_edit(example: Path) -> None:
    before = tomllib.loads(example.read_text(encoding="utf-8"))
    session = EditSession.open(example)
    session.change(("header", "ea_name"), "Renamed in a test")
    session.save()
    after = tomllib.loads(example.read_text(encoding="utf-8"))
    assert after["header"]["ea_name"] == "Renamed in a test"
    after["header"]["ea_name"] = before["header"]["ea_name"]
    assert after == before


def test_a_row_added_and_removed_in_a_session(example: Path) -> None:
    session = EditSession.open(example)
    key, question = _answered_repeat(session)
    field = question.fields[0].id
    count = len(_rows(tomllib.loads(example.read_text(encoding="utf-8")), key))
    session.change((*key, "rows", count, field), "A row added in a test")
    session.save()
    rows = _rows(tomllib.loads(example.read_text(encoding="utf-8")), key)
    assert len(rows) == count + 1 and rows[-1] == {field: "A row added in a test"}
    session.remove_row(key, 0)
    session.save()
    rows = _rows(tomllib.loads(example.read_text(encoding="utf-8")), key)
    assert len(rows) == count and rows[-1] == {field: "A row added in a test"}


def _answered_repeat(session: EditSession):
    """The key path and question of the first repeating group the example answers."""
    a = session.assessment
    for _, q in session.form.questions("assessment"):
        if q.kind == "repeat" and q.id in a.answers:
            return ("answers", q.id), q
    for cid, rec in a.characteristics.items():
        for _, q in session.form.questions("characteristic"):
            if q.kind == "repeat" and q.id in rec.answers:
                return ("characteristics", cid, "answers", q.id), q
    raise AssertionError("the example answers no repeating question")


def _rows(data: dict, key: tuple) -> list:
    for part in key:
        data = data[part]
    return data["rows"]


def test_exports_every_format(example: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("export", example, "--format", "all", "--out", out, "--jobs", "1", "--quiet")
    assert result.exit_code == 0, result.output
    files = {p.suffix: p for p in out.iterdir()}
    assert set(files) == {".txt", ".md", ".html", ".docx", ".pdf"}
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    name = data["header"]["ea_name"]
    document = docx.Document(str(files[".docx"]))
    assert any(p.text == name or name in p.text for p in document.paragraphs) or any(
        name in cell.text for t in document.tables for row in t.rows for cell in row.cells
    )
    assert len(document.tables) >= 3  # header block, relevance table, and a repeating group's rows
    pdf = PdfReader(str(files[".pdf"]))
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert name.split()[0] in "".join(page.extract_text() for page in pdf.pages)
    md = files[".md"].read_text(encoding="utf-8")
    assert md.count("\n| ") >= 3
