"""Provides the portfolio: one row per assessment in a folder, for `eqia list` and scripts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from eqia.document import dates
from eqia.errors import EqiaError
from eqia.files.opening import Unreadable, assessment_files, open_one
from eqia.quality.checks import run_checks
from eqia.usecases import csv_out
from eqia.usecases.copies import find_copies
from eqia.usecases.parallel import map_files

COLUMNS = (
    "file",
    "reference",
    "name",
    "directorate",
    "status",
    "review_date",
    "open_findings",
    "open_actions",
    "error",
)


def portfolio(folder: Path, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each assessment of the folder: opened fast; a broken file is a row that says so, never a crash.

    A folder that does not exist is an EqiaError, as for the actions and what is due.
    """
    if not folder.is_dir():
        raise EqiaError(f"the folder {folder} does not exist.", hint="Give the folder of assessments.")
    rows = map_files(_row, assessment_files(folder), today or dt.date.today())
    copies = find_copies((Path(r["file"]), r["reference"]) for r in rows if r["status"] != "unreadable")
    for row in rows:
        copy = copies.get(Path(row["file"]))
        row["copy_of"] = str(copy.original) if copy else ""
        row["copy_note"] = copy.describe() if copy else ""
    return rows


def _row(path: Path, today: dt.date) -> dict[str, Any]:
    """One file's row (run in a worker for a big folder)."""
    entry = open_one(path)
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row["file"] = str(entry.path)
    if isinstance(entry, Unreadable):
        row.update(name=entry.path.stem, status="unreadable", error=entry.message)
        return row
    a, form = entry.assessment, entry.form
    review_date = a.value("review_date")
    review_date = review_date if isinstance(review_date, dt.date) else None
    findings = run_checks(form, a, today)
    row.update(
        reference=str(a.header.get("reference", "")),
        name=str(a.header.get("ea_name", "")) or entry.path.stem,
        directorate=str(a.header.get("directorate", "")),
        status=a.review.status,
        review_date=dates.iso(review_date),
        review_date_shown=dates.show(review_date, form),
        open_findings=sum(1 for f in findings if f.severity in ("error", "warning")),
        open_actions=sum(1 for item in a.actions if not item.closed),
        overdue=review_date is not None and review_date < today,
    )
    return row


def filter_rows(
    rows: list[dict[str, Any]],
    *,
    status: str | None = None,
    overdue: bool = False,
    directorate: str | None = None,
) -> list[dict[str, Any]]:
    out = rows
    if status:
        out = [r for r in out if r["status"] == status]
    if overdue:
        out = [r for r in out if r.get("overdue")]
    if directorate:
        out = [r for r in out if str(r["directorate"]).casefold() == directorate.casefold()]
    return out


def to_csv(rows: list[dict[str, Any]]) -> str:
    return csv_out.to_csv(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in rows))
