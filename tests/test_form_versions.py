"""Form versions: the form moves on (a question renamed, another removed) and old assessments still
load, keep every answer, and are flagged until someone has looked at them."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from pilot_steps import wait_until

from eqia.files.opening import form_for
from eqia.files.store import read
from eqia.usecases.session import EditSession

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "forms" / "psed-england.toml"
EXAMPLE = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
ASSESSED = ("age", "disability", "marriage_civil_partnership", "rural")

REMOVED_BLOCK = """[[sections.questions]]
id = "evidence_gaps"
text = "What does the evidence not tell you about {group}, and how will you fill the gap?"
kind = "text"
required = true
help = "If you are confident there are no gaps that matter, say why."

"""
MIGRATION = """
[[migrations]]
version = "1.3.0"
renamed = { meets_needs = "needs_met" }
removed = ["evidence_gaps"]
note = "gaps in evidence are now asked once, in 2.2"
"""


@pytest.fixture
def bumped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder whose ./forms holds psed-england 1.3.0, and the 1.2.0 example assessment."""
    text = FORM.read_text(encoding="utf-8")
    assert REMOVED_BLOCK in text and 'id = "meets_needs"' in text
    text = text.replace('version = "1.2.0"', 'version = "1.3.0"', 1)
    text = text.replace(REMOVED_BLOCK, "").replace('id = "meets_needs"', 'id = "needs_met"')
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "psed-england.toml").write_text(text + MIGRATION, encoding="utf-8")
    shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EQIA_FORMS", raising=False)
    return tmp_path / EXAMPLE.name


def old_answers(cid: str) -> dict:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data["characteristics"][cid]["answers"]


def test_old_assessment_loads_with_every_answer(bumped: Path) -> None:
    loaded = read(bumped)
    form, _ = form_for(loaded.assessment, bumped)
    assert form.version == "1.3.0" and loaded.assessment.form_version == "1.2.0"
    for cid in ASSESSED:
        answers = loaded.assessment.characteristics[cid].answers
        before = old_answers(cid)
        assert answers["needs_met"].answer == before["meets_needs"]["answer"]
        assert answers["evidence_gaps"].answer == before["evidence_gaps"]["answer"]
        assert "meets_needs" not in answers


def test_check_says_which_answers_need_attention(bumped: Path, run_cli) -> None:
    result = run_cli("check", bumped, "--json")
    assert result.exit_code == 0, result.output  # warnings, not errors: the file is usable
    findings = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["rule"] == "EQ007"]
    keys = {f["key"] for f in findings}
    for cid in ASSESSED:
        assert f"characteristics.{cid}.answers.needs_met" in keys
        assert f"characteristics.{cid}.answers.evidence_gaps" in keys
    moved = next(f for f in findings if f["key"].endswith("age.answers.needs_met"))
    assert "`meets_needs`" in moved["message"] and "eqia upgrade" in moved["message"]
    kept = next(f for f in findings if f["key"].endswith("age.answers.evidence_gaps"))
    assert "removed the question `evidence_gaps`" in kept["message"]
    assert "asked once, in 2.2" in kept["message"]
    assert all(f["severity"] == "warning" for f in findings)


def test_moved_answer_is_reported_under_the_new_question(bumped: Path, run_cli, tmp_path: Path) -> None:
    result = run_cli("export", bumped, "--format", "txt", "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    text = next((tmp_path / "out").glob("*.txt")).read_text(encoding="utf-8")
    assert old_answers("age")["meets_needs"]["answer"].splitlines()[0] in text


def test_upgrade_moves_renamed_answers_and_keeps_removed_ones(bumped: Path, run_cli) -> None:
    result = run_cli("upgrade", bumped)
    assert result.exit_code == 0, result.output
    assert "1.2.0 -> 1.3.0" in result.stdout
    assert "moved   characteristics.age.answers.meets_needs -> needs_met" in result.stdout
    assert "kept    characteristics.age.answers.evidence_gaps" in result.stdout
    data = tomllib.loads(bumped.read_text(encoding="utf-8"))
    assert data["form_version"] == "1.3.0"
    for cid in ASSESSED:
        answers = data["characteristics"][cid]["answers"]
        assert answers["needs_met"] == old_answers(cid)["meets_needs"]
        assert answers["evidence_gaps"] == old_answers(cid)["evidence_gaps"]
        assert "meets_needs" not in answers
    after = run_cli("check", bumped)
    assert "needs_met" not in after.stdout  # looked at: no longer flagged
    assert "evidence_gaps" in after.stdout  # still kept, still pointed at
    assert run_cli("upgrade", bumped).stdout.endswith("already on psed-england 1.3.0.\n")


def test_saving_in_the_app_keeps_every_answer(bumped: Path) -> None:
    session = EditSession.open(bumped)
    session.change(
        ("characteristics", "age", "answers", "needs_met", "comment"), "Checked after the form changed."
    )
    session.save()
    data = tomllib.loads(bumped.read_text(encoding="utf-8"))
    age = data["characteristics"]["age"]["answers"]
    assert age["needs_met"]["answer"] == old_answers("age")["meets_needs"]["answer"]
    assert age["evidence_gaps"] == old_answers("age")["evidence_gaps"]
    assert data["form_version"] == "1.2.0"  # only `eqia upgrade` says the answers were looked at


async def test_the_app_says_the_form_has_changed(bumped: Path, tmp_path: Path, monkeypatch) -> None:
    from eqia.tui.app import EqiaApp

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def notice() -> bool:
        return any(
            "psed-england 1.2.0; the form is now 1.3.0" in m and "4 answers moved" in m and "4 kept" in m
            for m in (n.message for n in app._notifications)
        )

    app = EqiaApp(bumped)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, notice, timeout=10), [n.message for n in app._notifications]


def test_an_approved_assessment_is_not_called_edited_because_its_form_moved_on(bumped: Path, run_cli) -> None:
    from eqia.files.store import save
    from eqia.quality.review import content_hash, transition

    forms = bumped.parent / "forms"  # approve it against the form it was written with
    (forms / "psed-england.toml").rename(forms / "psed-england.new")
    shutil.copyfile(FORM, forms / "psed-england.toml")
    loaded = read(bumped)
    form, _ = form_for(loaded.assessment, bumped)
    a = loaded.assessment.model_copy(deep=True)
    for status in ("submitted", "approved"):
        transition(a, status, "QC Officer")
    save(a, bumped, form, base=loaded)
    assert a.review.approved_hash == content_hash(a)
    assert "EQ019" not in run_cli("check", bumped).stdout
    (forms / "psed-england.new").replace(forms / "psed-england.toml")  # then the form moves on
    after = run_cli("check", bumped, "--severity", "warning")
    assert "EQ007" in after.stdout and "EQ019" not in after.stdout, after.stdout
    text = bumped.read_text(encoding="utf-8").replace('ea_name = "', 'ea_name = "Edited: ', 1)
    bumped.write_text(text, encoding="utf-8")
    assert "EQ019" in run_cli("check", bumped).stdout  # a real edit is still caught
