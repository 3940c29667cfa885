"""Provides action-plan tracking: every action of a folder of assessments, its latest grade and what is due.

Progress on an action is reported in dated updates, each graded as councils grade
scrutiny progress updates: 1 Fully Achieved, 2 On-Track, 3 Slipped, 4 Not Achieved.
This module reads a folder tolerantly (a broken file is an error row, never a
crash), lists the actions with their latest grade, filters them, and says which
assessments are due for review and which actions are due or overdue.

Dates near today: a date is *due* from `within_days` days before it up to and
including the day itself, and *overdue* from the day after. Dates in any text are
written the UK way, dd/mm/yyyy. Pure: no Textual, no printing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eqia.document.model import ActionItem, Assessment, ProgressUpdate
from eqia.errors import EqiaError

GRADES: dict[int, str] = {1: "Fully Achieved", 2: "On-Track", 3: "Slipped", 4: "Not Achieved"}
"""The grades of an Assessment of Progress, as councils' scrutiny progress updates use them."""

UK_DATE = "%d/%m/%Y"


def uk_date(value: dt.date | None) -> str:
    """A date as dd/mm/yyyy ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime(UK_DATE)


def grade_text(grade: int | None) -> str:
    """A grade as the progress update prints it: "2 (On-Track)"; "" when ungraded."""
    if grade is None:
        return ""
    return f"{grade} ({GRADES.get(grade, 'Unknown grade')})"


# -- one action ---------------------------------------------------------------------------


def _newest(updates: list[ProgressUpdate]) -> ProgressUpdate | None:
    """The newest update by date; of two on the same date, the one listed later."""
    if not updates:
        return None
    return max(enumerate(updates), key=lambda pair: (pair[1].date, pair[0]))[1]


def latest_update(item: ActionItem) -> ProgressUpdate | None:
    """The newest progress update of an action, graded or not."""
    return _newest(item.updates)


def latest_graded_update(item: ActionItem) -> ProgressUpdate | None:
    """The newest progress update of an action that gives a grade."""
    return _newest([u for u in item.updates if u.grade is not None])


def latest_grade(item: ActionItem) -> int | None:
    """The grade of the newest update (by date) that has one; None if never graded."""
    update = latest_graded_update(item)
    return update.grade if update is not None else None


def is_done(item: ActionItem) -> bool:
    """Closed, or graded 1 (Fully Achieved) in its latest graded update: nothing more is due."""
    return item.closed or latest_grade(item) == 1


def is_overdue(item: ActionItem, today: dt.date) -> bool:
    """The target date has passed (yesterday or before), and the action is not closed or achieved."""
    return item.target_date is not None and item.target_date < today and not is_done(item)


def is_due(item: ActionItem, today: dt.date, within_days: int = 0) -> bool:
    """The target date is within `within_days` days of today, today, or past; and the action is open."""
    return (
        item.target_date is not None
        and item.target_date <= today + dt.timedelta(days=within_days)
        and not is_done(item)
    )


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

    @property
    def grade_text(self) -> str:
        return grade_text(self.grade)

    def as_json(self) -> dict[str, Any]:
        """Plain data for JSON: ISO dates (and dd/mm/yyyy copies for people)."""
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
            "target_date_uk": uk_date(self.target_date),
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


def action_rows(
    assessment: Assessment, file: str, today: dt.date, labels: dict[str, str] | None = None
) -> list[ActionRow]:
    """The rows of one assessment's action plan; labels maps characteristic ids to names."""
    labels = labels or {}
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
            )
        )
    return rows


