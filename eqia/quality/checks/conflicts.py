"""Provides the check of merge conflicts (EQ030): a value two people changed differently, recorded by
eqia merge in the file's [[conflicts]] with both texts, that nobody has settled yet."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.keypath import parse_dotted
from eqia.document.outline import all_slots, section_label
from eqia.quality.checks.base import CheckContext, KeyPath, short


def _where(ctx: CheckContext, key_path: KeyPath) -> str:
    """The answer a key path names, as the assessment numbers and asks it ("3.1.6 Age: …: “How will …”")."""
    for slot in all_slots(ctx.form, ctx.assessment, shown_only=False):
        if tuple(key_path[: len(slot.key_path)]) == slot.key_path:
            cid = slot.characteristic.id if slot.characteristic else None
            place = section_label(ctx.form, ctx.assessment, "", question=slot.question.id, characteristic=cid)
            return (
                f"{place}: \u201c{short(slot.text, 60)}\u201d"
                if place
                else f"\u201c{short(slot.text, 60)}\u201d"
            )
    return ".".join(str(p) for p in key_path)


def unresolved_conflicts(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A value changed differently on both sides of a merge: both texts are kept until one is chosen."""
    for i, conflict in enumerate(ctx.assessment.conflicts):
        key_path = parse_dotted(conflict.key) or ("conflicts", i)
        yield (
            key_path,
            f"{_where(ctx, key_path)}: changed on both sides: ours \u201c{short(conflict.ours)}\u201d, "
            f"theirs \u201c{short(conflict.theirs)}\u201d; choose one: in the app, ctrl+p \u201cSettle the "
            "merge conflict\u201d or edit the answer; in the file, delete the [[conflicts]] entry",
        )
