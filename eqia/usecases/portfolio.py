"""Provides the portfolio: one row per assessment in a folder, for `eqia list` and scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from eqia.errors import EqiaError
from eqia.quality.checks import run_checks

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
    """Each *.toml in the folder: read fast; a broken file is a row that says so, never a crash."""
    from eqia.files.store import load_form_for, read

    today = today or dt.date.today()
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        row["file"] = str(path)
        try:
            loaded = read(path)
            a = loaded.assessment
            form = load_form_for(a, path)
        except EqiaError as exc:
            row.update(name=path.stem, status="unreadable", error=str(exc), open_findings="", open_actions="")
            rows.append(row)
            continue
        review_date = a.value("review_date")
        findings = run_checks(form, a, today)
        row.update(
            reference=str(a.header.get("reference", "")),
            name=str(a.header.get("ea_name", "")) or path.stem,
            directorate=str(a.header.get("directorate", "")),
            status=a.review.status,
            review_date=review_date.isoformat() if isinstance(review_date, dt.date) else "",
            open_findings=sum(1 for f in findings if f.severity in ("error", "warning")),
            open_actions=sum(1 for item in a.actions if not item.closed),
            overdue=isinstance(review_date, dt.date) and review_date < today,
        )
        rows.append(row)
    return rows


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


def _cell(value: Any) -> str:
    """Neutralise spreadsheet formulas: a cell starting = + - @ (or tab, CR) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c, "")) for c in COLUMNS])
    return buffer.getvalue()
