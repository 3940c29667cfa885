"""Who changed what: `eqia history` attributes each answer's changes to the commit's author, date and
message, newest first, following the file through a rename; outside git it shows the assessment's own
review history. `eqia diff FILE@REV` compares a file as git has it at a revision."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RunCli

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
PURPOSE = "answers.purpose.answer"
MEETS_NEEDS = "characteristics.age.answers.meets_needs.answer"
ELIMINATE = "characteristics.age.answers.aim_impact.eliminate.comment"
ANN = ("Ann Author", "ann@example.gov.uk")
BOB = ("Bob Checker", "bob@example.gov.uk")


@pytest.fixture(autouse=True)
def plain_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git as installed, without the user's or the system's settings, and no repository above tmp_path."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def commit(repo: Path, who: tuple[str, str], when: str, message: str) -> str:
    name, email = who
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-qam", message],
        cwd=repo,
        env=env,
        check=True,
    )
    return git(repo, "rev-parse", "HEAD").strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, object]:
    """A repository where two people edit different answers of the library example, and the file is
    renamed halfway: {path: the file now, hashes: each commit's, by message}."""
    repo = tmp_path / "repo"
    (repo / "assessments").mkdir(parents=True)
    git(repo, "init", "-q")
    first = repo / "assessments" / "library.toml"
    shutil.copy(LIBRARY, first)
    git(repo, "add", ".")
    hashes = {"First draft": commit(repo, ANN, "2026-01-05T10:00:00+00:00", "First draft")}
    edit(
        first,
        "keeps Saturday opening and two late evenings",
        "keeps Saturday opening and three late evenings",
    )
    hashes["Purpose: three late evenings"] = commit(
        repo, BOB, "2026-02-10T09:30:00+00:00", "Purpose: three late evenings"
    )
    edit(
        first,
        "44% of community library visits are before noon",
        "46% of community library visits are before noon",
    )
    hashes["Age: mornings from the door counters"] = commit(
        repo, ANN, "2026-03-01T16:45:00+00:00", "Age: mornings from the door counters"
    )
    git(repo, "mv", "assessments/library.toml", "assessments/library-hours.toml")
    hashes["Rename"] = commit(repo, BOB, "2026-03-02T08:00:00+00:00", "Rename")
    now = repo / "assessments" / "library-hours.toml"
    edit(now, "Staffed hours are open to everyone.", "Staffed hours are open to everyone, of any age.")
    hashes["Age: staffed hours for all ages"] = commit(
        repo, BOB, "2026-03-05T11:15:00+00:00", "Age: staffed hours for all ages"
    )
    return {"repo": repo, "path": now, "hashes": hashes}


def changes(run_cli: RunCli, path: Path, *args: str) -> list[dict[str, str]]:
    done = run_cli("history", path, "--json", *args)
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_each_answer_is_attributed_to_its_author_date_and_message(run_cli: RunCli, repo) -> None:
    hashes = repo["hashes"]
    found = changes(run_cli, repo["path"])
    assert set(found[0]) == {
        "key",
        "question",
        "author",
        "email",
        "date",
        "commit",
        "message",
        "before",
        "after",
    }
    later = [
        (c["key"], c["author"], c["email"], c["date"], c["message"])
        for c in found
        if c["message"] != "First draft"
    ]
    assert later == [  # newest first
        (ELIMINATE, *BOB, "2026-03-05T11:15:00+00:00", "Age: staffed hours for all ages"),
        (MEETS_NEEDS, *ANN, "2026-03-01T16:45:00+00:00", "Age: mornings from the door counters"),
        (PURPOSE, *BOB, "2026-02-10T09:30:00+00:00", "Purpose: three late evenings"),
    ]
    purpose = [c for c in found if c["key"] == PURPOSE]
    assert [(c["author"], c["commit"]) for c in purpose] == [
        (BOB[0], hashes["Purpose: three late evenings"]),
        (ANN[0], hashes["First draft"]),  # written in the first draft, before the file was renamed
    ]
    assert "two late evenings" in purpose[0]["before"] and "three late evenings" in purpose[0]["after"]
    assert purpose[1]["before"] == "" and purpose[1]["after"] == purpose[0]["before"]
    assert purpose[0]["question"] == purpose[1]["question"] != ""
    assert not any(c["commit"] == hashes["Rename"] for c in found)  # a rename changes no answer


def test_the_history_reads_as_a_person_reads_it(run_cli: RunCli, repo) -> None:
    hashes = repo["hashes"]
    done = run_cli("history", repo["path"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    answers = len({c["key"] for c in changes(run_cli, repo["path"])})  # the first draft wrote them all
    assert lines[0] == f"{repo['path']}: {answers} answer(s) changed in 4 commit(s), newest first."
    heads = [ln.split(":")[0] for ln in lines if ln and not ln.startswith(" ")][1:]
    assert heads[:3] == [ELIMINATE, MEETS_NEEDS, PURPOSE]
    purpose_at = lines.index(next(ln for ln in lines if ln.startswith(PURPOSE + ": ")))
    bob = hashes["Purpose: three late evenings"][:7]
    assert lines[purpose_at + 1] == (
        f"  2026-02-10 09:30  Bob Checker <bob@example.gov.uk>  {bob}  Purpose: three late evenings"
    )
    assert lines[purpose_at + 2] == (
        f"  2026-01-05 10:00  Ann Author <ann@example.gov.uk>  {hashes['First draft'][:7]}  First draft"
    )


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        (PURPOSE, {PURPOSE}),
        ("characteristics.age", {MEETS_NEEDS, ELIMINATE}),
        ("characteristics.age.answers.aim_impact", {ELIMINATE}),
    ],
)
def test_question_limits_the_history_to_an_answer_or_the_answers_under_a_key(
    run_cli: RunCli, repo, question: str, keys: set[str]
) -> None:
    found = changes(run_cli, repo["path"], "--question", question)
    assert found and all(c["key"] == question or c["key"].startswith(question + ".") for c in found)
    assert {c["key"] for c in found if c["message"] != "First draft"} == keys


def test_an_answer_never_changed_is_said(run_cli: RunCli, repo) -> None:
    done = run_cli("history", repo["path"], "--question", "answers.no_such_question")
    assert done.exit_code == 0
    assert (
        done.stdout.strip()
        == f"No changes to answers under `answers.no_such_question` in the history of {repo['path']}."
    )


def test_a_version_that_does_not_read_is_left_out_and_said(run_cli: RunCli, repo) -> None:
    path = repo["path"]
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('form = "psed-england"', 'form = "psed-england'), encoding="utf-8")
    broken = commit(repo["repo"], ANN, "2026-04-01T09:00:00+00:00", "Oops")
    path.write_text(good.replace("of any age", "whatever their age"), encoding="utf-8")
    commit(repo["repo"], ANN, "2026-04-02T09:00:00+00:00", "Fixed the quote")
    done = run_cli("history", path, "--question", ELIMINATE)
    assert done.exit_code == 0, done.output
    assert (
        f"Commit {broken[:7]} (Oops) is left out: assessments/library-hours.toml@{broken[:7]}, line 5:"
        in done.stdout
    )
    assert "  Ann Author <ann@example.gov.uk>" in done.stdout.split(ELIMINATE)[1].splitlines()[1]
    assert "Fixed the quote" in done.stdout


