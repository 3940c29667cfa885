"""Provides action-plan tracking: every action of a folder of assessments, its latest grade and what is due.

This module opens a folder tolerantly (a broken file is an error row, never a crash),
lists the actions with their latest grade (the rules are eqia.document.actions), filters
them, and says which assessments are due for review and which actions are due or overdue.
Dates people read are printed the way each assessment's form prints them; JSON and CSV keep
ISO 8601. No Textual, no printing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eqia.document import dates
from eqia.document.actions import GRADES, grade_text, is_due, is_overdue, latest_graded_update
from eqia.document.form import FormSpec
from eqia.document.model import Assessment
from eqia.errors import EqiaError
from eqia.files.opening import Unreadable, assessment_files, open_one
from eqia.usecases.csv_out import to_csv
from eqia.usecases.parallel import map_files

# -- a folder of assessments ----------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One action of one assessment in a folder, as `eqia actions` lists it."""

    file: str
    reference: str
    name: str
    """The assessment's name (EA Name), or the file's stem when it has none."""
    index: int
    """The action's number in its assessment's plan, from 1."""
    issue: str
    characteristics: tuple[str, ...]
    """The protected characteristics' labels, as the form names them."""
    action: str
    owner: str
    target_date: dt.date | None
    grade: int | None
    """The latest grade (see latest_grade), None if never graded."""
    grade_date: dt.date | None
    """The date of the update that gave the latest grade."""
    closed: bool
    overdue: bool
    date_format: str = dates.DEFAULT_FORMAT
    """How the assessment's form prints dates for people."""

    @property
    def target_shown(self) -> str:
        """The target date as the form prints it ("" for none)."""
        return dates.show(self.target_date, self.date_format)

    @property
    def grade_text(self) -> str:
        return grade_text(self.grade)

    def as_json(self) -> dict[str, Any]:
        """Plain data for JSON: ISO dates (and copies as the form prints them, for people)."""
        return {
            "file": self.file,
            "reference": self.reference,
            "name": self.name,
            "index": self.index,
            "issue": self.issue,
            "characteristics": list(self.characteristics),
            "action": self.action,
            "owner": self.owner,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "target_date_uk": self.target_shown,
            "grade": self.grade,
            "grade_text": self.grade_text,
            "grade_date": self.grade_date.isoformat() if self.grade_date else None,
            "closed": self.closed,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class FileError:
    """A file of the folder that could not be read: its path and the reason, in one paragraph."""

    file: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"file": self.file, "error": self.message}


def action_rows(assessment: Assessment, file: str, today: dt.date, form: FormSpec) -> list[ActionRow]:
    """The rows of one assessment's action plan, characteristics named as its form names them."""
    labels = {c.id: c.label for c in form.characteristics}
    reference = assessment.header.get("reference", "")
    name = assessment.header.get("ea_name", "")
    rows = []
    for index, item in enumerate(assessment.actions, start=1):
        graded = latest_graded_update(item)
        rows.append(
            ActionRow(
                file=file,
                reference=str(reference),
                name=str(name) or Path(file).stem,
                index=index,
                issue=item.issue,
                characteristics=tuple(labels.get(c, c) for c in item.characteristics),
                action=item.action,
                owner=item.owner,
                target_date=item.target_date,
                grade=graded.grade if graded is not None else None,
                grade_date=graded.date if graded is not None else None,
                closed=item.closed,
                overdue=is_overdue(item, today),
                date_format=form.form.date_format,
            )
        )
    return rows


def _folder_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise EqiaError(f"the folder {folder} does not exist.", hint="Give the folder of assessments.")
    return assessment_files(folder)


def _file_actions(path: Path, today: dt.date) -> tuple[list[ActionRow], FileError | None]:
    """One file's action rows, or why it could not be opened (run in a worker for a big folder)."""
    entry = open_one(path)
    if isinstance(entry, Unreadable):
        return [], FileError(str(entry.path), entry.message)
    return action_rows(entry.assessment, str(entry.path), today, entry.form), None


def collect_actions(folder: Path, today: dt.date | None = None) -> tuple[list[ActionRow], list[FileError]]:
    """Every action of every assessment in the folder, in file then plan order; and the unreadable files.

    A file that cannot be read, parsed or validated, or whose form is unknown, is an error with its
    message; it never stops the rest.
    """
    today = today or dt.date.today()
    results = map_files(_file_actions, _folder_files(Path(folder)), today)
    return [row for rows, _ in results for row in rows], [error for _, error in results if error]


def filter_actions(
    rows: list[ActionRow],
    *,
    owner: str | None = None,
    overdue: bool = False,
    grade: int | None = None,
) -> list[ActionRow]:
    """Rows passing every filter given: owner contains `owner` (ignoring case), overdue, latest grade."""
    out = rows
    if owner:
        wanted = owner.casefold().strip()
        out = [r for r in out if wanted in r.owner.casefold()]
    if overdue:
        out = [r for r in out if r.overdue]
    if grade is not None:
        if grade not in GRADES:
            raise ValueError(f"grade must be one of 1, 2, 3, 4 (found {grade!r})")
        out = [r for r in out if r.grade == grade]
    return out


