"""Saving keeps the file: identical bytes when nothing changed, one line when one answer changed,
reviewers' comments kept, and a failed save never harms the file that was there."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import os
import stat
from pathlib import Path

import pytest

from eqia.document.form import FormSpec
from eqia.document.model import ActionItem, Answer
from eqia.errors import ConflictError, SaveError
from eqia.files import atomic, store
from eqia.files.opening import open_assessment


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added between two texts (difflib, no context)."""
    removed, added = [], []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (removed if line.startswith("-") else added).append(line[1:])
    return removed, added


def hunks(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith("@@")
    ]


def line_number(text: str, line: str, after: str | None = None) -> int:
    """1-based number of the first line equal to `line` (after the line equal to `after`)."""
    lines = text.splitlines()
    start = lines.index(after) if after is not None else 0
    return lines.index(line, start) + 1


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


# -- round trip ----------------------------------------------------------------------


def test_unchanged_save_gives_identical_bytes(
    example_copy: Path, example_bytes: bytes, form: FormSpec
) -> None:
    loaded = store.read(example_copy)
    store.save(loaded.assessment, example_copy, form, base=loaded)
    assert example_copy.read_bytes() == example_bytes


def test_unchanged_save_twice_gives_identical_bytes(
    example_copy: Path, example_bytes: bytes, form: FormSpec
) -> None:
    first = store.save(store.read(example_copy).assessment, example_copy, form, base=store.read(example_copy))
    store.save(first.assessment, example_copy, form, base=first)
    assert example_copy.read_bytes() == example_bytes


def test_opening_pairs_the_file_with_its_form_and_saving_with_it_keeps_the_bytes(
    example_copy: Path, example_bytes: bytes
) -> None:
    opened = open_assessment(example_copy)
    assert opened.form.id == opened.assessment.form == "birmingham-ea" and opened.moved == []
    store.save(opened.assessment, opened.path, opened.form, base=opened.file)
    assert example_copy.read_bytes() == example_bytes


def test_dumps_without_base_reproduces_the_example_but_its_comment_banner(
    example_path: Path, form: FormSpec
) -> None:
    text = example_path.read_text(encoding="utf-8")
    banner, body = text.splitlines(keepends=True)[:2], text.splitlines(keepends=True)[2:]
    assert all(line.startswith("#") for line in banner)
    assert store.dumps(store.load(example_path), form) == "".join(body)


def test_crlf_file_saved_unchanged_keeps_its_bytes(
    tmp_path: Path, example_bytes: bytes, form: FormSpec
) -> None:
    """A file with Windows line ends (Notepad, git autocrlf) must not be rewritten on every save."""
    crlf = example_bytes.replace(b"\n", b"\r\n")
    path = tmp_path / "windows.toml"
    path.write_bytes(crlf)
    loaded = store.read(path)
    store.save(loaded.assessment, path, form, base=loaded)
    assert path.read_bytes() == crlf


# -- small edits make small diffs -----------------------------------------------------


