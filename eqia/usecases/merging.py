"""Provides merging files: two people's versions of an assessment file, and the version both started from
(or none, for two copies a sync client left side by side), merged answer by answer into one file.

The merged file is written into ours' text, so ours' comments and layout stay; theirs' comments come
along (eqia.files.comments). It is read back before anything is written, and written atomically: a
merge that fails leaves every file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eqia.document.merge3 import MergeResult, Resolver, merge3
from eqia.errors import EqiaError
from eqia.files.atomic import replace_if_unchanged, write_atomic
from eqia.files.comments import carry_comments
from eqia.files.opening import open_assessment
from eqia.files.store import dumps, from_data
from eqia.files.tomlfile import parse


@dataclass(frozen=True)
class MergedFile:
    """A merge as written: where, its text, and what came from where."""

    path: Path
    text: str
    result: MergeResult
    two_way: bool
    """Whether there was no common version (every difference was asked, or recorded as a conflict)."""


def is_empty_file(path: str | Path) -> bool:
    """Whether a file is empty or only blank, as git's common version of a file added on both sides is."""
    try:
        return not Path(path).read_bytes().strip()
    except OSError:
        return False


def merge_files(
    base: str | Path | None,
    ours: str | Path,
    theirs: str | Path,
    out: str | Path | None = None,
    resolve: Resolver | None = None,
) -> MergedFile:
    """Merge theirs into ours against base and write the result to out (default: over ours, as a save is,
    refused if ours changed on disk meanwhile). EqiaError names the file, key and line of bad input."""
    if base is not None and is_empty_file(base):
        base = None  # added on both sides: there is no common version
    start = open_assessment(base) if base is not None else None
    mine, other = open_assessment(ours), open_assessment(theirs)
    try:
        result = merge3(start.assessment if start else None, mine.assessment, other.assessment, resolve)
    except EqiaError as exc:
        exc.file = exc.file or str(theirs)
        raise
    text = dumps(result.assessment, mine.form, base_text=mine.file.text)
    text = carry_comments(start.file.text if start else None, text, other.file.text)
    target = Path(out) if out is not None else mine.path
    # Read back before writing: the file written must open again, as any saved assessment does.
    from_data(parse(text, target), target, text)
    data = text.encode("utf-8")
    if out is None:  # over ours, as a save: refused if someone saved ours since it was read
        replace_if_unchanged(target, data, mine.file.digest)
    else:  # a file named on purpose (git's own temporary copy of ours, as a merge driver)
        write_atomic(target, data)
    return MergedFile(target, text, result, start is None)