def actions_csv(rows: list[ActionRow]) -> str:
    """The rows as CSV, dates ISO 8601; cells starting = + - @ are neutralised for spreadsheets."""
    columns = (
        "file",
        "reference",
        "name",
        "index",
        "characteristics",
        "action",
        "owner",
        "target_date",
        "grade",
        "closed",
        "overdue",
    )
    table = []
    for r in rows:
        cells = (
            r.file,
            r.reference,
            r.name,
            r.index,
            ", ".join(r.characteristics),
            r.action,
            r.owner,
            dates.iso(r.target_date),
            r.grade_text,
            "yes" if r.closed else "no",
            "yes" if r.overdue else "no",
        )
        table.append(cells)
    return to_csv(columns, table)


# -- what falls due -------------------------------------------------------------------------


def due(folder: Path, today: dt.date | None = None, within_days: int = 0) -> dict[str, Any]:
    """Assessments due for review and actions due by their target date, today or within N days.

    An assessment is listed when its review date is today, past, or within `within_days`
    days; an action when its target date is, and it is neither closed nor graded 1 (Fully
    Achieved). Each entry has `overdue`: the date was yesterday or before. Dates are ISO
    (`review_date`, `target_date`) and as the file's form prints them (`*_uk`); `days` counts from today
    (negative when past). Soonest first. Unreadable files are listed under `errors`.
    """
    if within_days < 0:
        raise ValueError("within_days must be 0 or more")
    today = today or dt.date.today()
    results = map_files(_file_due, _folder_files(Path(folder)), today, within_days)
    assessments = [review for review, _, _ in results if review is not None]
    actions = [entry for _, due_actions, _ in results for entry in due_actions]
    errors = [error for _, _, error in results if error is not None]
    assessments.sort(key=lambda e: (e["review_date"], e["file"]))
    actions.sort(key=lambda e: (e["target_date"], e["file"], e["index"]))
    return {
        "today": today.isoformat(),
        "today_uk": dates.show(today),
        "within_days": within_days,
        "assessments": assessments,
        "actions": actions,
        "errors": [e.as_json() for e in errors],
        "any_overdue": any(e["overdue"] for e in assessments + actions),
    }


def _file_due(
    path: Path, today: dt.date, within_days: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]], FileError | None]:
    """One file's review (if due) and due actions, or why it could not be opened (run in a worker)."""
    entry = open_one(path)
    if isinstance(entry, Unreadable):
        return None, [], FileError(str(entry.path), entry.message)
    a, form, horizon = entry.assessment, entry.form, today + dt.timedelta(days=within_days)
    review_entry = None
    review = a.value("review_date")
    if isinstance(review, dt.datetime):
        review = review.date()
    if isinstance(review, dt.date) and review <= horizon:
        review_entry = {
            "file": str(path),
            "reference": str(a.header.get("reference", "")),
            "name": str(a.header.get("ea_name", "")) or path.stem,
            "status": a.review.status,
            "review_date": review.isoformat(),
            "review_date_uk": dates.show(review, form),
            "days": (review - today).days,
            "overdue": review < today,
        }
    due_actions = []
    for row, item in zip(action_rows(a, str(path), today, form), a.actions, strict=True):
        if not is_due(item, today, within_days) or row.target_date is None:
            continue
        data = row.as_json()
        data["days"] = (row.target_date - today).days
        due_actions.append(data)
    return review_entry, due_actions, None


def _when(days: int) -> str:
    if days == 0:
        return "due today"
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    return f"due in {days} day{'s' if days != 1 else ''}"


def due_text(result: dict[str, Any]) -> str:
    """The result of due() as plain text for people, dates as each file's form prints them."""
    days = result["within_days"]
    span = "" if days == 0 else f" or within {days} day{'s' if days != 1 else ''}"
    lines = [f"Due by today{span} (today is {result['today_uk']}):", ""]
    lines.append(f"Assessments due for review ({len(result['assessments'])}):")
    for e in result["assessments"]:
        ref = f"{e['reference']} " if e["reference"] else ""
        lines.append(f"  {ref}{e['name']}: review date {e['review_date_uk']}, {_when(e['days'])}")
    if not result["assessments"]:
        lines.append("  none")
    lines += ["", f"Actions due ({len(result['actions'])}):"]
    for e in result["actions"]:
        ref = f"{e['reference']} " if e["reference"] else ""
        grade = f", latest grade {e['grade_text']}" if e["grade"] is not None else ", not graded yet"
        owner = f" ({e['owner']})" if e["owner"] else ""
        lines.append(
            f"  {ref}action {e['index']}{owner}: target date {e['target_date_uk']}, {_when(e['days'])}{grade}"
        )
        if e["action"]:
            lines.append(f"    {' '.join(e['action'].split())}")
    if not result["actions"]:
        lines.append("  none")
    if result["errors"]:
        lines += ["", f"Files that could not be read ({len(result['errors'])}):"]
        lines += [f"  {e['error']}" for e in result["errors"]]
    return "\n".join(lines) + "\n"
