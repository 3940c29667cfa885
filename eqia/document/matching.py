"""Provides matching of list items across versions by what they say, not where they stand: which action
(or row of a repeating group) of one version is which of another, and the order a merged list takes.

Items are plain data (a model's dump). Two versions' items are paired in stages: equal items first,
then items with the same non-blank value of each identifying field in turn (an action's issue, then
its action), then the pairs whose text overlaps most, if it overlaps enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

Item = dict[str, Any]

MIN_SIMILARITY = 0.5
"""Two items whose text overlaps less than this (difflib's ratio, 0 to 1) are taken for different items."""


def match(left: Sequence[Item], right: Sequence[Item], keys: Sequence[str] = ()) -> dict[int, int]:
    """Pairs of indexes (left -> right) of the items that are the same item in two versions."""
    pairs: dict[int, int] = {}
    free = list(range(len(right)))

    def pair(i: int, j: int) -> None:
        pairs[i] = j
        free.remove(j)

    for i, item in enumerate(left):
        j = next((j for j in free if right[j] == item), None)
        if j is not None:
            pair(i, j)
    for key in keys:
        for i, item in enumerate(left):
            value = _words(item.get(key))
            if i in pairs or not value:
                continue
            j = next((j for j in free if _words(right[j].get(key)) == value), None)
            if j is not None:
                pair(i, j)
    texts_left = {i: _text(left[i]) for i in range(len(left)) if i not in pairs}
    texts_right = {j: _text(right[j]) for j in free}
    scored = []
    for i, a in texts_left.items():
        for j, b in texts_right.items():
            matcher = SequenceMatcher(None, a, b, autojunk=False)
            if matcher.real_quick_ratio() >= MIN_SIMILARITY and matcher.quick_ratio() >= MIN_SIMILARITY:
                scored.append((matcher.ratio(), i, j))
    for score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score >= MIN_SIMILARITY and i not in pairs and j in free:
            pair(i, j)
    return pairs


def _words(value: Any) -> str:
    return " ".join(value.split()).casefold() if isinstance(value, str) else ""


def _text(item: Item) -> str:
    """An item's plain values, one per line, to compare two items' wording."""
    return "\n".join(
        f"{k}={v}" for k, v in item.items() if not isinstance(v, (list, dict)) and v not in ("", None)
    )


@dataclass(frozen=True)
class Slot:
    """One item of a merged list: its index in the base, in ours and in theirs (None where absent)."""

    base: int | None
    ours: int | None
    theirs: int | None


def slots(
    base: Sequence[Item] | None, ours: Sequence[Item], theirs: Sequence[Item], keys: Sequence[str] = ()
) -> list[Slot]:
    """Every item of three versions of a list, each once. With no base, ours and theirs are paired."""
    if base is None:
        pairs = match(ours, theirs, keys)
        taken = set(pairs.values())
        return [Slot(None, i, pairs.get(i)) for i in range(len(ours))] + [
            Slot(None, None, j) for j in range(len(theirs)) if j not in taken
        ]
    in_ours, in_theirs = match(base, ours, keys), match(base, theirs, keys)
    out = [Slot(b, in_ours.get(b), in_theirs.get(b)) for b in range(len(base))]
    added_ours = [i for i in range(len(ours)) if i not in in_ours.values()]
    added_theirs = [j for j in range(len(theirs)) if j not in in_theirs.values()]
    for i in added_ours:
        # Added on both sides: the same item once; different items twice.
        j = next((j for j in added_theirs if theirs[j] == ours[i]), None)
        if j is not None:
            added_theirs.remove(j)
        out.append(Slot(None, i, j))
    return out + [Slot(None, None, j) for j in added_theirs]


def in_order(found: list[Slot]) -> list[Slot]:
    """The slots in the merged list's order: ours', unless only theirs moved items about; items only the
    other side has go after the item they follow there (and after the first side's additions there)."""
    lead = "theirs" if _moved(found, "theirs") and not _moved(found, "ours") else "ours"
    other = "ours" if lead == "theirs" else "theirs"
    out = sorted((s for s in found if getattr(s, lead) is not None), key=lambda s: getattr(s, lead))
    rest = sorted(
        (s for s in found if getattr(s, lead) is None and getattr(s, other) is not None),
        key=lambda s: getattr(s, other),
    )
    for slot in rest:
        here = getattr(slot, other)
        before = [k for k, s in enumerate(out) if getattr(s, other) is not None and getattr(s, other) < here]
        at = 1 + max(before, key=lambda k: getattr(out[k], other)) if before else 0
        while at < len(out) and getattr(out[at], other) is None:  # after the lead's own additions there
            at += 1
        out.insert(at, slot)
    return out


def _moved(found: list[Slot], side: str) -> bool:
    """Whether a side changed the order of the base's items it kept."""
    kept = sorted(
        (s for s in found if s.base is not None and getattr(s, side) is not None),
        key=lambda s: getattr(s, side),
    )
    order = [s.base for s in kept]
    return order != sorted(order)  # type: ignore[type-var]
