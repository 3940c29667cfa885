"""Provides the outline of an assessment: which questions apply, in order, with key paths."""

from __future__ import annotations

from dataclasses import dataclass

from eqia.document.form import Characteristic, FormSpec, ListItem, Question, Section, fill
from eqia.document.keypath import KeyPath
from eqia.document.model import Answer, Assessment


@dataclass(slots=True)
class Slot:
    """One answerable place in an assessment: a question, maybe for a characteristic or item."""

    section: Section
    question: Question
    characteristic: Characteristic | None
    item: ListItem | None
    key_path: KeyPath
    text: str
    """The question with its template filled in."""

    def answer(self, assessment: Assessment) -> Answer | None:
        return assessment.get(
            self.question.id,
            self.characteristic.id if self.characteristic else None,
            self.item.id if self.item else None,
        )


def placeholders(
    form: FormSpec, assessment: Assessment, characteristic: Characteristic | None = None
) -> dict[str, str]:
    """The values a template may use for this assessment (and characteristic)."""
    activity_type = assessment.header.get("activity_type")
    activity = form.activity(activity_type if isinstance(activity_type, str) else None)
    values = {
        "activity": activity.noun,
        "activity_lower": activity.noun.lower(),
        "activity_type": activity.value,
        "a_activity_type": f"{activity.article} {activity.value}",
    }
    if characteristic is not None:
        values |= {
            "characteristic": characteristic.label,
            "group": characteristic.group,
            "reason": characteristic.reason,
        }
    return values


def answer_key_path(
    question: Question, characteristic: str | None = None, item: str | None = None
) -> KeyPath:
    if characteristic is not None:
        base = ("characteristics", characteristic, "answers", question.id)
        return (*base, item) if item is not None else base
    if item is not None:
        return ("answers", question.id, item)
    return ("answers", question.id)


def is_shown(
    form: FormSpec, assessment: Assessment, question: Question, section: Section, characteristic: str | None
) -> bool:
    """Whether the form asks this question here, given the answers so far."""
    if question.applies_to and characteristic not in question.applies_to:
        return False
    if not question.show_if:
        return True
    return any(assessment.value(c.question, characteristic) == c.equals for c in question.show_if)


def applies(question: Question, characteristic: str | None) -> bool:
    return not question.applies_to or characteristic in question.applies_to


def slots(
    form: FormSpec,
    assessment: Assessment,
    section: Section,
    characteristic: Characteristic | None = None,
    *,
    shown_only: bool = True,
    values: dict[str, str] | None = None,
) -> list[Slot]:
    """The questions of a section, in form order, for one characteristic where per-characteristic."""
    if values is None:
        values = placeholders(form, assessment, characteristic)
    cid = characteristic.id if characteristic else None
    out: list[Slot] = []
    for q in section.questions:
        if shown_only and not is_shown(form, assessment, q, section, cid):
            continue
        if not applies(q, cid):
            continue
        text = fill(q.text, **values)
        if q.each:
            for item in form.items(q.each, cid):
                out.append(
                    Slot(
                        section,
                        q,
                        characteristic,
                        item,
                        answer_key_path(q, cid, item.id),
                        fill(q.item_text, **values, item=item.label, theme=item.label),
                    )
                )
        else:
            out.append(Slot(section, q, characteristic, None, answer_key_path(q, cid), text))
    return out


def assessed(form: FormSpec, assessment: Assessment) -> list[Characteristic]:
    """Characteristics marked for full assessment, in the form's full-assessment order."""
    return [
        c
        for c in form.full_assessment_order()
        if (rec := assessment.characteristics.get(c.id)) is not None
        and rec.full_assessment
        and (not c.optional or c.id in assessment.include)
    ]


def all_slots(form: FormSpec, assessment: Assessment, *, shown_only: bool = True) -> list[Slot]:
    """Every slot of the assessment in report order."""
    out: list[Slot] = []
    for section in form.sections:
        if section.scope == "characteristic" or not form.section_included(section, assessment.include):
            continue
        out += slots(form, assessment, section, shown_only=shown_only)
        per_char = [
            s
            for s in form.children(section.id)
            if s.scope == "characteristic" and (not s.optional or s.id in assessment.include)
        ]
        for char in assessed(form, assessment):
            for child in per_char:
                out += slots(form, assessment, child, char, shown_only=shown_only)
    return out


