"""Provides the review lifecycle: status transitions with history, verdicts, the approval hash, diffs.

draft -> submitted -> returned | approved -> published; a returned assessment is
submitted again. History is only appended to. Approval records a SHA-256 of the
assessment's content (everything but the review table), so a later edit shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from eqia.document import dates
from eqia.document.form import FormSpec
from eqia.document.keypath import KeyPath, dotted
from eqia.document.model import Assessment, HistoryEntry, QCVerdict, Status, Verdict
from eqia.document.outline import all_slots
from eqia.errors import EqiaError

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("submitted",),
    "submitted": ("returned", "approved"),
    "returned": ("submitted",),
    "approved": ("published", "returned"),
    "published": (),
}


def content_hash(assessment: Assessment) -> str:
    """SHA-256 of what the assessment says: header, answers, relevance and actions (not its review)."""
    # Defaults left out: a field added to the model later must not change every approved file's hash.
    data = assessment.model_dump(mode="json", exclude={"review"}, exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def must_correct(assessment: Assessment) -> list[QCVerdict]:
    return [v for v in assessment.review.verdicts if v.verdict == "must_correct"]


def transition(
    assessment: Assessment, to: Status, by: str, note: str = "", now: dt.datetime | None = None
) -> None:
    """Move to a new status, appending who and when to the history; EqiaError if not allowed."""
    current = assessment.review.status
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current]) or "nothing (it is final)"
        raise EqiaError(
            f"an assessment that is {current} cannot become {to}; from {current} it can become: {allowed}.",
            key="review.status",
        )
    if not by.strip():
        raise EqiaError(f"say who is marking it {to} (--by NAME).", key="review.history")
    if to == "approved" and (blocking := must_correct(assessment)):
        keys = ", ".join(v.key for v in blocking)
        raise EqiaError(
            f"it cannot be approved while {len(blocking)} answer(s) are marked "
            f"\u201cmust correct\u201d: {keys}.",
            key="review.verdicts",
            hint="Return it to the author, or change those verdicts once the answers are corrected.",
        )
    at = (now or dt.datetime.now()).replace(microsecond=0)
    assessment.review.history.append(HistoryEntry(status=to, by=by.strip(), at=at, note=note))
    assessment.review.status = to
    if to == "approved":
        assessment.review.approved_hash = content_hash(assessment)
    elif to in ("submitted", "returned"):
        assessment.review.approved_hash = None


def set_verdict(
    assessment: Assessment,
    key: str,
    verdict: Verdict,
    comment: str = "",
    by: str = "",
    now: dt.datetime | None = None,
) -> QCVerdict:
    """Record (or replace) the verdict on one answer."""
    at = (now or dt.datetime.now()).replace(microsecond=0)
    entry = QCVerdict(key=key, verdict=verdict, comment=comment, by=by, at=at)
    verdicts = assessment.review.verdicts
    for index, existing in enumerate(verdicts):
        if existing.key == key:
            verdicts[index] = entry
            return entry
    verdicts.append(entry)
    return entry


def verdict_on(assessment: Assessment, key: str) -> QCVerdict | None:
    """The verdict on the answer at a dotted key, if quality control gave one."""
    return next((v for v in assessment.review.verdicts if v.key == key), None)


@dataclass(frozen=True)
class Difference:
    key: str
    question: str
    old: str
    new: str


def diff(form: FormSpec, old: Assessment, new: Assessment) -> list[Difference]:
    """Question by question, what changed between two versions of an assessment."""
    out: list[Difference] = []
    for h in form.header:
        a, b = old.header.get(h.id), new.header.get(h.id)
        if a != b:
            out.append(Difference(f"header.{h.id}", h.label, _text(a, form), _text(b, form)))
    for c in form.characteristics:
        ra, rb = old.characteristics.get(c.id), new.characteristics.get(c.id)
        for name in ("relevant", "full_assessment", "reason"):
            a = getattr(ra, name, None) if ra else None
            b = getattr(rb, name, None) if rb else None
            if a != b:
                out.append(
                    Difference(
                        f"characteristics.{c.id}.{name}",
                        f"{c.label}: {name.replace('_', ' ')}",
                        _text(a, form),
                        _text(b, form),
                    )
                )
    seen: set[KeyPath] = set()
    for version in (old, new):
        for slot in all_slots(form, version, shown_only=False):
            if slot.key_path in seen:
                continue
            seen.add(slot.key_path)
            a_ans, b_ans = slot.answer(old), slot.answer(new)
            label = f"{slot.characteristic.label}: {slot.text}" if slot.characteristic else slot.text
            for part in ("answer", "comment"):
                a = getattr(a_ans, part, None) if a_ans else None
                b = getattr(b_ans, part, None) if b_ans else None
                if _text(a, form) != _text(b, form):
                    name = label if part == "answer" else f"{label} (comment)"
                    out.append(
                        Difference(dotted((*slot.key_path, part)), name, _text(a, form), _text(b, form))
                    )
    if [a.model_dump() for a in old.actions] != [a.model_dump() for a in new.actions]:
        out.append(
            Difference("actions", "Action plan", f"{len(old.actions)} item(s)", f"{len(new.actions)} item(s)")
        )
    return out


def _text(value: Any, form: FormSpec) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return dates.show(value, form)
    return str(value)
