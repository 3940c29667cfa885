"""Provides the readability check of the public summary (EQ029): its reading age and sentence length
against the targets the form sets ([public_summary]), measured with textstat."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from eqia.document.outline import section_label
from eqia.quality.checks.base import CheckContext, KeyPath

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*\u2022]\s+")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f'\u2019£%-]+")


@dataclass(frozen=True)
class Readability:
    """How hard a text is to read: reading age (Flesch-Kincaid grade + 5), Flesch reading ease, and
    the average and longest sentence in words."""

    reading_age: float
    reading_ease: float
    average_words: float
    longest_words: int
    longest: str


def sentences(text: str) -> list[str]:
    """The sentences of a text; a paragraph break or a list item also ends one."""
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def measure(text: str) -> Readability:
    import textstat  # loads its syllable dictionary: only when a summary is measured

    parts = sentences(text)
    counts = [len(_WORD.findall(s)) for s in parts] or [0]
    longest = max(range(len(counts)), key=counts.__getitem__)
    return Readability(
        reading_age=textstat.flesch_kincaid_grade(text) + 5,
        reading_ease=textstat.flesch_reading_ease(text),
        average_words=sum(counts) / len(counts),
        longest_words=counts[longest],
        longest=parts[longest] if parts else "",
    )


def summary_text(ctx: CheckContext) -> tuple[KeyPath, str, str] | None:
    """The public summary: its key path, its label or section, and its text (None: not asked or blank)."""
    spec = ctx.form.public_summary
    if spec is None:
        return None
    for h in ctx.form.header:
        if h.id == spec.field:
            value = ctx.assessment.header.get(h.id)
            return (("header", h.id), h.label, value) if isinstance(value, str) and value.strip() else None
    answer = ctx.assessment.get(spec.field)
    if answer is None or not isinstance(answer.answer, str) or not answer.answer.strip():
        return None
    place = section_label(ctx.form, ctx.assessment, "", question=spec.field)
    return ("answers", spec.field, "answer"), place, answer.answer


def summary_readability(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """The public summary reads above the reading age or has longer sentences than the form's targets."""
    found = summary_text(ctx)
    spec = ctx.form.public_summary
    if found is None or spec is None:
        return
    path, label, text = found
    r = measure(text)
    age, too_old = round(r.reading_age), round(r.reading_age) > spec.reading_age
    too_long = r.longest_words > spec.sentence_words
    if not (too_old or too_long):
        return
    problems = []
    if too_old:
        problems.append(
            f"it reads at a reading age of about {age} (target {spec.reading_age} or under; Flesch "
            f"reading ease {r.reading_ease:.0f})"
        )
    if too_long:
        quoted = r.longest if len(r.longest) <= 80 else r.longest[:79].rstrip() + "\u2026"
        problems.append(
            f"its longest sentence has {r.longest_words} words (target {spec.sentence_words} or under; "
            f"the average is {r.average_words:.0f}): \u201c{quoted}\u201d"
        )
    yield path, f"{label}: {'; '.join(problems)}. Use short sentences and everyday words."
