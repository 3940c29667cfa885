"""Provides the checks a form states as data in its [[rules]] (EQ026 errors, EQ027 warnings): a date
no later than another, the fields every started row of a repeating group needs, and what must hold
when an answer is given (`when`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from eqia.document import dates
from eqia.document.form import CHARACTERISTIC_PLACEHOLDERS, fill
from eqia.document.model import is_blank
from eqia.document.outline import Slot, all_slots, placeholders, section_label
from eqia.document.rules import FormRule, RuleTest
from eqia.quality.checks.base import CheckContext, KeyPath, where


def _place(ctx: CheckContext, slot: Slot) -> str:
    """Where a slot is, as the assessment numbers its sections: "6.2 Evidence: "."""
    cid = slot.characteristic.id if slot.characteristic else None
    found = section_label(ctx.form, ctx.assessment, "", question=slot.question.id, characteristic=cid)
    if found and slot.characteristic and slot.characteristic.label in found:
        return f"{found}: "  # the section's title already names the characteristic
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


def _state(ctx: CheckContext, slot: Slot, test: RuleTest) -> bool | None:
    """Whether the slot passes the test; None where a comparison meets an unanswered question, which
    the required-answer check (EQ004) reports instead."""
    answer = slot.answer(ctx.assessment)
    value = answer.answer if answer is not None else None
    if test.commented is not None:
        return (answer is not None and not is_blank(answer.comment)) == test.commented
    filled = not is_blank(value) or (
        answer is not None and any(not is_blank(v) for row in answer.rows for v in row.values())
    )
    if test.answered is not None:
        return filled == test.answered
    if not filled:
        return None
    return value == test.equals if test.equals is not None else value != test.not_equals


def _as_is(ctx: CheckContext, slot: Slot, test: RuleTest) -> str:
    """The slot as it stands, in the words of the test it fails: "is No", "has no comment"."""
    if test.commented is not None:
        return RuleTest(question=test.question, commented=not test.commented).state()
    if test.answered is not None:
        return RuleTest(question=test.question, answered=not test.answered).state()
    answer = slot.answer(ctx.assessment)
    return RuleTest(question=test.question, equals=str(answer.answer if answer else "")).state()


def _path(slot: Slot, test: RuleTest) -> KeyPath:
    return (*slot.key_path, "comment" if test.commented is not None else "answer")


def _asked(ctx: CheckContext, slot: Slot) -> str:
    """A per-characteristic question as asked of any characteristic: “Could the service put … at a
    disadvantage …?”."""
    blanks = dict.fromkeys(CHARACTERISTIC_PLACEHOLDERS, "\u2026")
    return fill(slot.question.text, **placeholders(ctx.form, ctx.assessment), **blanks)


def _when(ctx: CheckContext, slots: list[Slot], rule: FormRule) -> Iterator[tuple[KeyPath, str]]:
    """A `when` rule: where its `when` answer is given, each `require` must hold. A per-characteristic
    rule is held per characteristic; a requirement on the very answer that brought the rule into force
    (the aim's comment) is held on that answer; an assessment-wide `when` over a per-characteristic
    requirement is reported once, at the `when` answer, naming each characteristic that breaks it."""
    trigger = rule.when
    assert trigger is not None  # forms check refuses a when rule without one
    fired = [s for s in slots if s.question.id == trigger.question and _state(ctx, s, trigger)]
    by_char: dict[str | None, list[Slot]] = {}
    for slot in fired:
        by_char.setdefault(slot.characteristic.id if slot.characteristic else None, []).append(slot)
    for test in rule.require:
        if test.question == trigger.question:
            for slot in fired:
                if _state(ctx, slot, test) is False:
                    why = f"\u201c{slot.text}\u201d {_as_is(ctx, slot, test)}"
                    yield _path(slot, test), f"{_place(ctx, slot)}{rule.message} ({why})"
            continue
        failing = [
            s
            for s in slots
            if s.question.id == test.question
            and (None in by_char or (s.characteristic.id if s.characteristic else None) in by_char)
            and _state(ctx, s, test) is False
        ]
        if not failing:
            continue
        if None in by_char and failing[0].characteristic is not None:
            cause = by_char[None][0]
            names = ", ".join(s.characteristic.label for s in failing if s.characteristic)
            why = (
                f"{trigger.wording(cause.text)}; \u201c{_asked(ctx, failing[0])}\u201d "
                f"{_as_is(ctx, failing[0], test)} for {names}"
            )
            yield _path(cause, trigger), f"{_place(ctx, cause)}{rule.message} ({why})"
            continue
        for slot in failing:
            cid = slot.characteristic.id if slot.characteristic else None
            causes = by_char.get(cid) or [s for group in by_char.values() for s in group]
            because = "; ".join(
                trigger.wording(c.text)
                + (f" for {c.characteristic.label}" if cid is None and c.characteristic else "")
                for c in causes
            )
            why = f"{because}; \u201c{slot.text}\u201d {_as_is(ctx, slot, test)}"
            yield _path(slot, test), f"{_place(ctx, slot)}{rule.message} ({why})"


_KINDS = {"date_order": _date_order, "row_needs": _row_needs, "when": _when}


def _rules(ctx: CheckContext, severity: str) -> Iterator[tuple[KeyPath, str]]:
    rules = [rule for rule in ctx.form.rules if rule.severity == severity]
    if not rules:
        return
    slots = all_slots(ctx.form, ctx.assessment)  # the outline is walked once, for every rule
    for rule in rules:
        yield from _KINDS[rule.kind](ctx, slots, rule)


def form_rule_errors(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A rule of the form, stated as an error, is broken."""
    return _rules(ctx, "error")


def form_rule_warnings(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """A rule of the form, stated as a warning, is broken."""
    return _rules(ctx, "warning")
