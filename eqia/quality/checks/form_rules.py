"""Provides the checks a form states as data in its [[rules]] (EQ026 errors, EQ027 warnings): a date
no later than another, and the fields every started row of a repeating group needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from eqia.document import dates
from eqia.document.form import FormRule
from eqia.document.model import is_blank
from eqia.document.outline import Slot, all_slots, section_label
from eqia.quality.checks.base import CheckContext, KeyPath, where


def _place(ctx: CheckContext, slot: Slot) -> str:
    """Where a slot is, as the assessment numbers its sections: "6.2 Evidence: "."""
    cid = slot.characteristic.id if slot.characteristic else None
    found = section_label(ctx.form, ctx.assessment, "", question=slot.question.id, characteristic=cid)
    return f"{found}: {where(slot)}" if found else where(slot)


def _date(ctx: CheckContext, slots: list[Slot], qid: str) -> tuple[dt.date | None, KeyPath, str, str]:
    """The date a rule names, where it is in the file, its label on the form and its section."""
    form, a = ctx.form, ctx.assessment
    for h in form.header:
        if h.id == qid:
            value = a.header.get(qid)
            return (value if isinstance(value, dt.date) else None), ("header", qid), h.label, ""
    for slot in slots:
        if slot.characteristic is None and slot.question.id == qid:
            answer = slot.answer(a)
            value = answer.answer if answer is not None else None
            path: KeyPath = (*slot.key_path, "answer")
            return (value if isinstance(value, dt.date) else None), path, slot.text, _place(ctx, slot)
    return None, (), qid, ""


def _date_order(ctx: CheckContext, slots: list[Slot], rule: FormRule) -> Iterator[tuple[KeyPath, str]]:
    first, path, first_label, place = _date(ctx, slots, rule.first)
    then, _, then_label, _ = _date(ctx, slots, rule.then)
    if first is None or then is None or first <= then:
        return
    shown = (dates.show(first, ctx.form), dates.show(then, ctx.form))
    yield path, f"{place}{rule.message} ({first_label}: {shown[0]}; {then_label}: {shown[1]})"


def _row_needs(ctx: CheckContext, slots: list[Slot], rule: FormRule) -> Iterator[tuple[KeyPath, str]]:
    for slot in slots:
        if slot.question.id != rule.question:
            continue
        answer = slot.answer(ctx.assessment)
        if answer is None:
            continue
        labels = {f.id: f.label for f in slot.question.fields}
        for r, row in enumerate(answer.rows):
            if all(is_blank(v) for v in row.values()):
                continue
            missing = [f for f in rule.fields if is_blank(row.get(f))]
            if missing:
                names = ", ".join(f"\u201c{labels[f]}\u201d" for f in missing)
                yield (
                    (*slot.key_path, "rows", r, missing[0]),
                    f"{_place(ctx, slot)}row {r + 1} of \u201c{slot.text}\u201d has no {names}. "
                    + rule.message,
                )


def _rules(ctx: CheckContext, severity: str) -> Iterator[tuple[KeyPath, str]]:
    rules = [rule for rule in ctx.form.rules if rule.severity == severity]
    if not rules:
        return
    slots = all_slots(ctx.form, ctx.assessment)  # the outline is walked once, for every rule
    for rule in rules:
        yield from (_date_order if rule.kind == "date_order" else _row_needs)(ctx, slots, rule)


def form_rule_errors(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A rule of the form, stated as an error, is broken."""
    return _rules(ctx, "error")


def form_rule_warnings(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A rule of the form, stated as a warning, is broken."""
    return _rules(ctx, "warning")
