"""Provides merge3: two people's versions of an assessment merged against the version both started from,
answer by answer.

A value only one side changed takes that side's change. A value both sides changed differently keeps
ours in place and is recorded as a Conflict (both texts, and the base's), unless a resolver chooses.
Where one side emptied a value and the other changed it, the changed text stays in place instead, so
that the file still shows it. The unit is the smallest one the model has: each header field; each
answer's value and comment (per characteristic, per item); each row of a repeating group and each
action, matched by what they say (see eqia.document.matching), field by field; each characteristic's
relevance, full assessment and reason; the optional parts switched on.

Lists that only grow are merged as unions: progress updates (ordered by date), the review history
(ordered by time), personal data kept, earlier conflicts. Verdicts are merged by the key they judge.
When both sides changed the review status, the later change in the merged history wins, and the
result says so.

With no base (two copies a sync client left side by side), every difference is a conflict, or the
resolver's choice.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from eqia.document.form import version_key
from eqia.document.keypath import KeyPath, dotted
from eqia.document.matching import Slot, in_order, slots
from eqia.document.model import Assessment, Conflict, is_blank
from eqia.errors import AssessmentError

Choice = Literal["ours", "theirs", "both"]
Resolver = Callable[[Conflict], Choice]
"""Chooses for a value that differs: keep ours, keep theirs, or both (ours in place, and a Conflict)."""


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The base of a two-way merge: nothing is known about who changed what."""

ACTION_KEYS = ("issue", "action")
"""What identifies an action across versions, in turn, before their wording is compared."""
_EMPTY_ANSWER: dict[str, Any] = {"answer": None, "comment": None, "rows": []}
_EMPTY_RECORD: dict[str, Any] = {"relevant": None, "full_assessment": None, "reason": None, "answers": {}}


@dataclass
class MergeResult:
    """The merged assessment, where each change came from, and what needs a person."""

    assessment: Assessment
    from_ours: list[str] = field(default_factory=list)
    """Dotted keys of the changes taken from ours (ours changed them, theirs did not)."""
    from_theirs: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    """The conflicts this merge recorded (earlier ones in the files are kept in the assessment too)."""
    notes: list[str] = field(default_factory=list)
    """Decisions a person should know about, in a sentence each (the review status both changed)."""


def merge3(
    base: Assessment | None, ours: Assessment, theirs: Assessment, resolve: Resolver | None = None
) -> MergeResult:
    """Ours and theirs merged against base (None: a two-way merge, every difference asked or recorded)."""
    if ours.form != theirs.form:
        raise AssessmentError(
            f"the two versions are written on different forms ({ours.form} and {theirs.form}), "
            "so their answers cannot be merged question by question.",
            key="form",
        )
    b = base.model_dump() if base is not None else UNKNOWN
    o, t = ours.model_dump(), theirs.model_dump()
    m = _Merger(resolve)
    out: dict[str, Any] = {
        "schema_version": max(o["schema_version"], t["schema_version"]),
        "form": o["form"],
        "form_version": m.form_version(_sub(b, "form_version"), o["form_version"], t["form_version"]),
        "include": m.set_list(("include",), _sub(b, "include"), o["include"], t["include"]),
        "header": m.mapping(("header",), _sub(b, "header"), o["header"], t["header"]),
        "answers": m.answers(("answers",), _sub(b, "answers"), o["answers"], t["answers"]),
        "characteristics": m.characteristics(
            _sub(b, "characteristics"), o["characteristics"], t["characteristics"]
        ),
        "actions": m.items(
            ("actions",), _sub(b, "actions"), o["actions"], t["actions"], ACTION_KEYS, m.action
        ),
        "unparsed": m.mapping(("unparsed",), _sub(b, "unparsed"), o["unparsed"], t["unparsed"]),
    }
    out["review"] = m.review(_sub(b, "review"), o["review"], t["review"])
    earlier = m.union(("conflicts",), _sub(b, "conflicts"), o["conflicts"], t["conflicts"])
    new = [c.model_dump() for c in m.conflicts]
    out["conflicts"] = earlier + [c for c in new if c not in earlier]
    return MergeResult(Assessment.model_validate(out), m.from_ours, m.from_theirs, m.conflicts, m.notes)


def shown(value: Any) -> str:
    """A value as a conflict keeps it: text as it is, dates as 2026-10-31, lists and tables line by line."""
    if value is None or value is UNKNOWN:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(shown(v) for v in value)
        return "\n\n".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {shown(v)}" for k, v in value.items() if _norm(v) is not None)
    return str(value)


