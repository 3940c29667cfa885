"""Provides EditSession: one assessment being edited, its saves, recovery copy and conflicts.

Textual-free, so the TUI stays thin and this logic is tested on its own: the
TUI turns keypresses into `change(key_path, value)` calls and asks for saves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eqia.document.edits import apply_change, value_at
from eqia.document.form import FormSpec
from eqia.document.keypath import KeyPath, dotted, parse_dotted
from eqia.document.merge import merge
from eqia.document.migrate import Moved
from eqia.document.model import (
    ActionItem,
    Assessment,
    ProgressUpdate,
    QCVerdict,
    Status,
    Verdict,
)
from eqia.errors import AssessmentError, EqiaError, SaveError
from eqia.files import history, store
from eqia.files.atomic import digest_of, remove_stale_temps, write_atomic
from eqia.files.opening import open_assessment
from eqia.quality.checks import Finding, run_checks
from eqia.quality.review import Difference, diff, is_tracking, set_verdict, transition, verdict_on


def recovery_path(path: Path) -> Path:
    """Where unsaved typing is kept between autosaves: a hidden file beside the assessment."""
    return path.with_name(f".{path.name}.eqia-recovery")


@dataclass(frozen=True)
class Earlier:
    """An answer's value in a version of the file kept beside it."""

    at: dt.datetime
    why: str
    """"opened" (as the file was opened) or "saved"."""
    value: Any


