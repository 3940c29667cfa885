"""The organisation a report names: the assessment's, or the EQIA_ORGANISATION setting, else the form's."""

from __future__ import annotations

from pathlib import Path

import tomlkit
from click.testing import CliRunner
from pypdf import PdfReader

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
STOCKTON = ROOT / "assessments" / "EA002401-care-at-home-review.toml"
STEM = "EA002401-care-at-home-review"
BIRMINGHAM = "Birmingham City Council Analysis Report"


def _export(source: Path, out: Path, formats: str, env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, ["export", str(source), "-f", formats, "-o", str(out), "-j", "1"], env=env
    )
    assert result.exit_code == 0, result.output


def test_the_setting_names_another_council_in_every_format(tmp_path: Path) -> None:
    _export(STOCKTON, tmp_path, "txt,html,pdf", {"EQIA_ORGANISATION": "Stockton-on-Tees Borough Council"})
    wanted = "Stockton-on-Tees Borough Council Analysis Report"
    txt = (tmp_path / f"{STEM}.txt").read_text(encoding="utf-8")
    assert txt.startswith(f"Equality Analysis\n\n{wanted}\n")
    html = (tmp_path / f"{STEM}.html").read_text(encoding="utf-8")
    assert f'<p class="subtitle">{wanted}</p>' in html
    pdf = PdfReader(tmp_path / f"{STEM}.pdf").pages[0].extract_text()
    assert wanted in pdf
    assert all(BIRMINGHAM not in text for text in (txt, html, pdf))


def test_without_a_setting_the_forms_wording_stays(tmp_path: Path) -> None:
    _export(STOCKTON, tmp_path, "txt", {"EQIA_ORGANISATION": ""})
    assert (
        (tmp_path / f"{STEM}.txt")
        .read_text(encoding="utf-8")
        .startswith(f"Equality Analysis\n\n{BIRMINGHAM}\n")
    )


def test_the_assessments_own_organisation_comes_first(tmp_path: Path, monkeypatch) -> None:
    # A form like Birmingham's with an organisation field in its header, in ./forms.
    monkeypatch.chdir(tmp_path)
    forms = tmp_path / "forms"
    forms.mkdir()
    form = (ROOT / "forms" / "birmingham-ea.toml").read_text(encoding="utf-8")
    field = '[[header]]\nid = "organisation"\nlabel = "Organisation"\nkind = "line"\n\n'
    (forms / "birmingham-ea.toml").write_text(
        form.replace("[[header]]\n", field + "[[header]]\n", 1), encoding="utf-8"
    )
    doc = tomlkit.parse(STOCKTON.read_text(encoding="utf-8"))
    doc["header"]["organisation"] = "Stockton-on-Tees Borough Council"
    source = tmp_path / "care.toml"
    source.write_text(tomlkit.dumps(doc), encoding="utf-8")
    _export(source, tmp_path / "out", "txt", {"EQIA_ORGANISATION": "Another Council"})
    txt = (tmp_path / "out" / f"{STEM}.txt").read_text(encoding="utf-8")
    assert txt.startswith("Equality Analysis\n\nStockton-on-Tees Borough Council Analysis Report\n")
    assert "Organisation\tStockton-on-Tees Borough Council" in txt
