"""`eqia actions`, `eqia due` and `eqia progress-report` on the shipped examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "assessments"
EXAMPLE = FOLDER / "EA002401-care-at-home-review.toml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The Birmingham examples alone (the folder also holds other forms' examples)."""
    for path in FOLDER.glob("EA*.toml"):
        shutil.copyfile(path, tmp_path / path.name)
    return tmp_path


def test_actions_lists_and_filters(folder: Path) -> None:
    everything = json.loads(run("actions", str(folder), "--json").stdout)
    assert len(everything["actions"]) == 5 and everything["errors"] == []
    on_track = json.loads(run("actions", str(folder), "--grade", "2", "--json").stdout)["actions"]
    assert [a["index"] for a in on_track] == [3]
    karen = json.loads(run("actions", str(folder), "--owner", "karen", "--json").stdout)["actions"]
    assert [a["owner"] for a in karen] == ["Karen Shaw"]
    table = run("actions", str(folder))
    assert table.exit_code == 0 and "EA002401" in table.stdout
    assert run("actions", str(folder), "--grade", "5").exit_code == 2


def test_due_exits_1_when_something_is_overdue(folder: Path) -> None:
    result = run("due", str(folder), "--within", "30")
    assert result.exit_code == 1
    assert "EA002326" in result.stdout  # its review date, 31/10/2018, has long passed
    assert "31/10/18" in result.stdout  # as the form prints dates


def test_progress_report_text_and_word(tmp_path: Path) -> None:
    text = run("progress-report", str(EXAMPLE))
    assert text.exit_code == 0
    assert (
        text.stdout.index("Responsibility")
        < text.stdout.index("Agreed Action")
        < text.stdout.index("Evidence of Impact")
    )
    assert "1 (Fully Achieved)" in text.stdout
    assert run("progress-report", str(EXAMPLE), "--format", "docx").exit_code == 2  # binary needs --out
    out = tmp_path / "progress.docx"
    assert run("progress-report", str(EXAMPLE), "--format", "docx", "--out", str(out)).exit_code == 0
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Progress Update" in body


def test_an_action_is_closed_only_with_a_final_update(tmp_path: Path) -> None:
    from eqia.document.model import ActionItem
    from eqia.files import store
    from eqia.files.opening import form_for

    path = tmp_path / "ea.toml"
    loaded = store.read(EXAMPLE)
    a = loaded.assessment.model_copy(deep=True)
    a.actions.append(ActionItem(issue="x", action="Closed too early", owner="Jo", closed=True))
    store.save(a, path, form_for(a)[0], base=loaded)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert "EQ022 error [actions[6].closed]" in result.stdout