@dataclass
class EditSession:
    """An assessment open for editing."""

    path: Path
    form: FormSpec
    file: store.AssessmentFile
    assessment: Assessment
    read_only: bool = False
    dirty: bool = False
    changes: int = 0
    """Counts edits, so a save knows whether typing happened while it ran."""
    saved_changes: int = 0
    findings: list[Finding] = field(default_factory=list)

    _save_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    answers_locked: bool = False
    """Review mode: answers, relevance, options and actions cannot change; verdicts and status can."""
    moved: list[Moved] = field(default_factory=list)
    """Answers that opening moved to questions the form renamed (see eqia.document.migrate)."""
    keeps_recovery: bool = True
    """Whether this session writes (and, once saved, removes) the recovery copy. A review does only
    when no author's typing is kept there: it must neither overwrite nor drop that typing, and must not
    leave its own verdicts behind for the author to be offered as unsaved changes."""

    @classmethod
    def open(cls, path: str | Path, *, review: bool = False) -> EditSession:
        opened = open_assessment(path)
        path = opened.path
        read_only = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        session = cls(
            path,
            opened.form,
            opened.file,
            opened.assessment.model_copy(deep=True),
            read_only=read_only,
            answers_locked=review,
            moved=opened.moved,
        )
        session.recheck()
        if review:
            session.keeps_recovery = session.pending_recovery() is None
        if not read_only:
            remove_stale_temps(path)
            history.record(path, opened.file.text, "opened")
        return session

    # -- editing --------------------------------------------------------------------
    def _editable(self) -> None:
        if self.answers_locked:
            raise EqiaError(
                "answers are read-only while reviewing; give a verdict or a comment instead.",
                file=self.path,
            )

    def change(self, key_path: KeyPath, value: Any) -> None:
        """Set one value (an answer, a header field, relevance, an option, an action's field). A merge
        conflict recorded at it is settled: the author chose what it says by writing it."""
        self._editable()
        apply_change(self.assessment, key_path, value)
        key = dotted(key_path)
        self.assessment.unparsed.pop(key, None)
        if any(c.key == key for c in self.assessment.conflicts):
            self.assessment.conflicts = [c for c in self.assessment.conflicts if c.key != key]
        self.dirty = True
        self.changes += 1

    def settle_conflict(self, key: str, take_theirs: bool) -> None:
        """Settle the merge conflict at a key: keep ours (what the file holds) or take theirs."""
        conflict = next(c for c in self.assessment.conflicts if c.key == key)
        path = parse_dotted(key)
        if take_theirs and path is not None:
            self.change(path, conflict.theirs)
        else:
            self._editable()
            self.assessment.conflicts = [c for c in self.assessment.conflicts if c.key != key]
            self.dirty = True
            self.changes += 1

    def keep_typed(self, key_path: KeyPath, text: str) -> None:
        """Keep text typed where it could not be read (a date that is not one), beside the last value
        that could; checks report it until it is corrected. Blank text forgets it."""
        self._editable()
        key = dotted(key_path)
        if text.strip():
            self.assessment.unparsed = {**self.assessment.unparsed, key: text}
        elif key in self.assessment.unparsed:
            self.assessment.unparsed = {k: v for k, v in self.assessment.unparsed.items() if k != key}
        else:
            return
        self.dirty = True
        self.changes += 1

    def typed(self, key_path: KeyPath) -> str | None:
        """Text kept at a key path because it could not be read, if any."""
        return self.assessment.unparsed.get(dotted(key_path))

    def clear_answers(self, cid: str) -> None:
        """Delete every full-assessment answer of a characteristic."""
        self._editable()
        record = self.assessment.characteristics.get(cid)
        if record is not None and record.answers:
            record.answers.clear()
            self.touch()

    def set_verdict(self, key: KeyPath, verdict: Verdict | None, comment: str | None, by: str) -> QCVerdict:
        """Record a quality control verdict on one answer; None keeps the existing verdict or comment
        (a comment alone counts as "improvable"). A verdict that becomes acceptable drops the comment
        given with the verdict before it: that comment asked for a change now made."""
        dotted_key = dotted(key)
        existing = verdict_on(self.assessment, dotted_key)
        chosen = verdict or (existing.verdict if existing else "improvable")
        if comment is not None:
            text = comment
        elif existing is None or (chosen == "acceptable" and existing.verdict != "acceptable"):
            text = ""
        else:
            text = existing.comment
        entry = set_verdict(self.assessment, dotted_key, chosen, text, by)
        self.touch()
        return entry

    def transition(self, to: Status, by: str, note: str = "") -> None:
        """Move the review status (submit, return, approve, publish); EqiaError when not allowed."""
        transition(self.assessment, to, by, note)
        self.touch()

    def voids_approval(self, key_path: KeyPath) -> bool:
        """Whether a change at key_path would make an approved (or published) assessment say something
        other than what was approved; tracking its actions (progress updates, closing) does not."""
        return self.assessment.review.status in ("approved", "published") and not is_tracking(key_path)

    def touch(self) -> None:
        """Something other than an answer changed (a verdict, the status): save it."""
        self.dirty = True
        self.changes += 1

    def add_action(self, characteristics: list[str] | None = None, issue: str = "") -> int:
        self._editable()
        self.assessment.actions.append(ActionItem(characteristics=characteristics or [], issue=issue))
        self.dirty = True
        self.changes += 1
        return len(self.assessment.actions) - 1

    def add_update(self, index: int, **fields: Any) -> None:
        """Add a dated progress update to action `index`."""
        self._editable()
        self.assessment.actions[index].updates.append(ProgressUpdate(**fields))
        self.touch()

    def remove_row(self, key_path: KeyPath, index: int) -> None:
        """Delete row `index` of a repeating group; key_path is the question's (answers.<id>)."""
        self._editable()
        scope = str(key_path[1]) if key_path[0] == "characteristics" else None
        answer = self.assessment.get(str(key_path[-1]), scope)
        if answer is not None and 0 <= index < len(answer.rows):
            order = [i for i in range(len(answer.rows)) if i != index]
            self._reorder_rows(key_path, answer.rows, order)

    def duplicate_row(self, key_path: KeyPath, index: int) -> None:
        """Put a copy of row `index` of a repeating group right after it."""
        self._editable()
        rows = self._rows(key_path, index)
        self._reorder_rows(key_path, rows, [*range(index + 1), index, *range(index + 1, len(rows))])

    def move_row(self, key_path: KeyPath, index: int, to: int) -> None:
        """Move row `index` of a repeating group to place `to`, the rows between shifting by one."""
        self._editable()
        rows = self._rows(key_path, max(index, to))
        order = [i for i in range(len(rows)) if i != index]
        order.insert(to, index)
        self._reorder_rows(key_path, rows, order)

    def _rows(self, key_path: KeyPath, index: int) -> list[dict[str, Any]]:
        """The rows of a repeating group, with empty ones up to `index` (a row added but not typed in)."""
        rows = list(value_at(self.assessment, (*key_path, "rows")) or [])
        return rows + [{} for _ in range(index + 1 - len(rows))]

    def _reorder_rows(self, key_path: KeyPath, rows: list[dict[str, Any]], order: list[int]) -> None:
        """Make the group's rows `rows[i] for i in order`, text kept as typed following its row."""
        scope = str(key_path[1]) if key_path[0] == "characteristics" else None
        qid = str(key_path[-1])
        answer = self.assessment.get(qid, scope)
        if answer is None:
            apply_change(self.assessment, (*key_path, "rows", 0, "_"), None)  # makes the answer
            answer = self.assessment.get(qid, scope)
        assert answer is not None
        answer.rows = [dict(rows[i]) for i in order]
        prefix = dotted((*key_path, "rows")) + "."
        kept = {k: v for k, v in self.assessment.unparsed.items() if not k.startswith(prefix)}
        for new, old in enumerate(order):
            for key, text in self.assessment.unparsed.items():
                if key.startswith(f"{prefix}{old}."):
                    kept[f"{prefix}{new}.{key[len(prefix) + len(str(old)) + 1 :]}"] = text
        self.assessment.unparsed = kept
        self.touch()

    def earlier_values(self, key_path: KeyPath) -> list[Earlier]:
        """What this answer said in the versions kept beside the file, newest first, each value once,
        leaving out what it says now: to bring back an answer wiped by mistake."""
        now = value_at(self.assessment, key_path)
        seen: list[Any] = [now]
        out: list[Earlier] = []
        for version in reversed(history.versions(self.path)):
            old = history.assessment_of(version, self.path)
            if old is None:
                continue
            value = value_at(old, key_path)
            if value is None or value == "" or value in seen:
                continue
            seen.append(value)
            out.append(Earlier(version.at, version.why, value))
        return out

    def recheck(self) -> list[Finding]:
        self.findings = run_checks(self.form, self.assessment)
        return self.findings

    # -- saving ---------------------------------------------------------------------
    def text(self) -> str:
        return store.dumps(self.assessment, self.form, self.file.text)

    def snapshot(self) -> tuple[Assessment, int]:
        """A copy of the assessment to save from another thread, with the edit count it holds."""
        return self.assessment.model_copy(deep=True), self.changes

    def save(self, snapshot: tuple[Assessment, int] | None = None, *, force: bool = False) -> None:
        """Save over the file; ConflictError if someone else saved it since (unless force).

        Saves of one session run one at a time (an autosave and ctrl+s may start together), each
        merged onto what the one before left; a snapshot older than one already saved is skipped.
        """
        if self.read_only:
            raise AssessmentError(
                "this file is read-only, so eqia opened it read-only and will not save over it.",
                file=self.path,
                hint="Use Save as to keep your changes in a new file.",
            )
        with self._save_lock:
            assessment, at = snapshot or self.snapshot()
            if at < self.saved_changes:
                return  # a newer version of the typing is already in the file
            base = self.file
            if force:  # keep mine: merged onto their file as it is now, replacing exactly that
                base = self._their_file() or base
            self.file = store.save(assessment, self.path, self.form, base=base)
            history.record(self.path, self.file.text, "saved")
            self.saved_changes = at
            if self.changes == at:
                self.dirty = False
                if self.keeps_recovery:  # never an author's typing kept before a review began
                    self.discard_recovery()

    def _their_file(self) -> store.AssessmentFile | None:
        """The file as someone else left it, as a base to save over (None if it cannot be read)."""
        try:
            return store.read(self.path)
        except EqiaError:
            return None

    def save_as(self, path: str | Path, *, overwrite: bool = False) -> None:
        """Save to a new file; a file already there is replaced only with overwrite."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise SaveError(
                "a file already exists there, so eqia did not save over it.",
                file=path,
                hint="Choose another name, or confirm that it should be replaced.",
            )
        text = self.text()
        write_atomic(path, text.encode("utf-8"))
        self.discard_recovery()
        self.path = path
        self.file = store.read(path)
        self.read_only = False
        self.dirty = False

    def keep_mine(self) -> Path:
        """Resolve a conflict by keeping my version: their file is kept as a backup first."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.theirs-{stamp}{self.path.suffix}")
        shutil.copy2(self.path, backup)
        self.save(force=True)
        return backup

    def keep_theirs(self) -> None:
        """Resolve a conflict by reloading their version; my unsaved edits go to the recovery copy."""
        self.write_recovery()
        loaded = store.read(self.path)
        self.file = loaded
        self.assessment = loaded.assessment.model_copy(deep=True)
        self.dirty = False
        self.recheck()

    def changed_on_disk(self) -> bool:
        try:
            return store.digest_of(self.path.read_bytes()) != self.file.digest
        except OSError:
            return True

    # -- recovery -------------------------------------------------------------------
    def write_recovery(self, snapshot: Assessment | None = None) -> Path | None:
        """Keep unsaved typing safe: a full copy beside the file (or in the home folder), marked with
        the version of the file it was typed over, and as private as the file."""
        if not self.dirty or not self.keeps_recovery:
            return None
        assessment = snapshot if snapshot is not None else self.assessment
        mark = f"{RECOVERY_MARK}{self.file.digest}\n"
        data = (mark + store.dumps(assessment, self.form, self.file.text)).encode("utf-8")
        for target in (recovery_path(self.path), _home_recovery(self.path)):
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data, like=self.path)
                return target
            except (OSError, EqiaError):  # try the next place
                continue
        return None

    def discard_recovery(self) -> None:
        for target in (recovery_path(self.path), _home_recovery(self.path)):
            with contextlib.suppress(OSError):
                target.unlink()

    def pending_recovery(self) -> Path | None:
        """A recovery copy that differs from the file, if one was left behind."""
        for target in (recovery_path(self.path), _home_recovery(self.path)):
            try:
                kept = recovered_text(target.read_text(encoding="utf-8"))
                if kept != self.path.read_text(encoding="utf-8"):
                    return target
            except (OSError, UnicodeDecodeError):
                continue
        return None

    def recovery_plan(self, target: Path) -> tuple[Assessment, list[Difference]]:
        """What restoring a recovery copy would give, and which answers it changes in the file as it is
        now. The typing is laid over the file as someone else may have saved it since (see
        eqia.document.merge), never over their saves."""
        kept = store.read(target).assessment
        base = self._recovery_base(target) or _typing_only(kept, self.file.assessment)
        merged = merge(base, kept, self.file.assessment)
        return merged, diff(self.form, self.file.assessment, merged)

    def restore_recovery(self, target: Path) -> list[Difference]:
        """Load the recovery copy's typing as unsaved edits (the file itself is untouched until the next
        save); returns what it changes."""
        merged, changes = self.recovery_plan(target)
        self.assessment = merged
        self.dirty = True
        self.changes += 1
        self.recheck()
        return changes

    def _recovery_base(self, target: Path) -> Assessment | None:
        """The file as it was when the recovery copy's typing began, from the mark and the kept versions."""
        try:
            first = target.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            return None
        if not first.startswith(RECOVERY_MARK):
            return None
        digest = first.removeprefix(RECOVERY_MARK).strip()
        if digest == self.file.digest:
            return self.file.assessment
        for version in reversed(history.versions(self.path)):
            if digest_of(version.text.encode("utf-8")) == digest:
                return history.assessment_of(version, self.path)
        return None


RECOVERY_MARK = "# eqia recovery copy: unsaved typing over the file whose SHA-256 is "


def recovered_text(text: str) -> str:
    """A recovery copy's text without its first line, the mark of the file it was typed over."""
    return text.split("\n", 1)[1] if text.startswith(RECOVERY_MARK) else text


def _typing_only(kept: Assessment, current: Assessment) -> Assessment:
    """A base for a recovery copy whose starting version is not known: as if only its content (not its
    review: status, history, verdicts) had been typed, so the file's review stays as it is."""
    base = kept.model_copy(deep=True)
    for name in Assessment.model_fields:
        if name != "review":
            setattr(base, name, getattr(current, name))
    base.review = kept.review.model_copy(deep=True)
    return base


def _home_recovery(path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return base / "eqia" / "recovery" / f"{path.stem}-{key}.toml"
