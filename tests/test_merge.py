"""`eqia merge`: two people's versions of an assessment merged answer by answer against the version both
started from, checked on the files it writes. The corpus of tests/benchmarks/merge_corpus.py (five kinds
of edit on each worked example), comments of both sides, actions matched by what they say, conflicts
kept with both texts and reported by `eqia check`, bad input refused with nothing written, the two-way
merge of a sync client's copies, and a real `git merge` with eqia as the merge driver."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from eqia.document.merge3 import Choice, merge3
from eqia.document.model import ActionItem, Answer, Assessment, Conflict, QCVerdict
from eqia.files import store
from eqia.files.opening import open_assessment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from merge_corpus import CORPUS, run, write_version  # noqa: E402

LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
EA002326 = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
RunCli = Callable[..., Result]
Edit = Callable[[Assessment], None]


def versions(folder: Path, example: Path, ours: Edit, theirs: Edit, base: Edit | None = None):
    """base.toml, ours.toml and theirs.toml in folder: the example (with base's edit) and each side's."""
    edits = [base] if base else []
    paths = folder / "base.toml", folder / "ours.toml", folder / "theirs.toml"
    write_version(example, paths[0], *edits)
    write_version(example, paths[1], *edits, ours)
    write_version(example, paths[2], *edits, theirs)
    return paths


def answer(a: Assessment, qid: str) -> Answer:
    entry = a.answers[qid]
    assert isinstance(entry, Answer)
    return entry


def findings(run_cli: RunCli, path: Path) -> list[dict]:
    done = run_cli("check", "--json", "--severity", "info", path)
    return json.loads(done.stdout)["files"][0]["findings"]


# -- the corpus ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_corpus_case_merges_as_expected(case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EQIA_FORMS", raising=False)
    outcome = run(case, tmp_path)
    assert outcome.problems == [], outcome.output


def test_the_corpus_covers_every_example_and_kind() -> None:
    examples = {c.example for c in CORPUS}
    assert examples == set((ROOT / "assessments").glob("*.toml"))
    assert {c.kind for c in CORPUS} == {
        "separate-answers",
        "same-answer",
        "actions-reordered",
        "progress-updates",
        "history",
    }


# -- a conflict, as the file and eqia check show it -----------------------------------------


def test_a_conflict_keeps_both_texts_and_check_reports_it_at_its_key(tmp_path: Path, run_cli: RunCli) -> None:
    def ours(a: Assessment) -> None:
        answer(a, "purpose").answer = "Ours: the purpose as the team agreed it."

    def theirs(a: Assessment) -> None:
        answer(a, "purpose").answer = "Theirs: the purpose as Cabinet asked for it."
        a.header["reference"] = "EQIA-2026-099"

    base, mine, other = versions(tmp_path, LIBRARY, ours, theirs)
    done = run_cli("merge", base, mine, other)
    assert done.exit_code == 1
    assert "merged: 1 change from theirs, 0 from ours, 1 conflict (answers.purpose.answer)" in done.stdout
    merged = open_assessment(mine).assessment
    assert answer(merged, "purpose").answer == "Ours: the purpose as the team agreed it."
    assert merged.header["reference"] == "EQIA-2026-099"
    (conflict,) = merged.conflicts
    assert conflict.key == "answers.purpose.answer"
    assert conflict.theirs == "Theirs: the purpose as Cabinet asked for it."
    assert conflict.base.startswith("North Wealdshire's library service")
    text = mine.read_text(encoding="utf-8")
    assert '[[conflicts]]\nkey = "answers.purpose.answer"' in text
    (found,) = [f for f in findings(run_cli, mine) if f["rule"] == "EQ030"]
    assert found["key"] == "answers.purpose.answer"
    assert found["severity"] == "error"
    assert found["line"] == text.splitlines().index('answer = "Ours: the purpose as the team agreed it."') + 1
    assert found["message"] == (
        "2.1 Purpose and who is affected: \u201cWhat is the service for, and what outcomes do you expect "
        "fr\u2026\u201d: changed on both sides: ours \u201cOurs: the purpose as the team agreed "
        "it.\u201d, theirs \u201cTheirs: the purpose as Cabinet asked for it.\u201d; choose one: in the "
        "app, ctrl+p \u201cSettle the merge conflict\u201d or edit the answer; in the file, delete the "
        "[[conflicts]] entry"
    )


def test_a_file_with_conflicts_saves_to_identical_bytes(tmp_path: Path, run_cli: RunCli) -> None:
    base, mine, other = versions(
        tmp_path,
        LIBRARY,
        lambda a: a.header.update(ea_name="Ours"),
        lambda a: a.header.update(ea_name="Theirs"),
    )
    assert run_cli("merge", base, mine, other).exit_code == 1
    before = mine.read_bytes()
    opened = open_assessment(mine)
    store.save(opened.assessment, mine, opened.form, base=opened.file)
    assert mine.read_bytes() == before


def test_settling_a_conflict_clears_the_finding(tmp_path: Path, run_cli: RunCli) -> None:
    base, mine, other = versions(
        tmp_path,
        LIBRARY,
        lambda a: a.header.update(ea_name="Ours"),
        lambda a: a.header.update(ea_name="Theirs"),
    )
    run_cli("merge", base, mine, other)
    text = mine.read_text(encoding="utf-8")
    start = text.index("[[conflicts]]")
    end = text.index("[review]")
    mine.write_text(text[:start] + text[end:], encoding="utf-8")
    assert [f for f in findings(run_cli, mine) if f["rule"] == "EQ030"] == []


# -- comments --------------------------------------------------------------------------------


def test_keeps_the_comments_of_both_sides(tmp_path: Path, run_cli: RunCli) -> None:
    base = tmp_path / "base.toml"
    shutil.copyfile(LIBRARY, base)
    text = base.read_text(encoding="utf-8")
    ours_text = text.replace(
        "[answers.evidence_gaps_plan]",
        "# Ours: the youth survey dates are now firm.\n[answers.evidence_gaps_plan]",
    ).replace('reference = "EQIA-2026-041"', 'reference = "EQIA-2026-041A"')
    theirs_text = text.replace(
        "[answers.who_affected]",
        "# Theirs: figures checked with the branch managers.\n[answers.who_affected]",
    ).replace('department = "Communities', 'department = "Place')
    mine, other = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    mine.write_text(ours_text, encoding="utf-8")
    other.write_text(theirs_text, encoding="utf-8")
    done = run_cli("merge", base, mine, other)
    assert done.exit_code == 0, done.output
    merged = mine.read_text(encoding="utf-8").splitlines()
    at = merged.index("[answers.who_affected]")
    assert merged[at - 1] == "# Theirs: figures checked with the branch managers."
    at = merged.index("[answers.evidence_gaps_plan]")
    assert merged[at - 1] == "# Ours: the youth survey dates are now firm."
    assert 'reference = "EQIA-2026-041A"' in merged
    assert 'department = "Place Directorate: Libraries and Culture"' in merged
    # Every comment of the example survives too.
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        line for line in merged if line.startswith("#") and "Ours:" not in line and "Theirs:" not in line
    ]


def test_a_table_theirs_added_arrives_with_its_comments(tmp_path: Path, run_cli: RunCli) -> None:
    base = tmp_path / "base.toml"
    shutil.copyfile(EA002326, base)
    text = base.read_text(encoding="utf-8")
    new_table = (
        "# Theirs: added after the meeting with the Older People's Forum.\n"
        "[characteristics.gender_reassignment.answers.views_of_group]\n"
        "# Theirs: the forum's minutes are in the appendix.\n"
        'answer = "Yes"\n\n'
    )
    other = tmp_path / "theirs.toml"
    other.write_text(
        text.replace(
            "[characteristics.marriage_civil_partnership]",
            new_table + "[characteristics.marriage_civil_partnership]",
        ),
        encoding="utf-8",
    )
    mine = tmp_path / "ours.toml"
    mine.write_text(
        text.replace('status = "draft"', 'status = "draft"\n# Ours: due for QC in March.'), encoding="utf-8"
    )
    done = run_cli("merge", base, mine, other)
    assert done.exit_code == 0, done.output
    merged = mine.read_text(encoding="utf-8").splitlines()
    at = merged.index("[characteristics.gender_reassignment.answers.views_of_group]")
    assert merged[at - 1] == "# Theirs: added after the meeting with the Older People's Forum."
    assert merged[at + 1] == "# Theirs: the forum's minutes are in the appendix."
    assert merged[at + 2] == 'answer = "Yes"'
    assert "# Ours: due for QC in March." in merged
    value = open_assessment(mine).assessment.characteristics["gender_reassignment"].answers["views_of_group"]
    assert isinstance(value, Answer) and value.answer == "Yes"


def test_a_comment_theirs_deleted_goes_when_ours_kept_it(tmp_path: Path, run_cli: RunCli) -> None:
    base = tmp_path / "base.toml"
    shutil.copyfile(LIBRARY, base)
    text = base.read_text(encoding="utf-8")
    heading = "# ------------------------------------------------------------------- 5 Outcome"
    assert heading in text
    other = tmp_path / "theirs.toml"
    other.write_text(text.replace(heading + "\n", ""), encoding="utf-8")
    mine = tmp_path / "ours.toml"
    mine.write_text(text.replace('ea_name = "Library', 'ea_name = "Ours: Library'), encoding="utf-8")
    assert run_cli("merge", base, mine, other).exit_code == 0
    merged = mine.read_text(encoding="utf-8")
    assert heading not in merged
    assert 'ea_name = "Ours: Library' in merged


# -- actions, rows, updates, verdicts, names --------------------------------------------------


def action(n: int, **fields: object) -> ActionItem:
    data = {
        "issue": f"Issue {n}: older residents find the new booking line hard to reach.",
        "characteristics": ["age"],
        "action": f"Action {n}: add a call-back service for people over 75.",
        "owner": f"Owner {n}",
        "target_date": dt.date(2027, 3, 31),
        "success_measure": f"Measure {n}: call-backs offered to all.",
    }
    return ActionItem(**(data | fields))


def three_actions(a: Assessment) -> None:
    a.actions = [action(1), action(2), action(3)]


def merged_actions(base: Edit, ours: Edit, theirs: Edit) -> tuple[list[ActionItem], list[Conflict]]:
    a = open_assessment(EA002326).assessment
    b, o, t = (a.model_copy(deep=True) for _ in range(3))
    for x in (b, o, t):
        base(x)
    ours(o)
    theirs(t)
    result = merge3(b, o, t)
    return result.assessment.actions, result.conflicts


def test_an_action_added_on_both_sides_is_kept_once_when_identical_and_twice_when_not() -> None:
    same, _ = merged_actions(
        three_actions, lambda a: a.actions.append(action(4)), lambda a: a.actions.append(action(4))
    )
    assert [i.owner for i in same] == ["Owner 1", "Owner 2", "Owner 3", "Owner 4"]
    differ, conflicts = merged_actions(
        three_actions,
        lambda a: a.actions.append(action(4)),
        lambda a: a.actions.append(action(5)),
    )
    assert [i.owner for i in differ] == ["Owner 1", "Owner 2", "Owner 3", "Owner 4", "Owner 5"]
    assert conflicts == []


def test_an_action_deleted_on_one_side_goes_unless_the_other_changed_it() -> None:
    kept, conflicts = merged_actions(three_actions, lambda a: a.actions.pop(1), lambda a: None)
    assert [i.owner for i in kept] == ["Owner 1", "Owner 3"] and conflicts == []

    def edit(a: Assessment) -> None:
        a.actions[1].owner = "Theirs: a new owner"

    kept, conflicts = merged_actions(three_actions, lambda a: a.actions.pop(1), edit)
    assert [i.owner for i in kept] == ["Owner 1", "Theirs: a new owner", "Owner 3"]
    (conflict,) = conflicts
    assert conflict.key == "actions[2]"
    assert conflict.ours == ""
    assert "owner: Theirs: a new owner" in conflict.theirs


def test_actions_matched_by_their_action_text_when_the_issue_changed() -> None:
    def ours(a: Assessment) -> None:
        a.actions[0].issue = "Ours: a much shorter issue."

    def theirs(a: Assessment) -> None:
        a.actions.reverse()
        a.actions[-1].owner = "Theirs: owner"

    kept, conflicts = merged_actions(three_actions, ours, theirs)
    assert conflicts == []
    assert [(i.issue[:5], i.owner) for i in kept] == [
        ("Issue", "Owner 3"),
        ("Issue", "Owner 2"),
        ("Ours:", "Theirs: owner"),
    ]


def test_an_actions_characteristics_merge_as_names() -> None:
    kept, conflicts = merged_actions(
        three_actions,
        lambda a: a.actions[0].characteristics.append("disability"),
        lambda a: a.actions[0].characteristics.remove("age") or a.actions[0].characteristics.append("race"),
    )
    assert kept[0].characteristics == ["disability", "race"] and conflicts == []


def test_rows_of_a_repeating_group_merge_one_by_one(tmp_path: Path, run_cli: RunCli) -> None:
    def ours(a: Assessment) -> None:
        answer(a, "evidence_sources").rows[1]["gaps"] = "Ours: who comes in is now counted by age band."

    def theirs(a: Assessment) -> None:
        rows = answer(a, "evidence_sources").rows
        rows.append({"source": "Theirs: Youth Council survey", "type": "Consultation or engagement"})
        rows[0]["shows"] = "Theirs: active members by age band."

    base, mine, other = versions(tmp_path, LIBRARY, ours, theirs)
    done = run_cli("merge", base, mine, other)
    assert done.exit_code == 0, done.output
    rows = answer(open_assessment(mine).assessment, "evidence_sources").rows
    assert rows[0]["shows"] == "Theirs: active members by age band."
    assert rows[1]["gaps"] == "Ours: who comes in is now counted by age band."
    assert rows[-1]["source"] == "Theirs: Youth Council survey"
    assert len(rows) == 7


def test_verdicts_merge_by_key_and_conflict_on_the_same_key() -> None:
    a = open_assessment(LIBRARY).assessment
    b, o, t = (a.model_copy(deep=True) for _ in range(3))
    o.review.verdicts = [QCVerdict(key="answers.purpose", verdict="improvable", comment="Ours")]
    t.review.verdicts = [
        QCVerdict(key="answers.purpose", verdict="must_correct", comment="Theirs"),
        QCVerdict(key="answers.who_affected", verdict="acceptable"),
    ]
    result = merge3(b, o, t)
    assert [(v.key, v.verdict) for v in result.assessment.review.verdicts] == [
        ("answers.purpose", "improvable"),
        ("answers.who_affected", "acceptable"),
    ]
    assert [c.key for c in result.conflicts] == ["review.verdicts[1]"]


def test_include_merges_as_names_and_relevance_by_field() -> None:
    a = open_assessment(LIBRARY).assessment
    b, o, t = (a.model_copy(deep=True) for _ in range(3))
    o.include.remove("rural")
    t.include.append("procurement")
    o.characteristics["race"].full_assessment = True
    t.characteristics["race"].reason = "Theirs: the ESOL clubs keep their hours."
    result = merge3(b, o, t)
    assert result.assessment.include == ["carers", "human_rights", "procurement"]
    race = result.assessment.characteristics["race"]
    assert race.full_assessment is True and race.reason == "Theirs: the ESOL clubs keep their hours."
    assert result.conflicts == []


def test_an_unchanged_merge_gives_the_file_back_unchanged(tmp_path: Path, run_cli: RunCli) -> None:
    for example in sorted((ROOT / "assessments").glob("*.toml")):
        copies = [tmp_path / f"{side}-{example.name}" for side in ("base", "ours", "theirs")]
        for copy in copies:
            shutil.copyfile(example, copy)
        done = run_cli("merge", *copies)
        assert done.exit_code == 0
        assert "merged: 0 changes from theirs, 0 from ours, 0 conflicts" in done.stdout
        assert copies[1].read_bytes() == example.read_bytes()


# -- where it writes, and bad input -------------------------------------------------------------


def test_out_leaves_ours_as_it_was(tmp_path: Path, run_cli: RunCli) -> None:
    base, mine, other = versions(
        tmp_path, LIBRARY, lambda a: a.header.update(ea_name="Ours"), lambda a: a.header.update(reference="T")
    )
    before = mine.read_bytes()
    out = tmp_path / "merged.toml"
    done = run_cli("merge", base, mine, other, "-o", out)
    assert done.exit_code == 0
    assert mine.read_bytes() == before
    merged = open_assessment(out).assessment
    assert (merged.header["ea_name"], merged.header["reference"]) == ("Ours", "T")


def test_bad_input_is_one_paragraph_and_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    base, mine, other = versions(tmp_path, LIBRARY, lambda a: a.header.update(ea_name="Ours"), lambda a: None)
    other.write_text(other.read_text(encoding="utf-8").replace("relevant = true", "relevant = maybe", 1))
    before = mine.read_bytes()
    done = run_cli("merge", base, mine, other)
    assert done.exit_code == 2
    assert done.stdout == ""
    message = done.stderr.strip()
    assert message.startswith(f"eqia: error: {other}, line ") and "\n" not in message
    assert "Traceback" not in done.output
    assert mine.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.toml", "ours.toml", "theirs.toml"]


def test_different_forms_are_refused(tmp_path: Path, run_cli: RunCli) -> None:
    mine, other = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    shutil.copyfile(LIBRARY, mine)
    shutil.copyfile(EA002326, other)
    done = run_cli("merge", mine, mine, other)
    assert done.exit_code == 2
    assert "different forms (psed-england and birmingham-ea)" in done.stderr
    assert "key `form`" in done.stderr
    assert mine.read_bytes() == LIBRARY.read_bytes()


def test_a_missing_file_is_named(tmp_path: Path, run_cli: RunCli) -> None:
    done = run_cli("merge", tmp_path / "nope.toml", LIBRARY, LIBRARY)
    assert done.exit_code == 2
    assert "nope.toml" in done.stderr and "does not exist" in done.stderr


# -- two copies with no common version ---------------------------------------------------------


def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    _, mine, other = versions(
        tmp_path,
        LIBRARY,
        lambda a: a.header.update(ea_name="Ours: Library hours"),
        lambda a: (
            a.header.update(ea_name="Theirs: Library hours"),
            answer(a, "purpose").__setattr__("comment", "T"),
        ),
    )
    return mine, other


def test_two_way_without_a_terminal_is_refused_unless_conflicts_are_asked_for(
    tmp_path: Path, run_cli: RunCli
) -> None:
    mine, other = two_copies(tmp_path)
    before = mine.read_bytes()
    done = run_cli("merge", mine, other)
    assert done.exit_code == 2
    message = done.stderr.strip()
    assert "\n" not in message and "no terminal to ask on" in message and "--conflicts" in message
    assert mine.read_bytes() == before

    done = run_cli("merge", "--conflicts", mine, other)
    assert done.exit_code == 1
    merged = open_assessment(mine).assessment
    assert merged.header["ea_name"] == "Ours: Library hours"
    assert [(c.key, c.theirs) for c in merged.conflicts] == [
        ("header.ea_name", "Theirs: Library hours"),
        ("answers.purpose.comment", "T"),
    ]


def test_two_way_on_a_terminal_asks_for_each_difference(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from eqia.cli import main, merging

    mine, other = two_copies(tmp_path)
    monkeypatch.setattr(merging, "stdin_is_terminal", lambda: True)
    done = CliRunner().invoke(main, ["merge", str(mine), str(other)], input="t\no\n")
    assert done.exit_code == 0, done.output
    assert "header.ea_name differs:" in done.output and "answers.purpose.comment differs:" in done.output
    merged = open_assessment(mine).assessment
    assert merged.header["ea_name"] == "Theirs: Library hours"
    assert answer(merged, "purpose").comment is None
    assert merged.conflicts == []


def test_an_empty_base_is_taken_for_no_common_version(tmp_path: Path, run_cli: RunCli) -> None:
    mine, other = two_copies(tmp_path)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    done = run_cli("merge", "--git", empty, mine, other)
    assert done.exit_code == 1
    assert len(open_assessment(mine).assessment.conflicts) == 2


# -- git -----------------------------------------------------------------------------------


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("EQIA_FORMS", None)
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the library example on main, with eqia as the merge driver."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "assessments").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Officer")
    git(repo, "config", "user.email", "officer@example.org")
    git(repo, "config", "merge.eqia.name", "eqia: assessments merged answer by answer")
    git(repo, "config", "merge.eqia.driver", f"{sys.executable} -m eqia merge --git %O %A %B")
    (repo / ".gitattributes").write_text("assessments/*.toml merge=eqia\n", encoding="utf-8")
    shutil.copyfile(LIBRARY, repo / "assessments" / "library.toml")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "The library assessment")
    return repo


def commit_on(repo: Path, branch: str, edit: Edit, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", branch, start)
    path = repo / "assessments" / "library.toml"
    write_version(path, path, edit)
    git(repo, "commit", "-q", "-am", f"Edit on {branch}")


def test_git_merges_two_branches_answer_by_answer(repo: Path) -> None:
    commit_on(
        repo, "ours", lambda a: answer(a, "purpose").__setattr__("comment", "Ours: agreed by the board.")
    )
    commit_on(
        repo, "theirs", lambda a: answer(a, "who_affected").__setattr__("comment", "Theirs: staff too.")
    )
    git(repo, "checkout", "-q", "ours")
    done = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = open_assessment(repo / "assessments" / "library.toml").assessment
    assert answer(merged, "purpose").comment == "Ours: agreed by the board."
    assert answer(merged, "who_affected").comment == "Theirs: staff too."
    assert merged.conflicts == []
    assert git(repo, "status", "--porcelain").stdout == ""


def test_git_reports_a_conflict_and_the_file_holds_both_texts(repo: Path) -> None:
    commit_on(
        repo, "ours", lambda a: answer(a, "purpose").__setattr__("comment", "Ours: agreed by the board.")
    )
    commit_on(
        repo, "theirs", lambda a: answer(a, "purpose").__setattr__("comment", "Theirs: agreed by Cabinet.")
    )
    git(repo, "checkout", "-q", "ours")
    done = git(repo, "merge", "--no-edit", "theirs", check=False)
    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    path = repo / "assessments" / "library.toml"
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    assert '[[conflicts]]\nkey = "answers.purpose.comment"' in text
    merged = open_assessment(path).assessment
    assert answer(merged, "purpose").comment == "Ours: agreed by the board."
    assert [(c.ours, c.theirs) for c in merged.conflicts] == [
        ("Ours: agreed by the board.", "Theirs: agreed by Cabinet.")
    ]


# -- the review, and two-way lists ------------------------------------------------------------


def test_status_changed_on_both_sides_takes_the_later_change_with_its_approval() -> None:
    from eqia.document.model import HistoryEntry

    a = open_assessment(LIBRARY).assessment
    b, o, t = (a.model_copy(deep=True) for _ in range(3))
    submitted = HistoryEntry(status="submitted", by="Author", at=dt.datetime(2027, 1, 9, 9, 0))
    for x in (b, o, t):
        x.review.history = [submitted.model_copy()]
        x.review.status = "submitted"
    o.review.history.append(HistoryEntry(status="returned", by="QC 1", at=dt.datetime(2027, 1, 10, 9, 0)))
    o.review.status = "returned"
    t.review.history.append(HistoryEntry(status="approved", by="QC 2", at=dt.datetime(2027, 1, 12, 9, 0)))
    t.review.status = "approved"
    t.review.approved_hash = "f" * 64
    result = merge3(b, o, t)
    review = result.assessment.review
    assert review.status == "approved" and review.approved_hash == "f" * 64
    assert [e.by for e in review.history] == ["Author", "QC 1", "QC 2"]
    assert result.notes == [
        "review.status: changed on both sides (ours \u201creturned\u201d, theirs \u201capproved\u201d); "
        "kept \u201capproved\u201d, the later change in the review history."
    ]
    assert result.conflicts == []


def test_two_way_joins_history_and_updates_without_asking() -> None:
    from eqia.document.model import HistoryEntry, ProgressUpdate

    a = open_assessment(LIBRARY).assessment
    o, t = a.model_copy(deep=True), a.model_copy(deep=True)
    o.review.history.append(HistoryEntry(status="submitted", by="O", at=dt.datetime(2027, 2, 1, 9, 0)))
    t.review.history.append(HistoryEntry(status="submitted", by="T", at=dt.datetime(2027, 1, 1, 9, 0)))
    o.actions[0].updates.append(ProgressUpdate(date=dt.date(2027, 5, 1), evidence_of_progress="O"))
    t.actions[0].updates.append(ProgressUpdate(date=dt.date(2027, 4, 1), evidence_of_progress="T"))

    def never(conflict: Conflict) -> Choice:
        raise AssertionError(f"asked about {conflict.key}")

    result = merge3(None, o, t, never)
    assert [e.by for e in result.assessment.review.history] == ["T", "O"]
    assert [u.evidence_of_progress for u in result.assessment.actions[0].updates] == ["T", "O"]


def test_a_windows_file_stays_windows_with_both_sides_comments(tmp_path: Path, run_cli: RunCli) -> None:
    text = LIBRARY.read_text(encoding="utf-8")
    base, mine, other = tmp_path / "base.toml", tmp_path / "ours.toml", tmp_path / "theirs.toml"
    base.write_bytes(text.replace("\n", "\r\n").encode())
    mine.write_bytes(
        text.replace('ea_name = "Library', 'ea_name = "Ours: Library').replace("\n", "\r\n").encode()
    )
    other.write_bytes(
        text.replace("[review]", "# Theirs: QC booked.\n[review]").replace("\n", "\r\n").encode()
    )
    assert run_cli("merge", base, mine, other).exit_code == 0
    data = mine.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")
    assert b"# Theirs: QC booked.\r\n[review]" in data and b'ea_name = "Ours: Library' in data


def test_a_comment_both_sides_changed_keeps_ours_then_theirs(tmp_path: Path, run_cli: RunCli) -> None:
    text = LIBRARY.read_text(encoding="utf-8")
    heading = "# ------------------------------------------------------------------- 5 Outcome"
    base, mine, other = tmp_path / "base.toml", tmp_path / "ours.toml", tmp_path / "theirs.toml"
    base.write_text(text, encoding="utf-8")
    mine.write_text(text.replace(heading, "# 5 Outcome (ours)"), encoding="utf-8")
    other.write_text(text.replace(heading, "# 5 Outcome (theirs)"), encoding="utf-8")
    assert run_cli("merge", base, mine, other).exit_code == 0
    merged = mine.read_text(encoding="utf-8").splitlines()
    at = merged.index("[answers.outcome]")
    assert merged[at - 2 : at] == ["# 5 Outcome (ours)", "# 5 Outcome (theirs)"]


def test_both_approved_anew_keeps_the_later_approval() -> None:
    from eqia.document.model import HistoryEntry

    a = open_assessment(LIBRARY).assessment
    b, o, t = (a.model_copy(deep=True) for _ in range(3))
    for x, day, digest in ((o, 12, "a" * 64), (t, 11, "b" * 64)):
        x.review.history.append(HistoryEntry(status="approved", by="QC", at=dt.datetime(2027, 1, day, 9, 0)))
        x.review.status = "approved"
        x.review.approved_hash = digest
    result = merge3(b, o, t)
    assert result.assessment.review.approved_hash == "a" * 64
    assert result.conflicts == []
    assert result.notes == ["review.approved_hash: both sides approved anew; kept the later approval's."]


async def test_the_app_settles_a_conflict_from_the_palette(tmp_path: Path, run_cli: RunCli) -> None:
    from pilot_steps import wait_until

    from eqia.files import store
    from eqia.tui.app import EqiaApp
    from eqia.tui.screens.editor import EditorScreen

    def ours(a: Assessment) -> None:
        answer(a, "purpose").answer = "Ours: the purpose as the team agreed it."

    def theirs(a: Assessment) -> None:
        answer(a, "purpose").answer = "Theirs: the purpose as Cabinet asked for it."

    base, mine, other = versions(tmp_path, LIBRARY, ours, theirs)
    assert run_cli("merge", base, mine, other).exit_code == 1
    (conflict,) = store.load(mine).conflicts
    app = EqiaApp(mine, me="Jo Bloggs")
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=10)
        screen = app.screen
        titles = [c.title for c in screen.palette_commands()]
        assert f"Settle the merge conflict at {conflict.key}: take theirs" in titles
        screen.settle_conflict(conflict.key, take_theirs=True)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: not screen.session.dirty, timeout=10)
    settled = store.load(mine)
    assert settled.conflicts == [] and settled.answers["purpose"].answer == conflict.theirs
