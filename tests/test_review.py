"""The review lifecycle on a file, diffs between versions, and the portfolio list."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pilot_steps import workers_done

from eqia.cli import main
from eqia.files import store
from eqia.files.opening import form_for
from eqia.quality.review import content_hash, set_verdict

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, target)
    return target


def _verdict(path: Path, key: str, verdict: str, comment: str) -> None:
    loaded = store.read(path)
    a = loaded.assessment.model_copy(deep=True)
    set_verdict(a, key, verdict, comment, by="QC Team")  # type: ignore[arg-type]
    store.save(a, path, form_for(a)[0], base=loaded)


def test_full_lifecycle_keeps_every_step_and_catches_a_later_edit(copy: Path) -> None:
    key = "characteristics.age.answers.evidence_source"
    assert run("submit", str(copy), "--by", "Sharon").exit_code == 0
    _verdict(copy, key, "must_correct", "Name the survey and its date.")
    assert run("return", str(copy), "--by", "QC Team", "--note", "See the verdicts").exit_code == 0

    loaded = store.read(copy)
    a = loaded.assessment.model_copy(deep=True)
    a.characteristics["age"].answers["evidence_source"].answer = "Care records survey, July 2017."
    store.save(a, copy, form_for(a)[0], base=loaded)
    assert run("submit", str(copy), "--by", "Sharon").exit_code == 0

    refused = run("approve", str(copy), "--by", "QC Team")
    assert refused.exit_code == 2
    assert "must correct" in refused.stderr and key in refused.stderr

    _verdict(copy, key, "acceptable", "Thank you.")
    assert run("approve", str(copy), "--by", "QC Team", "--note", "Due regard shown").exit_code == 0

    saved = store.load(copy)
    steps = [(h.status, h.by) for h in saved.review.history]
    assert steps == [
        ("submitted", "Sharon"),
        ("returned", "QC Team"),
        ("submitted", "Sharon"),
        ("approved", "QC Team"),
    ]
    assert saved.review.history[1].note == "See the verdicts"
    assert saved.review.approved_hash == content_hash(saved)
    assert saved.review.verdicts[0].verdict == "acceptable"

    # Edited after approval: the stored hash no longer matches what the file says.
    text = copy.read_text(encoding="utf-8").replace("Care records survey, July 2017.", "Changed later.")
    copy.write_text(text, encoding="utf-8")
    assert store.load(copy).review.approved_hash != content_hash(store.load(copy))
    checked = run("check", str(copy))
    assert checked.exit_code == 1
    assert "EQ019 error [review.approved_hash]" in checked.stdout


def test_history_is_only_appended(copy: Path) -> None:
    run("submit", str(copy), "--by", "A")
    first = store.load(copy).review.history[0]
    run("return", str(copy), "--by", "B")
    run("submit", str(copy), "--by", "A")
    history = store.load(copy).review.history
    assert history[0] == first and len(history) == 3


def test_wrong_transitions_say_what_is_allowed(copy: Path) -> None:
    result = run("approve", str(copy), "--by", "QC")
    assert result.exit_code == 2
    assert "is a draft: it cannot be approved until its author submits it" in result.stderr
    assert "eqia submit" in result.stderr
    assert store.load(copy).review.status == "draft"
    missing_name = run("submit", str(copy), "--by", " ")
    assert missing_name.exit_code == 2 and "--by NAME" in missing_name.stderr


def test_diff_lists_question_by_question(copy: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.toml"
    loaded = store.read(copy)
    a = loaded.assessment.model_copy(deep=True)
    a.characteristics["race"].answers["evidence"].answer = "No"
    a.header["directorate"] = "Adults"
    store.save(a, newer, form_for(a)[0], base=loaded)
    result = run("diff", str(copy), str(newer), "--json")
    assert result.exit_code == 1
    found = {d["key"]: d for d in json.loads(result.stdout)}
    assert found["header.directorate"]["old"] == "People" and found["header.directorate"]["new"] == "Adults"
    race = found["characteristics.race.answers.evidence.answer"]
    assert race["old"] == "Yes" and race["new"] == "No"
    assert race["question"].startswith("Race: Do you have evidence")
    assert run("diff", str(copy), str(copy)).exit_code == 0


def test_list_over_a_folder_with_a_broken_file(tmp_path: Path) -> None:
    from generate import write_batch

    folder = tmp_path / "assessments"
    paths = write_batch(folder, 50, words=6)
    shutil.copy(EXAMPLE, folder / "EA002326.toml")
    (folder / "broken.toml").write_text("schema_version = 1\nform = [\n", encoding="utf-8")
    # One file with a hostile directorate, for the CSV.
    hostile = paths[0].read_text(encoding="utf-8").replace('directorate = "', 'directorate = "=HYPERLINK(', 1)
    paths[0].write_text(hostile, encoding="utf-8")

    table = run("list", str(folder))
    assert table.exit_code == 0
    assert "EA002326" in table.stdout and "unreadable" in table.stdout

    rows = json.loads(run("list", str(folder), "--json").stdout)
    assert len(rows) == 52
    broken = next(r for r in rows if r["file"].endswith("broken.toml"))
    assert broken["status"] == "unreadable" and "line" in broken["error"]

    overdue = json.loads(run("list", str(folder), "--overdue", "--json").stdout)
    assert [r["reference"] for r in overdue] == ["EA002326"]  # generated ones are reviewed from 2027
    people = json.loads(run("list", str(folder), "--directorate", "people", "--json").stdout)
    assert {r["directorate"] for r in people} == {"People"}
    drafts = json.loads(run("list", str(folder), "--status", "draft", "--json").stdout)
    assert len(drafts) == 51

    parsed = list(csv.DictReader(io.StringIO(run("list", str(folder), "--csv").stdout)))
    assert len(parsed) == 52
    cells = [cell for row in parsed for cell in row.values()]
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)


async def test_review_mode_verdict_comment_and_return(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pilot_steps import wait_until

    from eqia.tui.app import EqiaApp
    from eqia.tui.screens.dialogs import DecisionDialog, PromptDialog
    from eqia.tui.screens.review import ReviewScreen
    from eqia.tui.widgets.fields import AnswerField

    monkeypatch.setenv("XDG_STATE_HOME", str(copy.parent / "state"))
    assert run("submit", str(copy), "--by", "Sharon").exit_code == 0
    app = EqiaApp(copy, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.show_page("impact:age")
        await workers_done(pilot)
        await pilot.pause()
        field = next(f for f in screen.query(AnswerField) if f.spec.key[-1] == "evidence_source")
        assert field.query_one(".answer").disabled or field.query_one(".answer").read_only
        field.focus()
        await pilot.press("3")
        await pilot.press("c")
        assert await wait_until(pilot, lambda: isinstance(app.screen, PromptDialog))
        await pilot.press(*"Name the survey", "enter")
        notes = field.query_one(".review-notes")
        assert await wait_until(pilot, lambda: "Name the survey" in str(notes.content))
        assert "must correct" in str(notes.content)
        await pilot.press("R")  # asks for a note and a confirmation
        assert await wait_until(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await pilot.press(*"See 3.1", "enter")
        assert await wait_until(pilot, lambda: screen.session.assessment.review.status == "returned")
        await workers_done(pilot)
        assert await wait_until(pilot, lambda: not screen.session.dirty)
    saved = store.load(copy)
    assert saved.review.status == "returned"
    assert (saved.review.history[-1].by, saved.review.history[-1].note) == ("Kim (QC)", "See 3.1")
    (verdict,) = saved.review.verdicts
    assert verdict.key == "characteristics.age.answers.evidence_source"
    assert verdict.verdict == "must_correct" and verdict.comment == "Name the survey"
    # Answers were not editable in review mode: the evidence text is unchanged.
    assert saved.value("evidence_source", "age") == store.load(EXAMPLE).value("evidence_source", "age")
