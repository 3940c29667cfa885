"""Provides the check of merge conflicts (EQ030): a value two people changed differently, recorded by
eqia merge in the file's [[conflicts]] with both texts, that nobody has settled yet."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.keypath import parse_dotted
from eqia.quality.checks.base import CheckContext, KeyPath, short


def unresolved_conflicts(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A value changed differently on both sides of a merge: both texts are kept until one is chosen."""
    for i, conflict in enumerate(ctx.assessment.conflicts):
        key_path = parse_dotted(conflict.key) or ("conflicts", i)
        yield (
            key_path,
            f"{conflict.key}: changed on both sides: ours \u201c{short(conflict.ours)}\u201d, "
            f"theirs \u201c{short(conflict.theirs)}\u201d; choose one and delete the [[conflicts]] entry",
        )
