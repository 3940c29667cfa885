"""Provides upgrading a file onto the current version of its form: renamed questions' answers move,
removed questions' answers are kept for `eqia check` to point at, and the file records the new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eqia.document.migrate import Moved, Orphan, orphans, pending
from eqia.files.opening import open_assessment
from eqia.files.store import save


@dataclass(frozen=True)
class Upgraded:
    """What an upgrade did to one file."""

    path: Path
    form_id: str
    old_version: str
    new_version: str
    steps: int
    """How many form versions the file moved across."""
    moved: list[Moved] = field(default_factory=list)
    kept: list[Orphan] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(version, note) of each form version crossed that says what it changed."""

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version


def upgrade_file(path: str | Path) -> Upgraded:
    """Move an assessment file onto its form's current version and save it (unchanged when already there)."""
    opened = open_assessment(path)
    form, assessment = opened.form, opened.assessment.model_copy(deep=True)
    old = assessment.form_version
    if old == form.version:
        return Upgraded(opened.path, form.id, old, old, 0)
    crossed = pending(form, assessment)
    notes = [(m.version, m.note) for m in crossed if m.note]
    assessment.form_version = form.version
    save(assessment, opened.path, form, base=opened.file)
    kept = orphans(form, assessment)
    return Upgraded(opened.path, form.id, old, form.version, len(crossed), opened.moved, kept, notes)