# -- comparing -----------------------------------------------------------------------


def _norm(value: Any) -> Any:
    """A value as it compares: blank text, empty lists and tables are nothing, as in the file."""
    if isinstance(value, str):
        return None if is_blank(value) else value
    if isinstance(value, dict):
        kept = {k: n for k, v in value.items() if (n := _norm(v)) is not None}
        return kept or None
    if isinstance(value, list):
        return [_norm(v) for v in value] or None
    return value


def _same(a: Any, b: Any) -> bool:
    return a is not UNKNOWN and b is not UNKNOWN and _norm(a) == _norm(b)


def _sub(value: Any, key: str | int) -> Any:
    """value[key] through a base that may be unknown (UNKNOWN stays UNKNOWN; a missing key is None)."""
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(key)
    return None


def _keys(*tables: Any) -> list[str]:
    """The keys of ours, then the keys only theirs (or the base) has, each once."""
    out: list[str] = []
    for table in tables:
        if isinstance(table, dict):
            out += [k for k in table if k not in out]
    return out


def _is_answer(entry: Any) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("rows"), list)


def _last_change(review: dict) -> dt.datetime:
    """When a side's review last changed, by its history (the earliest time when it has none)."""
    return max((_moment(e["at"]) for e in review["history"]), default=dt.datetime.min)


