"""`eqia new`: on a terminal it opens the new assessment in the app; otherwise (or with --no-edit) it
prints the path and the next step; the file's opening comment names the real path and form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import RunCli

from eqia.files.forms import load_form
from eqia.files.opening import open_assessment


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The paths the app would have been opened on (the app itself is not started)."""
    calls: list[Path | None] = []
    monkeypatch.setattr("eqia.cli.authoring.run_app", lambda path, **kw: calls.append(path))
    return calls


def terminal(monkeypatch: pytest.MonkeyPatch, stdin: bool, stdout: bool) -> None:
    """What `eqia new` sees of its streams (the CLI runner swaps sys's own for captured ones)."""
    seen = SimpleNamespace(
        stdin=SimpleNamespace(isatty=lambda: stdin),
        stdout=SimpleNamespace(isatty=lambda: stdout),
        exit=sys.exit,
    )
    monkeypatch.setattr("eqia.cli.authoring.sys", seen)


def test_on_a_terminal_new_opens_the_assessment_in_the_app(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path | None]
) -> None:
    path = tmp_path / "library.toml"
    terminal(monkeypatch, stdin=True, stdout=True)
    result = run_cli("new", "--form", "psed-england", path)
    assert result.exit_code == 0, result.output
    assert opened == [path], "the app is opened on the new file"
    assert open_assessment(path).form.id == "psed-england"
    assert "Next: eqia check" not in result.stdout


def test_no_edit_prints_the_path_and_the_next_step(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[Path | None]
) -> None:
    path = tmp_path / "library.toml"
    terminal(monkeypatch, stdin=True, stdout=True)
    result = run_cli("new", "--no-edit", "--form", "psed-england", path)
    assert result.exit_code == 0, result.output
    assert opened == []
    assert result.stdout.strip() == (
        f"Wrote {path} (form psed-england {load_form('psed-england').form.version}). Next: eqia edit {path}"
    )


@pytest.mark.parametrize(("stdin", "stdout"), [(False, False), (True, False), (False, True)])
def test_not_on_a_terminal_new_never_opens_the_app(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[Path | None],
    stdin: bool,
    stdout: bool,
) -> None:
    path = tmp_path / "piped.toml"
    terminal(monkeypatch, stdin=stdin, stdout=stdout)
    result = run_cli("new", "--form", "birmingham-ea", path)
    assert result.exit_code == 0, result.output
    assert opened == []
    assert f"Next: eqia edit {path}" in result.stdout


def test_the_comment_names_the_path_given_and_the_form(tmp_path: Path) -> None:
    """The comment said `eqia edit new.toml` for a file made as assessments/new.toml, so the command it
    gave failed where the user typed it."""
    (tmp_path / "assessments").mkdir()
    made = subprocess.run(
        [sys.executable, "-m", "eqia", "new", "assessments/my file.toml", "--form", "nhs-ehia"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "EQIA_FORMS": str(Path(__file__).resolve().parents[1] / "forms")},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip().endswith("Next: eqia edit 'assessments/my file.toml'")
    text = (tmp_path / "assessments" / "my file.toml").read_text(encoding="utf-8")
    banner = [line for line in text.splitlines() if line.startswith("#")]
    assert f"on the form nhs-ehia {load_form('nhs-ehia').form.version}" in banner[0]
    assert "`eqia edit 'assessments/my file.toml'`" in banner[1]
    assert "`eqia check 'assessments/my file.toml'`" in banner[2]
    edit = subprocess.run(
        [sys.executable, "-m", "eqia", "check", "assessments/my file.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert edit.returncode == 1 and "my file.toml" in edit.stdout, "the path it names opens"


def test_a_line_break_in_the_path_stays_inside_the_comment(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "odd\nname.toml"
    result = run_cli("new", "--no-edit", path)
    assert result.exit_code == 0, result.output
    opened = open_assessment(path)
    assert opened.assessment.form == "birmingham-ea"
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert all(line.startswith("#") for line in head) and "odd?name.toml" in head[1]