def read_folder(folder: Path) -> tuple[list[tuple[Path, Assessment, dict[str, str]]], list[FileError]]:
    """Each *.toml in the folder, read and validated, with its form's characteristic labels.

    A file that cannot be read, parsed or validated, or whose form is unknown, is an error
    with its message; it never stops the rest.
    """
    from eqia.files.store import load_form_for, read

    if not folder.is_dir():
        raise EqiaError(f"the folder {folder} does not exist.", hint="Give the folder of assessments.")
    loaded: list[tuple[Path, Assessment, dict[str, str]]] = []
    errors: list[FileError] = []
    labels_of: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            assessment = read(path).assessment
            if assessment.form not in labels_of:
                form = load_form_for(assessment, path)
                labels_of[assessment.form] = {c.id: c.label for c in form.characteristics}
        except EqiaError as exc:
            errors.append(FileError(str(path), str(exc)))
            continue
        except Exception as exc:  # one odd file must not stop a folder of hundreds
            errors.append(
                FileError(str(path), f"{path}: eqia could not read this file ({type(exc).__name__}: {exc}).")
            )
            continue
        loaded.append((path, assessment, labels_of[assessment.form]))
    return loaded, errors


def collect_actions(folder: Path, today: dt.date | None = None) -> tuple[list[ActionRow], list[FileError]]:
    """Every action of every assessment in the folder, in file then plan order; and the unreadable files."""
    today = today or dt.date.today()
    loaded, errors = read_folder(Path(folder))
    rows = [row for path, a, labels in loaded for row in action_rows(a, str(path), today, labels)]
    return rows, errors


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
    """The rows as CSV, dates dd/mm/yyyy; cells starting = + - @ are neutralised for spreadsheets."""
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        cells = (
            r.file,
            r.reference,
            r.name,
            r.index,
            ", ".join(r.characteristics),
            r.action,
            r.owner,
            uk_date(r.target_date),
            r.grade_text,
            "yes" if r.closed else "no",
            "yes" if r.overdue else "no",
        )
        writer.writerow([_cell(c) for c in cells])
    return buffer.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# -- what falls due -------------------------------------------------------------------------


def due(folder: Path, today: dt.date | None = None, within_days: int = 0) -> dict[str, Any]:
    """Assessments due for review and actions due by their target date, today or within N days.

    An assessment is listed when its review date is today, past, or within `within_days`
    days; an action when its target date is, and it is neither closed nor graded 1 (Fully
    Achieved). Each entry has `overdue`: the date was yesterday or before. Dates are ISO
    (`review_date`, `target_date`) and dd/mm/yyyy (`*_uk`); `days` counts from today
    (negative when past). Soonest first. Unreadable files are listed under `errors`.
    """
    if within_days < 0:
        raise ValueError("within_days must be 0 or more")
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=within_days)
    loaded, errors = read_folder(Path(folder))
    assessments: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    for path, a, labels in loaded:
        reference = str(a.header.get("reference", ""))
        name = str(a.header.get("ea_name", "")) or path.stem
        review = a.value("review_date")
        if isinstance(review, dt.datetime):
            review = review.date()
        if isinstance(review, dt.date) and review <= horizon:
            assessments.append(
                {
                    "file": str(path),
                    "reference": reference,
                    "name": name,
                    "status": a.review.status,
                    "review_date": review.isoformat(),
                    "review_date_uk": uk_date(review),
                    "days": (review - today).days,
                    "overdue": review < today,
                }
            )
        for row, item in zip(action_rows(a, str(path), today, labels), a.actions, strict=True):
            if not is_due(item, today, within_days):
                continue
            assert row.target_date is not None
            entry = row.as_json()
            entry["days"] = (row.target_date - today).days
            actions.append(entry)
    assessments.sort(key=lambda e: (e["review_date"], e["file"]))
    actions.sort(key=lambda e: (e["target_date"], e["file"], e["index"]))
    return {
        "today": today.isoformat(),
        "today_uk": uk_date(today),
        "within_days": within_days,
        "assessments": assessments,
        "actions": actions,
        "errors": [e.as_json() for e in errors],
        "any_overdue": any(e["overdue"] for e in assessments + actions),
    }


def _when(days: int) -> str:
    if days == 0:
        return "due today"
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    return f"due in {days} day{'s' if days != 1 else ''}"


def due_text(result: dict[str, Any]) -> str:
    """The result of due() as plain text for people, dates dd/mm/yyyy."""
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
