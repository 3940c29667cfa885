"""Provides reading and setting one value of an assessment by key path, as the editor changes it."""

from __future__ import annotations

from typing import Any

from eqia.document.keypath import KeyPath
from eqia.document.model import Answer, Assessment, CharacteristicRecord


def apply_change(assessment: Assessment, key_path: KeyPath, value: Any) -> None:
    """Set one value in the assessment by key path; an empty value clears it."""
    head = key_path[0]
    if head == "header":
        if value in (None, ""):
            assessment.header.pop(str(key_path[1]), None)
        else:
            assessment.header[str(key_path[1])] = value
        return
    if head == "answers":
        _set_answer(assessment.answers, str(key_path[1]), key_path[2:], value)
        return
    if head == "characteristics":
        cid = str(key_path[1])
        record = assessment.characteristics.setdefault(cid, CharacteristicRecord())
        if key_path[2] in ("relevant", "full_assessment", "reason"):
            setattr(record, str(key_path[2]), None if value == "" else value)
            return
        _set_answer(record.answers, str(key_path[3]), key_path[4:], value)
        return
    if head == "include":
        oid = str(key_path[1])
        if value and oid not in assessment.include:
            assessment.include = [*assessment.include, oid]
        elif not value and oid in assessment.include:
            assessment.include = [i for i in assessment.include if i != oid]
        return
    if head == "actions":
        index, name = int(key_path[1]), str(key_path[2])
        setattr(assessment.actions[index], name, value)
        return
    raise KeyError(f"eqia cannot edit {key_path!r}")


def _set_answer(answers: dict[str, Any], qid: str, rest: KeyPath, value: Any) -> None:
    """Set one part of an answer: (answer|comment), (item, answer|comment) or ("rows", index, field)."""
    value = None if value == "" else value
    if len(rest) == 3 and rest[0] == "rows":
        answer = answers.get(qid)
        if not isinstance(answer, Answer):
            answer = answers[qid] = Answer()
        index, name = int(rest[1]), str(rest[2])
        rows = [dict(row) for row in answer.rows]
        while len(rows) <= index:
            rows.append({})
        if value is None:
            rows[index].pop(name, None)
        else:
            rows[index][name] = value
        answer.rows = rows
        return
    if len(rest) == 2:  # a per-item question: answers.themes.children.answer
        entry = answers.get(qid)
        if not isinstance(entry, dict):
            entry = answers[qid] = {}
        answer = entry.setdefault(str(rest[0]), Answer())
    else:
        answer = answers.get(qid)
        if not isinstance(answer, Answer):
            answer = answers[qid] = Answer()
    setattr(answer, str(rest[-1]), value)


def value_at(assessment: Assessment, key_path: KeyPath) -> Any:
    """The value at a key path (an answer, a comment, a header field, an action's field); None if unset."""
    node: Any = assessment
    for part in key_path:
        if node is None:
            return None
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = getattr(node, part, None)
    return node