def _moment(value: Any) -> dt.datetime:
    """A history entry's time, comparable whether or not it was written with a time zone."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value if isinstance(value, dt.datetime) else dt.datetime.min


# -- merging ---------------------------------------------------------------------------


class _Merger:
    """One merge's walk over the three versions, collecting where changes came from and conflicts."""

    def __init__(self, resolve: Resolver | None) -> None:
        self.resolve = resolve
        self.from_ours: list[str] = []
        self.from_theirs: list[str] = []
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []

    # One value ----------------------------------------------------------------------
    def value(self, path: KeyPath, b: Any, o: Any, t: Any) -> Any:
        """One value: the side that changed it, or a conflict when both changed it differently."""
        if _same(o, t):
            return o
        if _same(o, b):
            self.from_theirs.append(dotted(path))
            return t
        if _same(t, b):
            self.from_ours.append(dotted(path))
            return o
        return self.clash(path, b, o, t)

    def clash(self, path: KeyPath, b: Any, o: Any, t: Any) -> Any:
        """Both changed it (or, with no base, it differs): the resolver's choice, or ours and a Conflict."""
        conflict = Conflict(key=dotted(path), ours=shown(o), theirs=shown(t), base=shown(b))
        choice = self.resolve(conflict) if self.resolve is not None else "both"
        if choice == "ours":
            self.from_ours.append(conflict.key)
            return o
        if choice == "theirs":
            self.from_theirs.append(conflict.key)
            return t
        self.conflicts.append(conflict)
        return t if _norm(o) is None and _norm(t) is not None else o

    def mapping(self, path: KeyPath, b: Any, o: dict, t: dict) -> dict[str, Any]:
        """A table of plain values (the header, a row, unparsed text), key by key."""
        out = {}
        for key in _keys(o, t, b):
            value = self.value((*path, key), _sub(b, key), o.get(key), t.get(key))
            if _norm(value) is not None:
                out[key] = value
        return out

    def set_list(self, path: KeyPath, b: Any, o: list, t: list) -> list:
        """A list of names (optional parts switched on, an action's characteristics): what either side
        added, less what either side removed."""
        if _same(o, t):
            return o
        if b is UNKNOWN:
            return self.value(path, b, o, t) or []
        base = b or []
        removed = [x for x in base if x not in o or x not in t]
        out = [x for x in o if x not in removed] + [x for x in t if x not in o and x not in base]
        if out != o:
            self.from_theirs.append(dotted(path))
        if out != t:
            self.from_ours.append(dotted(path))
        return out

    def union(
        self,
        path: KeyPath,
        b: Any,
        o: list,
        t: list,
        *,
        order: Callable | None = None,
        keep_removed: bool = False,
    ) -> list:
        """Every item of either side once; an item of the base one side removed goes, unless
        keep_removed (a history is only appended to). Sorted by order, ours first among equals."""
        if _same(o, t):
            return o
        if _same(o, b) and not keep_removed:
            self.from_theirs.append(dotted(path))
            return t
        if _same(t, b) and not keep_removed:
            self.from_ours.append(dotted(path))
            return o
        base = b if isinstance(b, list) else []
        out: list = []
        for item in [*o, *t]:
            if item not in out and (keep_removed or item not in base or (item in o and item in t)):
                out.append(item)
        for item in out:
            if item not in base and (item in o) != (item in t):  # added alike on both sides: neither's
                (self.from_ours if item in o else self.from_theirs).append(dotted(path))
        return sorted(out, key=order) if order is not None else out

    # Answers ------------------------------------------------------------------------
    def answers(self, path: KeyPath, b: Any, o: dict, t: dict) -> dict[str, Any]:
        """Answers by question: an answer, or one per item of an `each` question."""
        out = {}
        for qid in _keys(o, t, b):
            eb, eo, et = _sub(b, qid), o.get(qid), t.get(qid)
            present = [e for e in (eb, eo, et) if e is not None and e is not UNKNOWN]
            if all(_is_answer(e) for e in present):
                entry = self.answer((*path, qid), eb, eo, et)
            elif not any(_is_answer(e) for e in present):
                entry = {}
                for item in _keys(eo, et, eb):
                    one = self.answer((*path, qid, item), _sub(eb, item), _sub(eo, item), _sub(et, item))
                    if one is not None:
                        entry[item] = one
            else:  # one side answers it once, the other per item: the whole entry is one value
                entry = self.value((*path, qid), eb, eo, et)
            if _norm(entry) is not None:
                out[qid] = entry
        return out

    def answer(self, path: KeyPath, b: Any, o: Any, t: Any) -> dict[str, Any] | None:
        """One answer: its value, its comment, and the rows of a repeating group one by one."""
        b = _EMPTY_ANSWER if b is None else b
        o = _EMPTY_ANSWER if o is None else o
        t = _EMPTY_ANSWER if t is None else t
        out = {
            "answer": self.value((*path, "answer"), _sub(b, "answer"), o["answer"], t["answer"]),
            "comment": self.value((*path, "comment"), _sub(b, "comment"), o["comment"], t["comment"]),
            "rows": self.items((*path, "rows"), _sub(b, "rows"), o["rows"], t["rows"], (), self.row),
        }
        return out if _norm(out) is not None else None

    def row(self, path: KeyPath, b: Any, o: dict, t: dict) -> dict[str, Any]:
        return self.mapping(path, b if b is not None else {}, o, t)

    def characteristics(self, b: Any, o: dict, t: dict) -> dict[str, Any]:
        out = {}
        for cid in _keys(o, t, b):
            path = ("characteristics", cid)
            rb = _sub(b, cid)
            rb = _EMPTY_RECORD if rb is None else rb
            ro, rt = o.get(cid) or _EMPTY_RECORD, t.get(cid) or _EMPTY_RECORD
            record = {
                name: self.value((*path, name), _sub(rb, name), ro[name], rt[name])
                for name in ("relevant", "full_assessment", "reason")
            }
            record["answers"] = self.answers(
                (*path, "answers"), _sub(rb, "answers"), ro["answers"], rt["answers"]
            )
            if _norm(record) is not None:
                out[cid] = record
        return out

    # Actions and rows: lists of items matched by what they say ------------------------
    def items(
        self,
        path: KeyPath,
        b: Any,
        o: list,
        t: list,
        keys: Sequence[str],
        merge_one: Callable[[KeyPath, Any, Any, Any], Any],
    ) -> list:
        """A list whose items are matched by identity, not position (see eqia.document.matching)."""
        if _same(o, t):
            return o
        base = None if b is UNKNOWN else (b or [])
        out: list = []
        for slot in in_order(slots(base, o, t, keys)):
            item = self._one(path, slot, base, o, t, len(out), merge_one)
            if item is not None:
                out.append(item)
        # One side unchanged: the result is the other side exactly, whatever the matching made of it.
        if _same(o, b):
            return t
        if _same(t, b):
            return o
        return out

    def _one(
        self,
        path: KeyPath,
        slot: Slot,
        base: list | None,
        o: list,
        t: list,
        index: int,
        merge_one: Callable[[KeyPath, Any, Any, Any], Any],
    ) -> Any:
        here = (*path, index)
        ib = UNKNOWN if base is None else (base[slot.base] if slot.base is not None else None)
        io = o[slot.ours] if slot.ours is not None else None
        it = t[slot.theirs] if slot.theirs is not None else None
        if io is not None and it is not None:
            if ib is None:  # added on both sides alike
                return io
            return merge_one(here, ib, io, it)
        if io is None and it is None:
            return None  # removed on both sides
        if ib is None:  # added on one side
            (self.from_ours if io is not None else self.from_theirs).append(dotted(here))
            return io if io is not None else it
        # Removed on one side: gone if the other left it as it was; a conflict if the other changed it.
        return self.value(here, ib, io, it)

    def action(self, path: KeyPath, b: Any, o: dict, t: dict) -> dict[str, Any]:
        """One action, field by field; its characteristics as names, its progress updates as a union."""
        out: dict[str, Any] = {}
        for name in o:
            if name == "characteristics":
                out[name] = self.set_list((*path, name), _sub(b, name), o[name], t[name])
            elif name == "updates":
                out[name] = self.union(
                    (*path, name), _sub(b, name), o[name], t[name], order=lambda u: u["date"]
                )
            else:
                out[name] = self.value((*path, name), _sub(b, name), o[name], t[name])
        return out

    # The review -----------------------------------------------------------------------
    def review(self, b: Any, o: dict, t: dict) -> dict[str, Any]:
        path = ("review",)
        history = self.union(
            (*path, "history"),
            _sub(b, "history"),
            o["history"],
            t["history"],
            order=lambda e: _moment(e["at"]),
            keep_removed=True,
        )
        status, winner = self.status(_sub(b, "status"), o, t, history)
        hashes = _sub(b, "approved_hash"), o["approved_hash"], t["approved_hash"]
        if winner is None and not any(_same(x, y) for x, y in itertools.combinations(hashes, 2)):
            winner = max((o, t), key=_last_change)  # both approved anew: the later approval
            self.notes.append("review.approved_hash: both sides approved anew; kept the later approval's.")
        if winner is None:
            approved = self.value((*path, "approved_hash"), *hashes)
        else:  # the approval goes with the status it belongs to
            approved = winner["approved_hash"]
        return {
            "status": status,
            "history": history,
            "verdicts": self.verdicts(_sub(b, "verdicts"), o["verdicts"], t["verdicts"]),
            "approved_hash": approved,
            "kept": self.union((*path, "kept"), _sub(b, "kept"), o["kept"], t["kept"]),
        }

    def status(self, b: Any, o: dict, t: dict, history: list[dict]) -> tuple[str, dict | None]:
        """The review status; when both changed it, the later change in the history, said in a note.
        Returns the status and, in that case, the review (ours or theirs) it came from."""
        key = ("review", "status")
        so, st = o["status"], t["status"]
        if so == st or (b is not UNKNOWN and st == b):
            if so != st:
                self.from_ours.append(dotted(key))
            return so, None
        if b is not UNKNOWN and so == b:
            self.from_theirs.append(dotted(key))
            return st, None
        latest = max(
            (e for e in history if e["status"] in (so, st)), key=lambda e: _moment(e["at"]), default=None
        )
        chosen = latest["status"] if latest is not None else so
        why = (
            "the later change in the review history"
            if latest is not None
            else "ours, as the review history does not say which is later"
        )
        self.notes.append(
            f"review.status: changed on both sides (ours \u201c{so}\u201d, theirs \u201c{st}\u201d); "
            f"kept \u201c{chosen}\u201d, {why}."
        )
        (self.from_ours if chosen == so else self.from_theirs).append(dotted(key))
        return chosen, o if chosen == so else t

    def verdicts(self, b: Any, o: list[dict], t: list[dict]) -> list[dict]:
        """Verdicts by the key they judge: a conflict when both sides changed one key's differently."""
        if _same(o, t):
            return o

        def by_key(items: Any) -> dict[str, dict]:
            return {v["key"]: v for v in reversed(items)} if isinstance(items, list) else {}

        vb = UNKNOWN if b is UNKNOWN else by_key(b)
        vo, vt = by_key(o), by_key(t)
        out: list[dict] = []
        for key in _keys({v["key"]: v for v in o}, {v["key"]: v for v in t}):
            here = ("review", "verdicts", len(out))
            verdict = self.value(here, _sub(vb, key), vo.get(key), vt.get(key))
            if verdict is not None:
                out.append(verdict)
        return out

    def form_version(self, b: Any, o: str, t: str) -> str:
        """The form version: when both moved the assessment to different versions, the newer one."""
        if o == t or (b is not UNKNOWN and t == b):
            return o
        if b is not UNKNOWN and o == b:
            return t
        newer = max(o, t, key=version_key)
        self.notes.append(f"form_version: ours is {o}, theirs {t}; kept the newer, {newer}.")
        return newer
