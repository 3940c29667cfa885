"""Provides what every check shares: Finding, CheckContext, Check, and helpers that find and word
answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from eqia.document.form import Characteristic, FormSpec
from eqia.document.keypath import KeyPath
from eqia.document.model import Answer, Assessment, is_blank
from eqia.document.outline import (
    Slot,
    all_slots,
    section_label,
)

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Finding:
    """One problem found in an assessment, located by key path."""

    rule: str
    slug: str
    severity: Severity
    key_path: KeyPath
    message: str


@dataclass(frozen=True)
class CheckContext:
    form: FormSpec
    assessment: Assessment
    today: dt.date = field(default_factory=dt.date.today)


CheckFn = Callable[[CheckContext], Iterator[tuple[KeyPath, str]]]


@dataclass(frozen=True)
class Check:
    id: str
    slug: str
    severity: Severity
    fn: CheckFn

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join((self.fn.__doc__ or "").strip().split("\n\n")[0].split())


#: Answers that say nothing, compared in lower case without spaces or punctuation ("" is "-").
BOILERPLATE = frozenset({"", "na", "none", "nil", "noimpact", "notapplicable", "tbc"})
#: Texts at least this long (whitespace normalised) are compared across characteristics.
REPEATED_MIN_LENGTH = 40
#: How many characteristics must share the same text for it to be reported.
REPEATED_MIN_COUNT = 3


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label(ctx: CheckContext, cid: str) -> str:
    return next((c.label for c in ctx.form.characteristics if c.id == cid), cid)


def relevance_label(ctx: CheckContext) -> str:
    """The relevance test's page as this assessment numbers it ("2.3 Relevance Test")."""
    return section_label(ctx.form, ctx.assessment, "the relevance test", kind="relevance")


def action_plan_label(ctx: CheckContext) -> str:
    """The action plan's section, numbered and titled as this assessment's outline has it."""
    return section_label(ctx.form, ctx.assessment, "the action plan", kind="action_plan")


def where(slot: Slot) -> str:
    return f"{slot.characteristic.label}: " if slot.characteristic else ""


def answered(ctx: CheckContext, qid: str, value: str) -> Iterator[tuple[Slot, Characteristic, Answer]]:
    """Shown per-characteristic slots of question qid whose answer is value."""
    for slot in all_slots(ctx.form, ctx.assessment):
        if slot.characteristic is None or slot.question.id != qid:
            continue
        answer = slot.answer(ctx.assessment)
        if answer is not None and answer.answer == value:
            yield slot, slot.characteristic, answer


def text_answers(ctx: CheckContext, kinds: tuple[str, ...]) -> Iterator[tuple[Slot, str]]:
    """Shown slots of these question kinds with a non-blank text answer."""
    for slot in all_slots(ctx.form, ctx.assessment):
        if slot.question.kind not in kinds:
            continue
        answer = slot.answer(ctx.assessment)
        if answer is not None and isinstance(answer.answer, str) and answer.answer.strip():
            yield slot, answer.answer


def normalised(text: str) -> str:
    return " ".join(text.split())


def boilerplate(text: str) -> bool:
    """Non-blank text that says nothing: N/A, none, nil, no impact, not applicable, TBC, "-"."""
    return bool(text.strip()) and re.sub(r"[\W_]+", "", text.casefold()) in BOILERPLATE


def unexplained(ctx: CheckContext, comment: str | None) -> bool:
    """Whether a comment fails to explain: missing, boilerplate or too short."""
    if comment is None or is_blank(comment) or boilerplate(comment):
        return True
    return len(normalised(comment)) < ctx.form.form.min_explanation_length


def mentions(text: str, c: Characteristic) -> bool:
    terms = {c.label, c.table_label, c.group}
    return any(re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, re.IGNORECASE) for t in terms if t)


def join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