@dataclass(slots=True)
class Entry:
    """One numbered heading of the assessment, in report order (3.2.4, Disability - Additional Work)."""

    number: str
    level: int
    """2 for top-level sections (1, 2, ...), one more per number part."""
    title: str
    section: Section | None
    """None for a characteristic's group heading (3.N)."""
    characteristic: Characteristic | None
    values: dict[str, str]
    """Template values for this entry (activity, and the characteristic's group)."""


def numbered(form: FormSpec, assessment: Assessment) -> list[Entry]:
    """Every heading with its number, per-characteristic ones repeated for each assessed characteristic.

    The outline depends only on the activity type, the characteristics assessed and the parts
    switched on, so a batch of similar assessments builds it once (the form keeps the cache).
    """
    activity_type = assessment.header.get("activity_type")
    chars = assessed(form, assessment)
    key = (
        activity_type if isinstance(activity_type, str) else None,
        tuple(c.id for c in chars),
        tuple(assessment.include),
    )
    cache = form.outline_cache
    entries = cache.get(key)
    if entries is None:
        if len(cache) >= 512:
            cache.clear()
        entries = cache[key] = _numbered(form, assessment, chars)
    return list(entries)


def _numbered(form: FormSpec, assessment: Assessment, chars: list[Characteristic]) -> tuple[Entry, ...]:
    out: list[Entry] = []
    base = placeholders(form, assessment)
    char_values = {c.id: placeholders(form, assessment, c) for c in chars}

    include = assessment.include

    def walk(
        section: Section, number: str, level: int, char: Characteristic | None, values: dict[str, str]
    ) -> None:
        out.append(Entry(number, level, fill(section.title, **values), section, char, values))
        children = [s for s in form.children(section.id) if not s.optional or s.id in include]
        per_char = [s for s in children if s.scope == "characteristic"]
        index = 0
        if per_char:
            for c in chars:
                index += 1
                cv = char_values[c.id]
                heading = fill(section.characteristic_heading or "{characteristic}", **cv)
                out.append(Entry(f"{number}.{index}", level + 1, heading, None, c, cv))
                asked = [child for child in per_char if child.asks_for(form, c.id)]
                for sub, child in enumerate(asked, start=1):
                    walk(child, f"{number}.{index}.{sub}", level + 2, c, cv)
        for child in children:
            if child.scope != "characteristic":
                index += 1
                walk(child, f"{number}.{index}", level + 1, None, base)

    top = [s for s in form.children(None) if not s.optional or s.id in include]
    for n, section in enumerate(top, start=1):
        walk(section, str(n), 2, None, base)
    return tuple(out)


def find_heading(
    form: FormSpec,
    assessment: Assessment,
    *,
    kind: str | None = None,
    section: str | None = None,
    question: str | None = None,
    characteristic: str | None = None,
) -> Entry | None:
    """The first numbered heading of this assessment whose section matches: of a kind ("action_plan",
    "relevance"), with an id, holding a question, or for a characteristic. None when the
    assessment's outline has no such heading (an optional section switched off, say)."""
    for entry in numbered(form, assessment):
        s = entry.section
        if characteristic is not None and (
            entry.characteristic is None or entry.characteristic.id != characteristic
        ):
            continue
        if s is None:
            if kind is None and section is None and question is None and characteristic is not None:
                return entry  # the characteristic's own heading (3.N)
            continue
        if kind is not None and s.kind != kind:
            continue
        if section is not None and s.id != section:
            continue
        if question is not None and not any(q.id == question for q in s.questions):
            continue
        return entry
    return None


def heading_label(entry: Entry | None, fallback: str = "") -> str:
    """A heading as users read it, its number then its title, or fallback when there is none."""
    if entry is None:
        return fallback
    return f"{entry.number} {entry.title}" if entry.number else entry.title


def section_label(form: FormSpec, assessment: Assessment, fallback: str = "", **match: str) -> str:
    """The number and title of a section as this assessment numbers it (see find_heading)."""
    return heading_label(find_heading(form, assessment, **match), fallback)


def characteristic_pages(form: FormSpec, assessment: Assessment, characteristic: str) -> list[Entry]:
    """The numbered pages of a characteristic's full assessment that ask questions (3.N.M)."""
    return [
        e
        for e in numbered(form, assessment)
        if e.section is not None
        and e.characteristic is not None
        and e.characteristic.id == characteristic
        and e.section.kind == "questions"
        and e.section.questions
    ]
