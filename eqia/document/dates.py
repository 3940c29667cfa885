"""Provides dates as a form shows them: printing for people, reading what people type, ISO for machines.

The form's `date_format` (a strftime pattern) decides how every date a person reads is printed,
in the app, the checks' messages, reports and the CLI's tables. What people type is read in that
format first, then in its common variants (other separators, two-digit years, ISO, month names).
Files, CSV and JSON keep ISO 8601 (2026-10-31), which this module does not change.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from eqia.document.form import FormInfo, FormSpec

DEFAULT_FORMAT: str = FormInfo.model_fields["date_format"].default
"""The format of a form that does not set one."""

_EXAMPLE = dt.date(2026, 10, 31)
_HINT = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%B": "month", "%b": "mon"}


def _fmt(form: FormSpec | str | None) -> str:
    if form is None:
        return DEFAULT_FORMAT
    return form if isinstance(form, str) else form.form.date_format


def show(value: dt.date | None, form: FormSpec | str | None = None) -> str:
    """A date as the form prints it ("" for none); a date and time shows its date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime(_fmt(form))


def show_time(value: dt.datetime, form: FormSpec | str | None = None) -> str:
    """A date and time as the form prints the date, then hours and minutes."""
    return f"{value.strftime(_fmt(form))} {value:%H:%M}"


def iso(value: dt.date | None) -> str:
    """A date for files, CSV and JSON: ISO 8601 ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def pattern(form: FormSpec | str | None = None) -> str:
    """How to type a date, for hints: dd/mm/yyyy for the default format."""
    return re.sub(r"%[dmYyBb]", lambda m: _HINT[m.group()], _fmt(form))


def example(form: FormSpec | str | None = None) -> str:
    """A date written the form's way, for hints: 31/10/2026 for the default format."""
    return _EXAMPLE.strftime(_fmt(form))


@lru_cache(maxsize=32)
def _accepted(fmt: str) -> tuple[str, ...]:
    """The form's format, then the same with other separators and two- or four-digit years, then ISO
    and month names."""
    out = [fmt]
    for sep in "/-. ":
        for candidate in (fmt, fmt.replace("%Y", "%y"), fmt.replace("%y", "%Y")):
            variant = re.sub(r"(?<=[dmYy])[/.\- ](?=%)", sep, candidate)
            if variant not in out:
                out.append(variant)
    for extra in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        if extra not in out:
            out.append(extra)
    return tuple(out)


def parse(text: str, form: FormSpec | str | None = None) -> dt.date:
    """A date as people type it, the form's way first; ValueError says how to type it."""
    text = text.strip()
    for fmt in _accepted(_fmt(form)):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; type it as {pattern(form)}, for example {example(form)}.")
