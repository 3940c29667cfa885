"""Provides Assessment: the pydantic model of one assessment document."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from eqia import SCHEMA_VERSION

Status = Literal["draft", "submitted", "returned", "approved", "published"]
Verdict = Literal["acceptable", "improvable", "must_correct"]
AnswerValue = str | dt.date


class _Doc(BaseModel):
    # Unknown keys are errors: a typo in a hand-edited file must not be dropped silently.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Answer(_Doc):
    """One question's answer and the assessor's optional comment."""

    answer: AnswerValue | None = None
    comment: str | None = None
    rows: list[dict[str, AnswerValue]] = Field(default_factory=list)
    """The rows of a repeating group (a question of kind "repeat"), one value per field."""

    def is_empty(self) -> bool:
        if self.answer is not None and not is_blank(self.answer):
            return False  # the usual case, decided without looking further
        return is_blank(self.comment) and not any(not is_blank(v) for row in self.rows for v in row.values())


def is_blank(value: object) -> bool:
    """Whether a value says nothing: None, or text that is empty or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


class CharacteristicRecord(_Doc):
    """The relevance test for one protected characteristic and its full-assessment answers."""

    relevant: StrictBool | None = None
    full_assessment: StrictBool | None = None
    reason: str | None = None
    """Why the characteristic is (or is not) relevant, where the form asks (its relevance.reasons)."""
    answers: dict[str, Answer | dict[str, Answer]] = Field(default_factory=dict)
    """Answers by question id; a question asked per item (an aim, a dimension) holds one per item."""


class ProgressUpdate(_Doc):
    """A dated report on an action: evidence of progress, a grade 1-4, evidence of impact."""

    date: dt.date
    evidence_of_progress: str = ""
    grade: Literal[1, 2, 3, 4] | None = None
    evidence_of_impact: str = ""
    by: str = ""


class ActionItem(_Doc):
    """One item of the action plan."""

    issue: str = ""
    characteristics: list[str] = Field(default_factory=list)
    action: str = ""
    owner: str = ""
    target_date: dt.date | None = None
    success_measure: str = ""
    resources: str = ""
    closed: StrictBool = False
    updates: list[ProgressUpdate] = Field(default_factory=list)


class HistoryEntry(_Doc):
    """One change of review status: who, when and why. History is only appended to."""

    status: Status
    by: str
    at: dt.datetime
    note: str = ""


class QCVerdict(_Doc):
    """A quality control officer's verdict on one answer, with a comment."""

    key: str
    """The answer's key path, as eqia check prints it (characteristics.age.answers.evidence)."""
    verdict: Verdict
    comment: str = ""
    by: str = ""
    at: dt.datetime | None = None


class KeptData(_Doc):
    """A decision that personal data found in an answer may stay in the published assessment."""

    key: str
    """The answer's key path, as eqia check prints it."""
    text: str
    """The text found, exactly: the decision covers this text at this key and nothing else."""
    kind: str
    by: str
    at: dt.datetime
    why: str


class Review(_Doc):
    """Quality-control state of the assessment."""

    status: Status = "draft"
    history: list[HistoryEntry] = Field(default_factory=list)
    """Every change of status, oldest first; only ever appended to."""
    verdicts: list[QCVerdict] = Field(default_factory=list)
    approved_hash: str | None = None
    """SHA-256 of the assessment's content when it was approved (see eqia.quality.review.content_hash)."""
    kept: list[KeptData] = Field(default_factory=list)
    """Personal data reviewed and kept on purpose (eqia keep): it no longer blocks publication."""


class Conflict(_Doc):
    """A value two people changed differently since their common version (eqia merge): the merged file
    keeps ours at the key and this entry keeps both texts, until someone chooses and deletes it."""

    key: str
    """Where the value lives, as eqia check prints it (answers.purpose.answer, actions[2].owner)."""
    ours: str = ""
    theirs: str = ""
    base: str = ""
    """The value as it was before either change ("" when it was new, or with no common version)."""


class Assessment(_Doc):
    """A whole assessment: header, answers, relevance per characteristic, actions, review."""

    schema_version: int = SCHEMA_VERSION
    form: str
    form_version: str
    include: list[str] = Field(default_factory=list)
    """Optional groups and sections of the form that the author switched on."""
    header: dict[str, AnswerValue] = Field(default_factory=dict)
    answers: dict[str, Answer | dict[str, Answer]] = Field(default_factory=dict)
    characteristics: dict[str, CharacteristicRecord] = Field(default_factory=dict)
    actions: list[ActionItem] = Field(default_factory=list)
    unparsed: dict[str, str] = Field(default_factory=dict)
    """Text typed where a value of another kind belongs (a date that is not one), by dotted key path.
    Kept so that nothing typed is lost; the value at that key stays the last one that could be read."""
    conflicts: list[Conflict] = Field(default_factory=list)
    """Values changed differently on both sides of a merge, not yet settled (eqia check reports each)."""
    review: Review = Field(default_factory=Review)

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value < 1:
            raise ValueError("schema_version must be 1 or more")
        return value

    # -- convenient access -------------------------------------------------
    def get(self, qid: str, characteristic: str | None = None, item: str | None = None) -> Answer | None:
        """The answer to a question (per characteristic, or per item of an `each` question)."""
        if characteristic is not None:
            record = self.characteristics.get(characteristic)
            entry = record.answers.get(qid) if record else None
        else:
            entry = self.answers.get(qid)
        if item is not None:
            return entry.get(item) if isinstance(entry, dict) else None
        return entry if isinstance(entry, Answer) else None

    def value(
        self, qid: str, characteristic: str | None = None, item: str | None = None
    ) -> AnswerValue | None:
        answer = self.get(qid, characteristic, item)
        return answer.answer if answer else None

    def full_assessment_ids(self) -> list[str]:
        return [cid for cid, rec in self.characteristics.items() if rec.full_assessment]


def entry_is_empty(entry: Answer | dict[str, Answer]) -> bool:
    """Whether an answer, or every item of a per-item answer, is empty."""
    if isinstance(entry, Answer):
        return entry.is_empty()
    return all(answer.is_empty() for answer in entry.values())
