"""Every export names each action as the form words it ("Action 1"), so an answer that says "(action 1)"
can be followed in txt and md as in html, docx and pdf."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"


def test_txt_and_md_name_each_action(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(LIBRARY), "--format", "txt,md", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.txt")).read_text(encoding="utf-8")
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "(action 1)" in text
    for n in (1, 2):
        assert f"\nAction {n}\nIssue or adverse impact\t" in text
        assert f"\n**Action {n}**\n\n| Field | Details |\n" in md
