"""Provides form loading: finding form files ($EQIA_FORMS, ./forms, the shipped forms) and validating them."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from eqia.document.form import DEFAULT_FORM, FormProblem, FormSpec
from eqia.document.keypath import dotted
from eqia.errors import FormError
from eqia.files.tomlfile import line_of, parse, read_text


def load_form_file(path: Path) -> FormSpec:
    """Load and validate one form file; any problem names the file, key and line."""
    text, _ = read_text(path, FormError)
    data = parse(text, path, FormError)
    try:
        return FormSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        problem = (err.get("ctx") or {}).get("error")
        if isinstance(problem, FormProblem):
            loc = problem.key_path
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            message = "this key is not part of a form file (unknown key)"
        elif err["type"] == "missing":
            message = "this key is required but missing"
        key = dotted(loc) or None
        raise FormError(message + ".", file=path, key=key, line=line_of(text, loc) if loc else None) from None


def form_dirs() -> list[Path]:
    """Where forms are looked for: $EQIA_FORMS, ./forms, then the forms shipped with eqia."""
    dirs: list[Path] = []
    env = os.environ.get("EQIA_FORMS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs.append(Path.cwd() / "forms")
    package = Path(__file__).resolve().parent.parent  # the eqia package
    dirs.append(package / "_forms")  # installed wheel: forms bundled in the package
    dirs.append(package.parent / "forms")  # source checkout / editable install
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


def form_files() -> dict[str, Path]:
    """Every form file in form_dirs() by id, first folder first; an earlier folder's file wins."""
    found: dict[str, Path] = {}
    for d in form_dirs():
        if d.is_dir():
            for path in sorted(d.glob("*.toml")):
                if path.is_file() and not path.name.startswith("."):  # an id is never hidden
                    found.setdefault(path.stem, path)
    return found


def available_forms() -> list[str]:
    """The ids of every form eqia can find, first folder first."""
    return list(form_files()) or [DEFAULT_FORM]


MAX_ID = 100
"""The longest form id, in characters: an id names its file, and file systems refuse long names."""


def _shown(form_id: str) -> str:
    """An id as a message quotes it: a long one cut short, so the message stays one readable paragraph."""
    return form_id if len(form_id) <= 60 else form_id[:60] + "…"


def find_form_file(form_id: str) -> Path:
    """The file of the form with this id, from the first folder of form_dirs() that has it.

    An id is a file name without its .toml: no folders, not hidden, no control characters, at
    most MAX_ID characters. Anything else is a FormError saying so, never an OS error.
    """
    if (
        any(c in form_id for c in "/\\")
        or form_id.startswith(".")
        or len(form_id) > MAX_ID
        or not form_id.isprintable()
    ):
        too_long = f" and at most {MAX_ID} characters long" if len(form_id) > MAX_ID else ""
        raise FormError(
            f"`{_shown(form_id)}` is not a form id (ids are names like `{DEFAULT_FORM}`{too_long})."
        )
    for d in form_dirs():
        candidate = d / f"{form_id}.toml"
        try:
            found = candidate.is_file()
        except OSError:  # a name the file system cannot hold is not a form it has
            found = False
        if found:
            return candidate
    known = sorted(form_files())
    raise FormError(
        f"no form with id `{_shown(form_id)}` was found.",
        hint=f"Known forms: {', '.join(known) or 'none'}. Forms are read from "
        + ", ".join(str(d) for d in form_dirs())
        + ".",
    )


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int) -> FormSpec:
    return load_form_file(path)


_found: dict[tuple[str, Path], Path] = {}


def load_form(form_id: str) -> FormSpec:
    """The form with this id, from the first folder of form_dirs() that has it.

    Parsed forms are cached per process and re-read when the file changes.
    """
    key = (form_id, Path.cwd())
    path = _found.get(key)
    if path is None:
        path = _found[key] = find_form_file(form_id)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        _found.pop(key, None)
        path = find_form_file(form_id)
        mtime = path.stat().st_mtime_ns
    return _load_cached(path, mtime)
