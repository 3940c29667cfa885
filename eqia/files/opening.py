"""Provides the one way to open an assessment: read and validate the file, find its form, and move
answers of questions the form has renamed since (reported, never silent). Every reader of a file or
a folder (the CLI's commands, export, the portfolio, tracking, the edit session, the start screen)
opens through here."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eqia.document.form import FormSpec
from eqia.document.migrate import Moved, upgrade
from eqia.document.model import Assessment
from eqia.errors import AssessmentError, EqiaError, FormError
from eqia.files.forms import load_form
from eqia.files.store import AssessmentFile, read


@dataclass
class Opened:
    """An assessment file as read, the form it was written against, and what opening it moved."""

    file: AssessmentFile
    form: FormSpec
    moved: list[Moved] = field(default_factory=list)
    """Answers moved, in memory only, from questions the form renamed since the file's form version."""

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def assessment(self) -> Assessment:
        return self.file.assessment


def form_for(assessment: Assessment, path: Path | None = None) -> tuple[FormSpec, list[Moved]]:
    """The form an assessment was written with, and the answers moved (in memory) to renamed questions."""
    try:
        form = load_form(assessment.form)
    except FormError as exc:
        if path is not None and exc.file is None:
            exc.file = str(path)
            exc.key = "form"
        raise
    moved: list[Moved] = []
    if form.migrations and assessment.form_version != form.version:
        moved = upgrade(form, assessment)
    return form, moved


def open_assessment(path: str | Path) -> Opened:
    """Read, validate and pair an assessment with its form; EqiaError names the file, key and line."""
    try:
        loaded = read(path)
    except RecursionError:  # the parser's is caught where it parses; this is validation's
        raise AssessmentError(
            "lists or tables are nested too deeply in this file for eqia to read.", file=path
        ) from None
    form, moved = form_for(loaded.assessment, loaded.path)
    return Opened(loaded, form, moved)


@dataclass(frozen=True)
class Unreadable:
    """A file of a folder that could not be opened, with the one-paragraph reason."""

    path: Path
    error: EqiaError | None
    message: str


CONFLICT_BACKUP = re.compile(r"\.theirs-\d{8}-\d{6}\.toml$")
"""Their version, kept beside a file when the app saved mine over it: NAME.theirs-DATE-TIME.toml."""


def is_assessment_name(name: str) -> bool:
    """Whether a file of a folder is taken for an assessment: NAME.toml, neither hidden (eqia's own
    lock, temp, recovery and history files, an editor's lock files) nor a conflict backup."""
    return name.endswith(".toml") and not name.startswith(".") and not CONFLICT_BACKUP.search(name)


def assessment_files(folder: Path) -> list[Path]:
    """The assessment files of a folder, in name order (see is_assessment_name).

    This and expand_paths are the one place a folder is listed. An entry named like an assessment
    that is not a file (a folder called x.toml, a broken link) is listed too, so that opening it
    says what is wrong with it rather than leaving it out without a word.
    """
    if not folder.is_dir():
        return []
    return sorted(p for p in _entries(folder) if is_assessment_name(p.name))


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:  # a folder that cannot be read holds no assessment eqia can open, as glob had it
        return []


def open_one(path: Path) -> Opened | Unreadable:
    """Open one file of a folder; a broken file is an Unreadable with its reason, never a crash."""
    try:
        return open_assessment(path)
    except EqiaError as exc:
        return Unreadable(path, exc, str(exc))
    except Exception as exc:  # one odd file must not stop a folder of hundreds
        return Unreadable(path, None, f"{path}: eqia could not read this file ({type(exc).__name__}: {exc}).")


def open_folder(folder: Path) -> Iterator[Opened | Unreadable]:
    """Open every assessment of a folder in name order; a broken file is an Unreadable, never a crash."""
    for path in assessment_files(folder):
        yield open_one(path)


def read_header(path: Path) -> dict[str, object]:
    """An assessment's [header] table without validating the rest ({} when unreadable): enough to name
    an export's output files before the export itself opens each file.

    eqia writes [header] as one table near the top, so the text from `[header]` to the next table
    is parsed alone (a batch's header pass then costs a fraction of a full parse); any other layout,
    or a slice that is not valid TOML on its own, falls back to parsing the whole file.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if text.startswith("\ufeff"):  # not read (see files.tomlfile.read_text): its export fails
        return {}
    start = 0 if text.startswith("[header]") else text.find("\n[header]") + 1
    if start > 0 or text.startswith("[header]"):
        end = text.find("\n[", start + len("[header]"))
        try:
            header = tomllib.loads(text[start : end if end > 0 else len(text)]).get("header")
        except (tomllib.TOMLDecodeError, RecursionError):
            header = None
        if isinstance(header, dict):
            return header
    try:
        header = tomllib.loads(text).get("header")
    except (tomllib.TOMLDecodeError, RecursionError):  # the export itself says what is wrong
        return {}
    return header if isinstance(header, dict) else {}


def expand_paths(paths: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given, and the assessment files under each folder given: those of assessment_files,
    in its folders and theirs (recursively, hidden folders left out), in name order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(_under(path))
        else:
            out.append(path)
    return out


def _under(folder: Path) -> Iterator[Path]:
    for entry in assessment_files(folder):
        if not entry.is_dir():
            yield entry
    for sub in _entries(folder):
        if sub.is_dir() and not sub.is_symlink() and not sub.name.startswith("."):
            yield from _under(sub)
