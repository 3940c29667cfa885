"""Nothing typed is lost below the app: text that cannot be read is kept and reported, and the
versions kept beside a file bring back an answer wiped by mistake after autosave saved the wipe."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from eqia.files import history, store
from eqia.files.opening import open_assessment
from eqia.quality.checks import run_checks
from eqia.usecases.session import EditSession

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
REVIEW = ("answers", "review_date", "answer")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, target)
    return target


def test_a_date_that_cannot_be_read_is_kept_as_typed_and_reported(copy: Path) -> None:
    session = EditSession.open(copy)
    session.keep_typed(REVIEW, "1/1/1")
    session.save()
    text = copy.read_text(encoding="utf-8")
    assert "answer = 2018-10-31" in text  # the last date that could be read stays
    assert '"answers.review_date.answer" = "1/1/1"' in text  # and what was typed is kept beside it
    opened = open_assessment(copy)
    [finding] = [f for f in run_checks(opened.form, opened.assessment) if f.rule == "EQ023"]
    assert finding.key_path == REVIEW and finding.severity == "error"
    assert "“1/1/1”" in finding.message and "31/10/18" in finding.message and "dd/mm/yy" in finding.message


def test_a_date_that_reads_clears_what_was_kept(copy: Path) -> None:
    session = EditSession.open(copy)
    session.keep_typed(REVIEW, "next spring")
    session.change(REVIEW, dt.date(2027, 3, 31))
    session.save()
    assert "[unparsed]" not in copy.read_text(encoding="utf-8")
    assert not [f for f in session.recheck() if f.rule == "EQ023"]


def test_the_version_as_opened_and_each_save_are_kept_beside_the_file(copy: Path) -> None:
    original = copy.read_text(encoding="utf-8")
    session = EditSession.open(copy)
    session.change(("header", "ea_name"), "X")  # one key replaced the whole name...
    session.save()  # ...and autosave kept it
    kept = history.versions(copy)
    assert [v.why for v in kept] == ["opened", "saved"]
    assert kept[0].text == original and 'ea_name = "X"' in kept[1].text
    assert history.history_path(copy).name == ".ea.toml.eqia-history"


def test_a_wiped_answer_comes_back_after_autosave_saved_the_wipe(copy: Path) -> None:
    session = EditSession.open(copy)
    purpose = ("answers", "purpose", "answer")
    before = session.assessment.value("purpose")
    assert isinstance(before, str) and len(before) > 500
    session.change(purpose, "Z")
    session.save()
    session = EditSession.open(copy)  # even after quitting and opening again
    [earlier] = session.earlier_values(purpose)
    assert earlier.value == before and earlier.why in ("opened", "saved")
    session.change(purpose, earlier.value)
    session.save()
    assert store.load(copy).value("purpose") == before


def test_the_history_is_bounded_and_keeps_the_version_as_opened(copy: Path) -> None:
    session = EditSession.open(copy)
    for n in range(3 * history.KEEP):
        session.change(("header", "ea_name"), f"Name {n}")
        session.save()
    kept = history.versions(copy)
    assert len(kept) <= 2 * history.KEEP
    assert kept[0].why == "opened" and 'ea_name = "Name' not in kept[0].text
    assert f'ea_name = "Name {3 * history.KEEP - 1}"' in kept[-1].text


def test_a_version_cut_short_by_a_crash_is_skipped(copy: Path) -> None:
    EditSession.open(copy)
    with history.history_path(copy).open("a", encoding="utf-8") as handle:
        handle.write('{"at": "2026-11-29T10:00:00", "why": "saved", "text": "cut sh')
    assert [v.why for v in history.versions(copy)] == ["opened"]


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_private_assessments_history_is_private(copy: Path) -> None:
    copy.chmod(0o600)
    session = EditSession.open(copy)
    for n in range(2 * history.KEEP + 1):  # enough to trim, which rewrites the file
        session.change(("header", "ea_name"), f"Name {n}")
        session.save()
    assert stat.S_IMODE(history.history_path(copy).stat().st_mode) == 0o600


def _crash_with_typing(copy: Path) -> EditSession:
    """A session that typed an answer, kept it in the recovery copy, then died without saving."""
    session = EditSession.open(copy)
    session.change(("answers", "purpose", "comment"), "Typed just before the power cut.")
    assert session.write_recovery() is not None
    return session


def _submit_elsewhere(copy: Path) -> None:
    from eqia.files.store import save
    from eqia.quality.review import transition

    opened = open_assessment(copy)
    a = opened.assessment.model_copy(deep=True)
    transition(a, "submitted", "QC Officer", "Please check")
    save(a, copy, opened.form, base=opened.file)


def test_restoring_typing_keeps_what_others_saved_since_and_says_what_it_changes(copy: Path) -> None:
    _crash_with_typing(copy)
    _submit_elsewhere(copy)  # a QC officer submits the file before the author comes back
    session = EditSession.open(copy)
    target = session.pending_recovery()
    assert target is not None
    changes = session.restore_recovery(target)
    assert [c.key for c in changes] == ["answers.purpose.comment"]
    assert changes[0].new == "Typed just before the power cut."
    session.save()
    saved = store.load(copy)
    assert saved.review.status == "submitted" and saved.review.history[-1].by == "QC Officer"
    assert saved.get("purpose").comment == "Typed just before the power cut."


def test_restoring_a_copy_of_unknown_origin_keeps_the_files_review(copy: Path) -> None:
    from eqia.usecases.session import recovered_text, recovery_path

    _crash_with_typing(copy)
    mark_gone = recovered_text(recovery_path(copy).read_text(encoding="utf-8"))
    recovery_path(copy).write_text(mark_gone, encoding="utf-8")  # an older eqia's copy has no mark
    history.history_path(copy).unlink()
    _submit_elsewhere(copy)
    session = EditSession.open(copy)
    session.restore_recovery(recovery_path(copy))
    assert session.assessment.review.status == "submitted"
    assert session.assessment.get("purpose").comment == "Typed just before the power cut."


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_private_assessments_recovery_copy_is_private(copy: Path) -> None:
    from eqia.usecases.session import recovery_path

    copy.chmod(0o600)
    _crash_with_typing(copy)
    assert stat.S_IMODE(recovery_path(copy).stat().st_mode) == 0o600


def test_a_reviewers_save_keeps_an_authors_recovery_copy(copy: Path) -> None:
    from eqia.usecases.session import recovery_path

    _crash_with_typing(copy)
    reviewer = EditSession.open(copy, review=True)
    reviewer.set_verdict(("answers", "purpose"), "acceptable", None, "QC Officer")
    reviewer.save()
    assert recovery_path(copy).exists()
