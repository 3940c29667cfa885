"""Provides the checks of the writing (EQ014-EQ016): boilerplate, repeated and too-short answers."""

from __future__ import annotations

from collections.abc import Iterator

from eqia.document.form import Characteristic
from eqia.document.outline import (
    Slot,
)
from eqia.quality.checks.base import (
    REPEATED_MIN_COUNT,
    REPEATED_MIN_LENGTH,
    CheckContext,
    KeyPath,
    boilerplate,
    join,
    normalised,
    short,
    text_answers,
    where,
)

# -- quality of the writing ----------------------------------------------------------------


def boilerplate_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Text answers that say nothing: "N/A", "none", "no impact", "TBC", "-" and the like."""
    for slot, text in text_answers(ctx, ("text", "line")):
        if boilerplate(text):
            yield (
                (*slot.key_path, "answer"),
                f'{where(slot)}"{short(text.strip(), 30)}" does not answer "{short(slot.text)}". '
                "Say what applies and why; if the question really does not apply, explain why not.",
            )


def repeated_answers(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The same long text pasted as one question's answer for three or more characteristics."""
    found: list[tuple[Slot, Characteristic, tuple[str, str]]] = []
    groups: dict[tuple[str, str], list[Characteristic]] = {}
    for slot, text in text_answers(ctx, ("text", "line")):
        normal = normalised(text)
        if slot.characteristic is not None and len(normal) >= REPEATED_MIN_LENGTH:
            key = (slot.question.id, normal.casefold())
            found.append((slot, slot.characteristic, key))
            groups.setdefault(key, []).append(slot.characteristic)
    for slot, c, key in found:  # in report order
        if len(groups[key]) < REPEATED_MIN_COUNT:
            continue
        others = join([other.label for other in groups[key] if other is not c])
        yield (
            (*slot.key_path, "answer"),
            f"{c.label}: this answer is word for word the same as for {others}. Shared text is fine "
            f"where the facts really are the same, but say what is particular to {c.group.lower()}.",
        )


def answer_too_short(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Text answers too short to explain anything (under the form's min_explanation_length)."""
    minimum = ctx.form.form.min_explanation_length
    for slot, text in text_answers(ctx, ("text",)):
        normal = normalised(text)
        if len(normal) < minimum and not boilerplate(text):
            yield (
                (*slot.key_path, "answer"),
                f'{where(slot)}"{normal}" is too short to explain anything (under {minimum} '
                f'characters). Answer "{short(slot.text)}" in a sentence or two: what, how and why.',
            )
