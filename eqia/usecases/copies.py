"""Provides the finding of copies that sync clients leave beside an assessment when two people saved it
at once (OneDrive and SharePoint: "NAME-PCNAME.toml"; Dropbox and Nextcloud: "NAME (… conflicted copy
…).toml"; "NAME (1).toml"), told apart from the original by the assessment's reference, for `eqia list`
and the start screen to flag with the `eqia merge` that brings the two together."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: What each sync client adds to the original's name, and whose habit it is.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(?P<base>.+?) \((?P<who>[^)]*)conflicted copy[^)]*\)$", re.IGNORECASE),
        "Dropbox or Nextcloud",
    ),
    (re.compile(r"^(?P<base>.+?) \((?P<n>\d+)\)$"), "a numbered copy"),
    (re.compile(r"^(?P<base>.+?)\.copy-\d{8}-\d{4}$"), "a copy made in eqia"),
    (re.compile(r"^(?P<base>.+)-(?P<host>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)?)$"), "OneDrive or SharePoint"),
)


@dataclass(frozen=True)
class Copy:
    """A file that looks like a sync client's copy of another assessment."""

    path: Path
    original: Path
    by: str
    """Which kind of copy its name says it is ("OneDrive or SharePoint"), or "" (the same reference)."""

    @property
    def merge_command(self) -> str:
        return f'eqia merge "{self.original}" "{self.path}"'

    def describe(self) -> str:
        kind = f" left by {self.by}" if self.by and not self.by.startswith("a ") else ""
        what = self.by if self.by.startswith("a ") else "a copy"
        return f"{self.path.name} looks like {what} of {self.original.name}{kind}: {self.merge_command}"


def find_copies(files: Iterable[tuple[Path, str]]) -> dict[Path, Copy]:
    """The copies among (path, reference) pairs: files sharing a reference with another, where one's
    name is the other's plus what a sync client adds. A file whose reference no other shares is never
    a copy, whatever its name."""
    by_reference: dict[str, list[Path]] = {}
    for path, reference in files:
        if reference.strip():
            by_reference.setdefault(reference.strip(), []).append(path)
    found: dict[Path, Copy] = {}
    for paths in by_reference.values():
        if len(paths) < 2:
            continue
        stems = {p.stem: p for p in paths}
        for path in paths:
            for pattern, by in PATTERNS:
                match = pattern.match(path.stem)
                if match and (original := stems.get(match.group("base"))) is not None and original != path:
                    found[path] = Copy(path, original, by)
                    break
        for path in paths:  # the same reference under an unrelated name: still worth a look
            if path not in found and not any(c.original == path for c in found.values()):
                first = min((p for p in paths if p != path and p not in found), default=None, key=str)
                if first is not None and str(path) > str(first):
                    found[path] = Copy(path, first, "")
    return found
