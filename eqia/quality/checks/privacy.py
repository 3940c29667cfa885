"""Provides the personal-data check (EQ028): an email address, a phone number, a National Insurance or
NHS number, a home address, a date of birth or an officer's name in the free text of an assessment, which
must be edited out, or reviewed and kept on purpose (`eqia keep`), before the assessment is published."""

from __future__ import annotations

import re
from collections.abc import Iterator

from eqia.document.keypath import dotted
from eqia.document.outline import all_slots, section_label
from eqia.quality.checks.base import CheckContext, KeyPath, short, where
from eqia.quality.personal_data import KINDS, find_personal_data

#: The fields of an action written in free text (its owner is an officer detail, like the header's).
ACTION_TEXT = ("issue", "action", "success_measure", "resources")


#: Words that make an officer field's entry a role or a team, not a person's name ("Transformation Team").
ROLE_WORDS = frozenset(
    {
        *("team", "teams", "manager", "managers", "director", "officer", "officers", "head", "lead"),
        *("service", "services", "unit", "group", "board", "committee", "council", "department"),
        *("directorate", "commissioning", "control", "quality", "assurance", "compliance"),
        *("communications", "partnership", "network", "forum", "panel"),
    }
)


def officer_names(ctx: CheckContext) -> list[str]:
    """The people named in the header fields the form marks as officer details: each entry of a list
    ("Jo Bloggs (Head of Service); Sam Lee") up to its job title, leaving out roles and teams."""
    names = []
    for h in ctx.form.header:
        value = ctx.assessment.header.get(h.id)
        if not h.officer or not isinstance(value, str):
            continue
        for entry in re.split(r"[;\n]|,(?=\s*[A-Z][a-z]+\s+[A-Z])", value):
            name = re.split(r"[(,]", entry)[0].strip()
            words = name.lower().split()
            if len(words) >= 2 and not ROLE_WORDS.intersection(words) and "@" not in name:
                names.append(name)
    return names


def free_text(ctx: CheckContext) -> Iterator[tuple[KeyPath, str, str]]:
    """Every piece of free text an assessment publishes: (key path, where it is in words, the text)."""
    a = ctx.assessment
    for h in ctx.form.header:
        value = a.header.get(h.id)
        if not h.officer and h.kind in ("text", "line") and isinstance(value, str):
            yield ("header", h.id), f"{h.label}: ", value
    for slot in all_slots(ctx.form, a):
        answer = slot.answer(a)
        if answer is None:
            continue
        cid = slot.characteristic.id if slot.characteristic else None
        place = section_label(ctx.form, a, "", question=slot.question.id, characteristic=cid)
        label = f"{place}: " if place else where(slot)
        asked = f"{label}\u201c{short(slot.text, 60)}\u201d"
        if isinstance(answer.answer, str):
            yield (*slot.key_path, "answer"), f"{asked}: ", answer.answer
        if answer.comment:
            yield (*slot.key_path, "comment"), f"{asked}, its comment: ", answer.comment
        for r, row in enumerate(answer.rows):
            for fid, value in row.items():
                if isinstance(value, str):
                    yield (*slot.key_path, "rows", r, fid), f"{asked}, row {r + 1}: ", value
    for i, item in enumerate(a.actions):
        label = f"{ctx.form.action_label('item')} {i + 1}"
        for fid in ACTION_TEXT:
            yield ("actions", i, fid), f"{label}, {ctx.form.action_label(fid)}: ", getattr(item, fid)
        for u, update in enumerate(item.updates):
            for fid, word in (("evidence_of_progress", "evidence"), ("evidence_of_impact", "impact")):
                text = getattr(update, fid)
                yield ("actions", i, "updates", u, fid), f"{label}, {ctx.form.progress_label(word)}: ", text


def personal_data(ctx: CheckContext) -> Iterator[tuple[KeyPath, str]]:
    """Personal data in free text (an email address, a phone number, a National Insurance or NHS number,
    a house number with its postcode, a date of birth, an officer's name) that blocks publication until
    it is edited out or reviewed and kept (eqia keep)."""
    names = officer_names(ctx)
    kept = {(k.key, k.text) for k in ctx.assessment.review.kept}
    for path, label, text in free_text(ctx):
        for found in find_personal_data(text, names):
            key = dotted(path)
            if (key, found.text) in kept:
                continue
            yield (
                path,
                f"{label}{KINDS[found.kind]} (\u201c{found.text}\u201d) would be published. Edit it out, "
                f'or, if it may be published, record why: eqia keep FILE {key} "{found.text}" --why "\u2026"',
            )
