"""Provides an assessment's recent versions, kept beside it so that a wiped answer can be brought back.

The app records the file as it was opened and as each save left it, in a hidden file beside it,
`.NAME.toml.eqia-history` (one JSON line per version: when, why, and the file's text). The newest
KEEP versions are kept, and the version as last opened however old; older versions drop off as new
ones are recorded (the file is trimmed when it holds twice that many). A version cut short by a
crash is skipped when reading. The file is created with the
assessment's own permissions, so a private assessment's history is private too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from eqia.document.model import Assessment
from eqia.errors import EqiaError
from eqia.files.atomic import write_atomic
from eqia.files.store import from_data

KEEP = 30
"""How many versions are kept (the version as last opened is kept besides, however old)."""


@dataclass(frozen=True)
class Version:
    """One recorded version of the file."""

    at: dt.datetime
    why: str
    """"opened" or "saved"."""
    text: str


def assessment_of(version: Version, path: Path) -> Assessment | None:
    """The assessment a version holds, or None when it no longer reads as one."""
    try:
        return from_data(tomllib.loads(version.text), path, version.text)
    except (tomllib.TOMLDecodeError, EqiaError):
        return None


def history_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.eqia-history")


def versions(path: Path) -> list[Version]:
    """The recorded versions of an assessment, oldest first ([] when there are none)."""
    try:
        raw = history_path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    for line in raw.splitlines():
        try:
            entry = json.loads(line)
            out.append(Version(dt.datetime.fromisoformat(entry["at"]), str(entry["why"]), str(entry["text"])))
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash
    return out


def record(path: Path, text: str, why: str, now: dt.datetime | None = None) -> None:
    """Add a version (unless it is the same text as the newest), then keep the bounded set.

    Never raises: a history that cannot be written must not stop a save.
    """
    with contextlib.suppress(OSError, ValueError):
        _record(Path(path), text, why, now or dt.datetime.now())


def _line(version: Version) -> str:
    data = {"at": version.at.isoformat(timespec="seconds"), "why": version.why, "text": version.text}
    return json.dumps(data, ensure_ascii=False) + "\n"


def _record(path: Path, text: str, why: str, now: dt.datetime) -> None:
    target = history_path(path)
    known = versions(path)
    if known and known[-1].text == text and why == "saved":
        return
    new = Version(now.replace(microsecond=0), why, text)
    if len(known) + 1 <= 2 * KEEP and target.exists():
        fd = os.open(target, os.O_WRONLY | os.O_APPEND)  # the usual case: one line more, appended
        try:
            os.write(fd, _line(new).encode("utf-8"))
        finally:
            os.close(fd)
        return
    body = "".join(_line(v) for v in _bounded([*known, new]))
    write_atomic(target, body.encode("utf-8"), durable=False)
    with contextlib.suppress(OSError):
        os.chmod(target, path.stat().st_mode & 0o666)


def _bounded(all_versions: list[Version]) -> list[Version]:
    """The newest KEEP versions, and the newest "opened" one however old, in order."""
    keep = set(range(max(0, len(all_versions) - KEEP), len(all_versions)))
    opened = max((i for i, v in enumerate(all_versions) if v.why == "opened"), default=None)
    if opened is not None:
        keep.add(opened)
    return [v for i, v in enumerate(all_versions) if i in keep]
