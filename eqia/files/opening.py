"""Provides the one way to open an assessment: read and validate the file, find its form, and move
answers of questions the form has renamed since (reported, never silent). Every reader of a file or
a folder (the CLI's commands, export, the portfolio, tracking, the edit session, the start screen)
opens through here."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eqia.document.form import FormSpec
from eqia.document.migrate import Moved, upgrade
from eqia.document.model import Assessment
from eqia.errors import EqiaError, FormError
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
    loaded = read(path)
    form, moved = form_for(loaded.assessment, loaded.path)
    return Opened(loaded, form, moved)


@dataclass(frozen=True)
class Unreadable:
    """A file of a folder that could not be opened, with the one-paragraph reason."""

    path: Path
    error: EqiaError | None
    message: str


def assessment_files(folder: Path) -> list[Path]:
    """The assessment files of a folder, in name order (hidden files and folders left out)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file() and not p.name.startswith("."))


def open_folder(folder: Path) -> Iterator[Opened | Unreadable]:
    """Open every assessment of a folder in name order; a broken file is an Unreadable, never a crash."""
    for path in assessment_files(folder):
        try:
            yield open_assessment(path)
        except EqiaError as exc:
            yield Unreadable(path, exc, str(exc))
        except Exception as exc:  # one odd file must not stop a folder of hundreds
            yield Unreadable(
                path, None, f"{path}: eqia could not read this file ({type(exc).__name__}: {exc})."
            )


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
    start = 0 if text.startswith("[header]") else text.find("\n[header]") + 1
    if start > 0 or text.startswith("[header]"):
        end = text.find("\n[", start + len("[header]"))
        try:
            header = tomllib.loads(text[start : end if end > 0 else len(text)]).get("header")
        except tomllib.TOMLDecodeError:
            header = None
        if isinstance(header, dict):
            return header
    try:
        header = tomllib.loads(text).get("header")
    except tomllib.TOMLDecodeError:
        return {}
    return header if isinstance(header, dict) else {}


def expand_paths(paths: tuple[str, ...] | list[str]) -> list[Path]:
    """Files as given, and every *.toml under each folder given (recursively, in name order)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.toml") if p.is_file())
        else:
            out.append(path)
    return out
