"""Provides who changed what in an assessment: its versions in git compared one after another, answer by
answer, each change with the commit's author, date and message; outside git, the assessment's own review
history. Also reads one side of `eqia diff` at a git revision (PATH@REV)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from eqia.document.form import FormSpec
from eqia.document.model import Assessment
from eqia.errors import AssessmentError, EqiaError
from eqia.files import git
from eqia.files.atomic import digest_of
from eqia.files.opening import Opened, form_for, open_assessment
from eqia.files.store import AssessmentFile, from_data
from eqia.files.tomlfile import parse
from eqia.quality.review import diff

STATUS_KEY, STATUS_QUESTION = "review.status", "Review status"


@dataclass(frozen=True)
class Change:
    """One answer changed in one version: what it was and became, who made the change, when and why."""

    key: str
    question: str
    author: str
    email: str
    date: str
    """ISO 8601, as git gives the commit's date (or the review history's time)."""
    commit: str
    """The commit's hash; "" for a change from the review history."""
    message: str
    """The commit message's first line, or the note kept with a change of status."""
    before: str
    after: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class History:
    """The changes to an assessment's answers, newest first, and where they come from."""

    path: Path
    source: Literal["git", "review"]
    changes: list[Change] = field(default_factory=list)
    why_not_git: str = ""
    """Why the review history is shown (one line), when it is."""
    notes: list[str] = field(default_factory=list)
    """What the history leaves out: changes not committed yet, versions that do not read as assessments."""


def matches(key: str, wanted: str | None) -> bool:
    """Whether an answer's dotted key is the one asked for, or lies under it (a key prefix)."""
    if not wanted:
        return True
    wanted = wanted.strip().rstrip(".")
    return key == wanted or key.startswith(wanted + ".")


def file_history(path: str | Path, question: str | None = None) -> History:
    """Who changed each answer of the assessment at path, newest first (only answers under question, a
    dotted key or key prefix, when given): from git where the file is committed, else from its review
    history. EqiaError when the file cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise AssessmentError(
            "the file does not exist." if not path.exists() else "this is not a file.", file=path
        )
    try:
        where = git.place(path)
        found = git.commits(where)
    except git.NoGit:
        return _review_history(path, question, "Git is not installed")
    except git.NotInGit:
        return _review_history(path, question, "Not in a git repository")
    if not found:
        return _review_history(path, question, "Not committed to git yet")
    history = History(path, "git")
    texts = git.read_versions(where.top, [(c.hash, c.path) for c in found])
    versions: list[tuple[git.Commit, Assessment, FormSpec]] = []
    for commit, text in zip(found, texts, strict=True):
        try:
            versions.append((commit, *_assessment(text, Path(f"{commit.path}@{commit.hash[:7]}"))))
        except EqiaError as exc:
            history.notes.append(f"Commit {commit.hash[:7]} ({commit.message}) is left out: {exc}")
    if versions:
        form = versions[0][2]  # the newest version's form words the questions
        for index, (commit, new, _) in enumerate(versions):
            old = versions[index + 1][1] if index + 1 < len(versions) else _empty(new)
            history.changes += [c for c in _changes(form, old, new, commit) if matches(c.key, question)]
    # A question is worded as the form words it now (its wording can follow the activity's type).
    wording: dict[str, str] = {}
    history.changes = [replace(c, question=wording.setdefault(c.key, c.question)) for c in history.changes]
    if git.uncommitted(where):
        history.notes.insert(0, f"{path} has changes not committed yet: they are not in this history.")
    return history


def _assessment(text: str | None, label: Path) -> tuple[Assessment, FormSpec]:
    """A version of the file as an assessment on its form's current version (answers of renamed
    questions moved), and that form."""
    if text is None:
        raise AssessmentError("git has no such file in this commit.", file=label)
    assessment = from_data(parse(text, label, AssessmentError), label, text)
    return assessment, form_for(assessment, label)[0]


def _empty(like: Assessment) -> Assessment:
    """The file before its first commit: nothing answered."""
    return Assessment(form=like.form, form_version=like.form_version)


def _changes(form: FormSpec, old: Assessment, new: Assessment, commit: git.Commit) -> list[Change]:
    said = dict(author=commit.author, email=commit.email, date=commit.date, commit=commit.hash)
    # Compared from the new version to the old, so that a question is worded as the new version words it
    # (the wording can follow the activity's type, which the empty file before the first commit lacks).
    out = [
        Change(d.key, d.question, message=commit.message, before=d.new, after=d.old, **said)
        for d in diff(form, new, old)
    ]
    if old.review.status != new.review.status:
        out.append(
            Change(
                STATUS_KEY,
                STATUS_QUESTION,
                message=commit.message,
                before=old.review.status,
                after=new.review.status,
                **said,
            )
        )
    return out


def _review_history(path: Path, question: str | None, why: str) -> History:
    """The changes of status the file records (who, when, the note), newest first."""
    opened = open_assessment(path)
    history = History(path, "review", why_not_git=f"{why}: showing the assessment's own review history.")
    before = "draft"  # every assessment starts as a draft
    changes = []
    for entry in opened.assessment.review.history:
        changes.append(
            Change(
                STATUS_KEY,
                STATUS_QUESTION,
                author=entry.by,
                email="",
                date=entry.at.isoformat(),
                commit="",
                message=entry.note,
                before=before,
                after=entry.status,
            )
        )
        before = entry.status
    history.changes = [c for c in reversed(changes) if matches(c.key, question)]
    return history


def split_revision(spec: str) -> tuple[str, str | None]:
    """PATH@REV as (PATH, REV); a plain path (or an existing file whose name has an @) as (PATH, None)."""
    if "@" not in spec or Path(spec).exists():
        return spec, None
    path, _, revision = spec.rpartition("@")
    return path, revision


def open_side(spec: str) -> Opened:
    """One side of `eqia diff`: the file at PATH, or as git has it at a revision for PATH@REV."""
    path, revision = split_revision(spec)
    if revision is None:
        return open_assessment(path)
    if not path:
        raise EqiaError(f"`{spec}` names no file before the @.", hint="Write it as FILE@REVISION.")
    label = Path(spec)
    try:
        text = git.show(Path(path), revision)
    except git.NotInGit as exc:
        raise EqiaError(
            f"{exc.message} {spec} reads the file from git, so it needs one.", file=path
        ) from None
    assessment = from_data(parse(text, label, AssessmentError), label, text)
    form, moved = form_for(assessment, label)
    return Opened(AssessmentFile(label, assessment, text, digest_of(text.encode("utf-8"))), form, moved)
