"""Provides the action-plan rules: the grades 1-4 and their words, an action's latest update and grade,
and when an action is done, due or overdue.

Progress on an action is reported in dated updates, each graded as councils grade scrutiny
progress updates: 1 Fully Achieved, 2 On-Track, 3 Slipped, 4 Not Achieved. A date is *due* from
`within_days` days before it up to and including the day itself, and *overdue* from the day after.
"""

from __future__ import annotations

import datetime as dt

from eqia.document.model import ActionItem, ProgressUpdate

GRADES: dict[int, str] = {1: "Fully Achieved", 2: "On-Track", 3: "Slipped", 4: "Not Achieved"}
"""The grades of an Assessment of Progress, as councils' scrutiny progress updates use them."""


def grade_text(grade: int | None) -> str:
    """A grade as the progress update prints it: "2 (On-Track)"; "" when ungraded."""
    if grade is None:
        return ""
    return f"{grade} ({GRADES.get(grade, 'Unknown grade')})"


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