def test_one_answer_edit_changes_only_that_line(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    loaded.assessment.characteristics["age"].answers["evidence"].answer = "No"
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    at = line_number(before, 'answer = "Yes"', after="[characteristics.age.answers.evidence]")
    assert hunks(before, after) == [f"@@ -{at} +{at} @@"]
    assert changed_lines(before, after) == (['answer = "Yes"'], ['answer = "No"'])
    assert store.load(example_copy).value("evidence", "age") == "No"


def test_multiline_answer_edit_changes_only_that_answer(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    loaded.assessment.answers["initial_analysis"].answer = "Short now."
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    removed, added = changed_lines(before, after)
    assert added == ['answer = "Short now."']
    assert removed[0] == 'answer = """'
    assert len(hunks(before, after)) == 1
    assert store.load(example_copy).value("initial_analysis") == "Short now."


REVIEW_COMMENTS = {
    "above": "# QC: evidence checked against Carefirst, 12/03/2024",
    "trailing": "  # note: three sources agree, see appendix 3",
    "inside": "# QC: refresh these figures before publication",
}


def _with_review_comments(text: str) -> str:
    """The example with a reviewer's comments: above a table, after a value, inside a multi-line table."""
    table = "[characteristics.age.answers.evidence]\n"
    assert table in text
    text = text.replace(table, REVIEW_COMMENTS["above"] + "\n" + table)
    value = '[characteristics.age.answers.consistent_view]\nanswer = "Yes"\n'
    assert value in text
    text = text.replace(value, value[:-1] + REVIEW_COMMENTS["trailing"] + "\n")
    start = text.index("[characteristics.age.answers.meets_needs]")
    comment_key = text.index("\ncomment = ", start) + 1
    return text[:comment_key] + REVIEW_COMMENTS["inside"] + "\n" + text[comment_key:]


def test_reviewer_comments_survive_an_unchanged_save(example_copy: Path, form: FormSpec) -> None:
    commented = _with_review_comments(example_copy.read_text(encoding="utf-8"))
    example_copy.write_text(commented, encoding="utf-8")
    loaded = store.read(example_copy)
    store.save(loaded.assessment, example_copy, form, base=loaded)
    assert example_copy.read_text(encoding="utf-8") == commented


def test_reviewer_comments_survive_an_edit(example_copy: Path, form: FormSpec) -> None:
    commented = _with_review_comments(example_copy.read_text(encoding="utf-8"))
    example_copy.write_text(commented, encoding="utf-8")
    loaded = store.read(example_copy)
    age = loaded.assessment.characteristics["age"].answers
    age["evidence"].answer = "No"  # the table under the QC line
    age["meets_needs"].comment = "Figures refreshed in 2024."  # the table with a comment inside
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    lines = after.splitlines()
    qc = lines.index(REVIEW_COMMENTS["above"])
    assert lines[qc + 1 : qc + 3] == ["[characteristics.age.answers.evidence]", 'answer = "No"']
    assert 'answer = "Yes"' + REVIEW_COMMENTS["trailing"] in lines
    inside = lines.index(REVIEW_COMMENTS["inside"])
    assert lines[inside + 1] == 'comment = "Figures refreshed in 2024."'
    # Nothing but the two edited answers changed.
    removed, added = changed_lines(commented, after)
    assert added == ['comment = "Figures refreshed in 2024."', 'answer = "No"']
    assert removed[0] == 'comment = """' and removed[-1] == 'answer = "Yes"'
    assert len(hunks(commented, after)) == 2


def test_trailing_comment_on_an_edited_value_is_kept(example_copy: Path, form: FormSpec) -> None:
    text = example_copy.read_text(encoding="utf-8")
    table = '[characteristics.age.answers.evidence]\nanswer = "Yes"\n'
    example_copy.write_text(text.replace(table, table[:-1] + "  # QC: check\n"), encoding="utf-8")
    loaded = store.read(example_copy)
    loaded.assessment.characteristics["age"].answers["evidence"].answer = "No"
    store.save(loaded.assessment, example_copy, form, base=loaded)
    assert '[characteristics.age.answers.evidence]\nanswer = "No"  # QC: check\n' in example_copy.read_text(
        encoding="utf-8"
    )


def test_new_answer_goes_in_form_order_with_its_neighbours_layout(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    loaded.assessment.characteristics["gender"].answers["fosters_good_relations"] = Answer(answer="Yes")
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    removed, added = changed_lines(before, after)
    assert removed == []
    assert added == ["[characteristics.gender.answers.fosters_good_relations]", 'answer = "Yes"', ""]
    expected_block = (
        "[characteristics.gender.answers.prevents_unfair_treatment]\n"
        'answer = "No"\n'
        "\n"
        "[characteristics.gender.answers.fosters_good_relations]\n"
        'answer = "Yes"\n'
        "\n"
        "[characteristics.gender_reassignment]\n"
    )
    assert expected_block in after
    assert store.load(example_copy).value("fosters_good_relations", "gender") == "Yes"


def test_removed_answer_removes_only_its_table(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    del loaded.assessment.characteristics["race"].answers["fosters_good_relations"]
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    removed, added = changed_lines(before, after)
    assert added == []
    assert removed == ["[characteristics.race.answers.fosters_good_relations]", 'answer = "No"', ""]
    assert "\n\n\n" not in after
    assert store.load(example_copy).get("fosters_good_relations", "race") is None


def test_blank_answer_is_saved_as_unanswered(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    loaded.assessment.characteristics["race"].answers["fosters_good_relations"] = Answer(answer="  ")
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")
    assert "[characteristics.race.answers.fosters_good_relations]" not in after
    assert changed_lines(before, after)[1] == []


def test_new_action_is_appended_before_review(example_copy: Path, form: FormSpec) -> None:
    before = example_copy.read_text(encoding="utf-8")
    loaded = store.read(example_copy)
    action = ActionItem(
        issue="Pakistani citizens aged 18-64 are over-represented",
        characteristics=["race", "age"],
        action="Commission culturally appropriate home support",
        owner="commissioning@birmingham.gov.uk",
        target_date=dt.date(2018, 9, 30),
    )
    loaded.assessment.actions.append(action)
    store.save(loaded.assessment, example_copy, form, base=loaded)
    after = example_copy.read_text(encoding="utf-8")

    removed, added = changed_lines(before, after)
    assert removed == []
    assert added[0] == "[[actions]]"
    assert added[-1] == ""
    assert after.index("[[actions]]") < after.index("[review]")
    assert after.endswith("\n[[actions]]\n" + "\n".join(added[1:]) + '\n[review]\nstatus = "draft"\n')
    assert "target_date = 2018-09-30" in added
    assert store.load(example_copy).actions == [action]


def test_second_action_follows_the_first(example_copy: Path, form: FormSpec) -> None:
    loaded = store.read(example_copy)
    loaded.assessment.actions.append(ActionItem(issue="First", action="One"))
    saved = store.save(loaded.assessment, example_copy, form, base=loaded)
    saved.assessment.actions.append(ActionItem(issue="Second", action="Two"))
    store.save(saved.assessment, example_copy, form, base=saved)
    after = example_copy.read_text(encoding="utf-8")
    assert after.index('issue = "First"') < after.index('issue = "Second"') < after.index("[review]")
    assert [a.issue for a in store.load(example_copy).actions] == ["First", "Second"]


def test_new_file_filled_in_reads_back(tmp_path: Path, form: FormSpec) -> None:
    path = tmp_path / "new.toml"
    created = store.create(path, form, {"ea_name": "Library opening hours", "activity_type": "New Service"})
    a = created.assessment
    a.answers["purpose"] = Answer(answer="Open libraries on Sundays.\n\nFor families who work weekdays.")
    a.answers["themes"] = {"health": Answer(answer="Yes", comment="Reading is good for you.")}
    store.save(a, path, form, base=created)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# An equality impact assessment, written by eqia")
    assert text.index("[header]") < text.index("[answers.purpose]") < text.index("[review]")
    assert store.load(path) == a


# -- atomic save ----------------------------------------------------------------------


def _edited(path: Path) -> tuple[store.AssessmentFile, store.Assessment]:
    loaded = store.read(path)
    loaded.assessment.characteristics["age"].answers["evidence"].answer = "No"
    return loaded, loaded.assessment


def _assert_untouched(path: Path, original: bytes) -> None:
    assert path.read_bytes() == original
    assert store.load(path).value("evidence", "age") == "Yes"
    assert temp_files(path.parent) == []


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_crash_during_save_leaves_old_file(
    example_copy: Path, example_bytes: bytes, form: FormSpec, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    loaded, edited = _edited(example_copy)

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(atomic.os, step, crash)
    with pytest.raises(SaveError) as caught:
        store.save(edited, example_copy, form, base=loaded)
    monkeypatch.undo()
    assert str(example_copy) in str(caught.value)
    assert "unchanged" in str(caught.value)
    _assert_untouched(example_copy, example_bytes)


def test_interrupted_save_leaves_old_file_and_no_temp_file(
    example_copy: Path, example_bytes: bytes, form: FormSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, edited = _edited(example_copy)

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.save(edited, example_copy, form, base=loaded)
    monkeypatch.undo()
    _assert_untouched(example_copy, example_bytes)


def test_full_disk_says_so_and_keeps_old_file(
    example_copy: Path, example_bytes: bytes, form: FormSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, edited = _edited(example_copy)
    real_write = os.write

    def write_until_full(fd: int, data: bytes) -> int:
        if len(data) > 100:  # some bytes reach the temp file, then the disk fills up
            return real_write(fd, bytes(data[:100]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", write_until_full)
    with pytest.raises(SaveError) as caught:
        store.save(edited, example_copy, form, base=loaded)
    monkeypatch.undo()
    message = str(caught.value)
    assert "disk is full" in message
    assert str(example_copy) in message
    _assert_untouched(example_copy, example_bytes)


def test_read_only_file_is_not_saved_over(example_copy: Path, example_bytes: bytes, form: FormSpec) -> None:
    loaded, edited = _edited(example_copy)
    example_copy.chmod(0o444)
    try:
        if os.access(example_copy, os.W_OK):
            pytest.skip("running as a user (root) for whom a read-only file is still writable")
        with pytest.raises(SaveError) as caught:
            store.save(edited, example_copy, form, base=loaded)
        message = str(caught.value)
        assert "read-only" in message and str(example_copy) in message
        assert example_copy.read_bytes() == example_bytes
        assert temp_files(example_copy.parent) == []
    finally:
        example_copy.chmod(0o644)


def test_read_only_file_when_the_os_says_so(
    example_copy: Path, example_bytes: bytes, form: FormSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check where the OS reports the file not writable (works even as root)."""
    loaded, edited = _edited(example_copy)
    real_access = os.access
    monkeypatch.setattr(
        atomic.os,
        "access",
        lambda p, mode, *a, **k: (
            False if Path(p) == example_copy and mode & os.W_OK else real_access(p, mode)
        ),
    )
    with pytest.raises(SaveError) as caught:
        store.save(edited, example_copy, form, base=loaded)
    monkeypatch.undo()
    assert "read-only" in str(caught.value)
    assert str(example_copy) in str(caught.value)
    _assert_untouched(example_copy, example_bytes)


def test_save_keeps_the_file_permissions(example_copy: Path, form: FormSpec) -> None:
    example_copy.chmod(0o600)
    loaded, edited = _edited(example_copy)
    store.save(edited, example_copy, form, base=loaded)
    assert stat.S_IMODE(example_copy.stat().st_mode) == 0o600
    assert store.load(example_copy).value("evidence", "age") == "No"


def test_file_changed_on_disk_is_a_conflict(example_copy: Path, form: FormSpec) -> None:
    loaded, edited = _edited(example_copy)
    theirs = example_copy.read_bytes() + b"# someone else's note\n"
    example_copy.write_bytes(theirs)
    with pytest.raises(ConflictError) as caught:
        store.save(edited, example_copy, form, base=loaded)
    assert str(example_copy) in str(caught.value)
    assert "changed on disk" in str(caught.value)
    assert example_copy.read_bytes() == theirs
    assert temp_files(example_copy.parent) == []


def test_save_after_save_is_not_a_conflict(example_copy: Path, form: FormSpec) -> None:
    """The AssessmentFile returned by save is the new base: saving again must not see a conflict."""
    loaded, edited = _edited(example_copy)
    saved = store.save(edited, example_copy, form, base=loaded)
    saved.assessment.characteristics["age"].answers["evidence"].answer = "Yes"
    store.save(saved.assessment, example_copy, form, base=saved)
    assert store.load(example_copy).value("evidence", "age") == "Yes"


def test_create_refuses_to_overwrite(example_copy: Path, example_bytes: bytes, form: FormSpec) -> None:
    from eqia.errors import AssessmentError

    with pytest.raises(AssessmentError) as caught:
        store.create(example_copy, form)
    assert str(example_copy) in str(caught.value)
    assert example_copy.read_bytes() == example_bytes
    store.create(example_copy, form, force=True)
    assert store.load(example_copy).answers == {}
