"""`eqia forms list|show|check`: the tooling a council uses to write its own form."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "forms" / "birmingham-ea.toml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_list_and_show() -> None:
    listed = run("forms", "list")
    assert listed.exit_code == 0 and "birmingham-ea" in listed.stdout
    shown = run("forms", "show", "birmingham-ea", "--type", "New Strategy")
    assert shown.exit_code == 0
    assert "3.2.4 Disability - Additional Work" in shown.stdout
    assert "Describe how the Strategy meets the needs of Men and women?" in shown.stdout
    assert "could assist Individuals with a disability to participate more?" in shown.stdout
    assert run("forms", "show", "no-such-form").exit_code == 2


def test_check_good_and_broken_forms(tmp_path: Path) -> None:
    assert run("forms", "check", str(FORM)).exit_code == 0
    broken = tmp_path / "broken.toml"
    text = FORM.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("meets the needs of {group}?", "meets the needs of {grop}?"), encoding="utf-8"
    )
    result = run("forms", "check", str(FORM), str(broken))
    assert result.exit_code == 2
    assert str(broken) in result.stderr and "{grop}" in result.stderr and "line" in result.stderr