def test_changes_not_committed_yet_are_said(run_cli: RunCli, repo) -> None:
    edit(repo["path"], "Staffed hours are open to everyone, of any age.", "Open to all.")
    done = run_cli("history", repo["path"])
    assert "has changes not committed yet: they are not in this history." in done.stdout


def test_outside_git_the_review_history_is_shown(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "loose" / "library.toml"
    path.parent.mkdir()
    shutil.copy(LIBRARY, path)
    assert run_cli("submit", path, "--by", "Jo Bloggs", "--note", "Ready for QC").exit_code == 0
    assert run_cli("return", path, "--by", "Kim (QC)").exit_code == 0
    done = run_cli("history", path)
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0] == "Not in a git repository: showing the assessment's own review history."
    said = [ln for ln in lines if ln.startswith("  ")]
    assert said[0].endswith("  Kim (QC)  submitted \u2192 returned")
    assert said[1].endswith("  Jo Bloggs  draft \u2192 submitted: Ready for QC")

    done = run_cli("history", path, "--json")
    assert done.stderr.strip().endswith(
        "Not in a git repository: showing the assessment's own review history."
    )
    found = json.loads(done.stdout)
    assert [(c["key"], c["author"], c["before"], c["after"], c["message"]) for c in found] == [
        ("review.status", "Kim (QC)", "submitted", "returned", ""),
        ("review.status", "Jo Bloggs", "draft", "submitted", "Ready for QC"),
    ]


