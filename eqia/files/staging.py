"""Provides writing a generated folder (a published site) all at once: each file is staged in a
hidden folder beside the target only if its bytes differ from the file already there, and nothing
reaches the target until every file is staged. Then the staged files are moved in (each a rename on
one filesystem), the files written last time but not this time are removed, and the list of the
files written (the manifest) is saved last. Files the target holds that the manifest does not list
are never touched, so a site can share its folder with anything else (a .git folder, a CNAME file).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from eqia.errors import EqiaError

STAGING_TAG = ".eqia-build-"
"""Staging folders are named .<target>.eqia-build-<random> beside the target."""


def start(target: Path) -> Path:
    """A new, empty staging folder beside target (created, with its parents, if missing)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise EqiaError(f"{target} is a file, not a folder, so the site cannot be written there.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_TAG}", dir=target.parent))
    except OSError as exc:
        raise EqiaError(f"the folder {target.parent} cannot be written to ({exc.strerror}).") from None


def discard(staging: Path) -> None:
    """Remove a staging folder and everything in it."""
    shutil.rmtree(staging, ignore_errors=True)


def safe_name(name: str) -> bool:
    """Whether a file name of the manifest stays inside the target: relative, no `..`, no hidden part."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and "\\" not in name
        and all(part not in ("", ".", "..") and not part.startswith(".") for part in path.parts)
    )


def stage(target: Path, staging: Path, name: str, data: bytes) -> bool:
    """Stage one file (name: a relative path with / between folders) unless the target already holds
    exactly these bytes there; whether it was staged. Safe to call from several processes at once
    for different names."""
    existing = Path(target) / name
    try:
        same_size = existing.is_file() and not existing.is_symlink() and existing.stat().st_size == len(data)
        if same_size and existing.read_bytes() == data:
            return False
    except OSError:
        pass  # unreadable: written again
    path = Path(staging) / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise EqiaError(f"the site could not be prepared in {staging} ({exc.strerror}).") from None
    return True


def read_manifest(target: Path, manifest: str) -> set[str]:
    """The files the last build wrote, as its manifest lists them ({} if none or unreadable); a name
    that would lead outside the target is left out, so it is never removed."""
    try:
        data = json.loads((Path(target) / manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return set()
    return {f for f in files if isinstance(f, str) and safe_name(f) and f != manifest}


def manifest_bytes(files: set[str], generator: str) -> bytes:
    """The manifest of a build: the files it wrote, sorted, so an unchanged build writes the same bytes."""
    data = {"generator": generator, "files": sorted(files)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def commit(target: Path, staging: Path, staged: list[str], stale: set[str], manifest: str) -> list[str]:
    """Move every staged file into target, remove the stale files (those the last build wrote and this
    one did not) with any folder they leave empty, and move the manifest in last: a build stopped
    half-way leaves the old manifest, which still lists every file to remove. The names removed."""
    target = Path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(n for n in staged if n != manifest):
            _move(staging, target, name)
    except OSError as exc:
        raise EqiaError(f"the site could not be written to {target} ({exc.strerror}).") from None
    removed = []
    for name in sorted(stale):
        path = target / name
        with contextlib.suppress(OSError):
            if path.is_symlink() or path.is_file():
                path.unlink()
                removed.append(name)
                _prune(target, path.parent)
    if manifest in staged:
        try:
            _move(staging, target, manifest)
        except OSError as exc:
            raise EqiaError(f"the site's list of files could not be written ({exc.strerror}).") from None
    return removed


def _move(staging: Path, target: Path, name: str) -> None:
    destination = target / name
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.replace(Path(staging) / name, destination)


def _prune(target: Path, folder: Path) -> None:
    """Remove folder and its parents up to target while they are empty."""
    root = target.resolve()
    while folder.resolve() != root and root in folder.resolve().parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
