"""Provides a three-way merge of assessments: my changes since a base, laid over theirs.

Used to restore unsaved typing onto a file that someone else saved since: every value I changed
since the base is mine, every value I did not change is theirs, so their saves (a status, a
history entry, another answer) survive. Where both changed the same value, mine wins: it is what
was on my screen, and theirs stays in the versions kept beside the file. Lists (actions, rows,
history) are one value each.
"""

from __future__ import annotations

from typing import Any

from eqia.document.model import Assessment

_MISSING = object()


def merge(base: Assessment, mine: Assessment, theirs: Assessment) -> Assessment:
    """Theirs, with every value that mine changed since base set as mine has it."""
    merged = _merge(base.model_dump(), mine.model_dump(), theirs.model_dump())
    return Assessment.model_validate(merged)


def _merge(base: Any, mine: Any, theirs: Any) -> Any:
    if isinstance(mine, dict) and isinstance(theirs, dict):
        base = base if isinstance(base, dict) else {}
        out = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            b, m, t = base.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING)
            if m is _MISSING:
                value = _MISSING if b is not _MISSING else t  # I removed it, or never had it
            elif t is _MISSING:
                value = m if b is _MISSING or m != b else _MISSING  # mine is new, or they removed it
            else:
                value = (
                    _merge(b, m, t) if isinstance(m, dict) and isinstance(t, dict) else (t if m == b else m)
                )
            if value is not _MISSING:
                out[key] = value
        return out
    return theirs if mine == base else mine