def test_without_git_installed_the_review_history_is_shown(
    run_cli: RunCli, repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    done = run_cli("history", repo["path"])
    assert done.exit_code == 0
    assert done.stdout.splitlines()[0] == "Git is not installed: showing the assessment's own review history."


def test_a_missing_file_is_one_paragraph(run_cli: RunCli, tmp_path: Path) -> None:
    done = run_cli("history", tmp_path / "nowhere.toml")
    assert done.exit_code == 2
    assert done.stderr.strip() == f"eqia: error: {tmp_path / 'nowhere.toml'}: the file does not exist."


# -- eqia diff at git revisions ----------------------------------------------------------------


def test_diff_against_the_last_commit_lists_the_answer_it_changed(
    run_cli: RunCli, repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo["path"].parent)
    done = run_cli("diff", "library-hours.toml@HEAD~1", "library-hours.toml", "--json")
    assert done.exit_code == 1, done.output
    (only,) = json.loads(done.stdout)
    assert only["key"] == ELIMINATE
    assert only["old"].endswith("Staffed hours are open to everyone.")
    assert only["new"].endswith("Staffed hours are open to everyone, of any age.")

    done = run_cli("diff", "library-hours.toml@HEAD~1", "library-hours.toml")
    assert done.exit_code == 1 and "of any age" in done.stdout

    # Either side at a revision, and a file under the name it had before the rename.
    done = run_cli("diff", "library.toml@HEAD~3", "library-hours.toml@HEAD~1", "--json")
    assert [d["key"] for d in json.loads(done.stdout)] == [MEETS_NEEDS]
    assert run_cli("diff", "library-hours.toml@HEAD", "library-hours.toml").exit_code == 0


@pytest.mark.parametrize(
    ("side", "said"),
    [
        ("library-hours.toml@no-such-branch", "git knows no revision `no-such-branch` in the repository at"),
        ("library-hours.toml@HEAD~9", "git knows no revision `HEAD~9`"),
        (
            "library-hours.toml@HEAD~2",
            "the file did not exist as assessments/library-hours.toml at revision `HEAD~2`",
        ),
        ("@HEAD", "names no file before the @"),
    ],
)
def test_diff_at_a_bad_revision_is_one_paragraph(
    run_cli: RunCli, repo, monkeypatch: pytest.MonkeyPatch, side: str, said: str
) -> None:
    monkeypatch.chdir(repo["path"].parent)
    done = run_cli("diff", side, "library-hours.toml")
    assert done.exit_code == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eqia: error: ") and said in lines[0], done.stderr


def test_diff_at_a_revision_outside_git_says_why(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "library.toml"
    shutil.copy(LIBRARY, path)
    done = run_cli("diff", f"{path}@HEAD", path)
    assert done.exit_code == 2
    assert "is not in a git repository" in done.stderr and "reads the file from git" in done.stderr
