"""Provides the review lifecycle: status transitions with history, verdicts, the approval hash, diffs.

draft -> submitted -> returned | approved -> published; a returned assessment is
submitted again, and so is an approved one whose author changed an answer. History is only
appended to. Approval records a SHA-256 of the assessment's content (everything but the review
and the tracking of its actions: progress updates and closing), so a later edit shows while the
approved plan can still be tracked.
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
    "approved": ("published", "returned", "submitted"),
    "published": (),
}


def content_hash(assessment: Assessment) -> str:
    """SHA-256 of what the assessment says: header, answers, relevance and actions; not its review, nor
    the tracking of its actions (progress updates, closing), which goes on after approval."""
    return _digest(without_tracking(assessment))


def without_tracking(assessment: Assessment) -> Assessment:
    """A copy of the assessment whose actions have no progress updates and are open."""
    copy = assessment.model_copy(deep=True)
    for item in copy.actions:
        item.updates = []
        item.closed = False
    return copy


def _digest(assessment: Assessment) -> str:
    # Defaults left out: a field added to the model later must not change every approved file's hash.
    data = assessment.model_dump(mode="json", exclude={"review"}, exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def approval_holds(assessment: Assessment) -> bool:
    """Whether the assessment still says what was approved (True when no approval is recorded).

    Approvals recorded before tracking was left out of the hash hashed the tracking too: for those,
    the file as it is, or with only the progress updates dated by the day of approval (the updates
    added since are tracking, not edits), matches as well. No file needs rewriting."""
    stored = assessment.review.approved_hash
    if not stored or content_hash(assessment) == stored:
        return True
    if _digest(assessment) == stored:
        return True
    approvals = [e.at for e in assessment.review.history if e.status == "approved"]
    if not approvals:
        return False
    day = approvals[-1].date()
    for closed in (False, True):
        earlier = assessment.model_copy(deep=True)
        for item in earlier.actions:
            item.updates = [u for u in item.updates if u.date <= day]
            item.closed = item.closed and closed
        if _digest(earlier) == stored:
            return True
    return False


def is_tracking(key_path: KeyPath) -> bool:
    """Whether a change at a key path is tracking of an action (a progress update, closing it), which
    leaves an approval standing, rather than a change to what was approved."""
    return len(key_path) >= 3 and key_path[0] == "actions" and key_path[2] in ("updates", "closed")


STATUS_WORDS: dict[str, str] = {
    "draft": "a draft",
    "submitted": "submitted for review",
    "returned": "returned to its author",
    "approved": "approved",
    "published": "published",
}
"""A status as a sentence says it: "This assessment is …"."""

DOING: dict[str, str] = {
    "submitted": "submitted for review",
    "returned": "returned to its author",
    "approved": "approved",
    "published": "published",
    "draft": "made a draft again",
}

SUBMIT = "in eqia edit: Submit for review, or eqia submit FILE --by NAME"
DECIDE = "in eqia review: Return (R) or Approve (A), or eqia return / eqia approve FILE --by NAME"


def allowed(current: Status, to: Status) -> bool:
    return to in TRANSITIONS[current]


def refusal(current: Status, to: Status) -> tuple[str, str]:
    """Why an assessment cannot move from one status to another, and what to do next, in plain words."""
    now = f"This assessment is {STATUS_WORDS[current]}"
    if current == to:
        return f"{now} already.", _next_step(current)
    if current in ("draft", "returned"):
        return (
            f"{now}: it cannot be {DOING[to]} until its author submits it for review.",
            f"To submit it: {SUBMIT}.",
        )
    if current == "submitted":
        return (
            f"{now}: it cannot be {DOING[to]} until quality control approves it.",
            f"To decide: {DECIDE}.",
        )
    if current == "published":
        return (
            f"{now}, which is final: its status cannot change.",
            "To revise it, save a copy under a new name and submit that for review.",
        )
    return f"{now}: it cannot be {DOING[to]} now.", _next_step(current)


def _next_step(status: Status) -> str:
    return {
        "draft": f"The author submits it for review when it is complete ({SUBMIT}).",
        "submitted": f"Quality control now returns or approves it ({DECIDE}).",
        "returned": f"The author corrects it and submits it again ({SUBMIT}).",
        "approved": "It can be published (eqia publish FILE --by NAME); a change to an answer means it "
        f"must be submitted and approved again ({SUBMIT}).",
        "published": "It is final.",
    }[status]


def must_correct(assessment: Assessment) -> list[QCVerdict]:
    return [v for v in assessment.review.verdicts if v.verdict == "must_correct"]


def transition(
    assessment: Assessment, to: Status, by: str, note: str = "", now: dt.datetime | None = None
) -> None:
    """Move to a new status, appending who and when to the history; EqiaError if not allowed."""
    current = assessment.review.status
    if to not in TRANSITIONS[current]:
        message, hint = refusal(current, to)
        raise EqiaError(message, key="review.status", hint=hint)
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
