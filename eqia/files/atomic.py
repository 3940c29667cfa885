"""Provides atomic file writes (a unique temp file beside the target, fsync, replace) and the
compare-and-swap replace that saves an assessment only if nobody changed it since it was read."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from eqia.errors import ConflictError, SaveError

try:  # advisory locks between processes (POSIX); elsewhere saves are serialised within a process only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_SUFFIX = ".eqia-tmp"
"""Temp files are named .NAME.<random>.eqia-tmp beside the target."""
STALE_TEMP_SECONDS = 3600
"""A temp file older than this was left by a crash (a save takes seconds) and may be removed."""

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once, at import, while only one thread runs
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes, *, durable: bool = True, like: Path | None = None) -> None:
    """Write data to path so that a crash leaves either the old or the new file, never half.

    Modelled on pip's adjacent_tmp_file: the temp file lives in the same folder (so os.replace is
    a rename on one filesystem), has a unique name created exclusively (a planted file or symlink
    is never followed), is flushed and fsynced, and gets the old file's permissions (or the
    umask's, for a new file) before it replaces it. A symlinked target is written through: the
    file it points to is replaced and the link kept. durable=False skips the fsyncs: the replace
    is still atomic, but a power cut may lose the newest version. Batch exports use it. like: a new
    file gets that file's permissions (a private assessment's recovery copy is private too).
    """
    _replace(_real(Path(path)), data, durable=durable, like=like)


def replace_if_unchanged(
    path: Path, data: bytes, expected_digest: str | None, *, durable: bool = True, missing_ok: bool = True
) -> None:
    """Write data over path only if the file's bytes still have expected_digest (None: it must not
    exist), checked at the moment of replacing, under a lock beside the file that every eqia save
    takes; ConflictError otherwise, and the file is left as the other writer left it. With
    missing_ok, a file deleted since it was read is written again (the typing is not lost)."""
    target = _real(Path(path))
    with _locked(target):
        try:
            current: bytes | None = target.read_bytes()
        except FileNotFoundError:
            current = None
        except OSError as exc:
            raise SaveError(_describe(exc, target.parent), file=path) from None
        found = digest_of(current) if current is not None else None
        if found != expected_digest and not (current is None and missing_ok):
            raise ConflictError(
                "the file changed on disk since it was opened (someone else saved it), "
                "so eqia did not overwrite it.",
                file=path,
                hint="Reload it to see their changes, or save yours as a new file.",
            )
        _replace(target, data, durable=durable)


def lock_path(path: Path) -> Path:
    """The lock file beside an assessment that saves hold while they check and replace it."""
    return path.with_name(f".{path.name}.eqia-lock")


def remove_stale_temps(path: Path, now: float | None = None) -> list[Path]:
    """Remove temp files a crash left beside path (older than STALE_TEMP_SECONDS); return them."""
    target = _real(Path(path))
    now = time.time() if now is None else now
    removed = []
    for temp in target.parent.glob(f".{_glob_escape(target.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if now - temp.lstat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()
                removed.append(temp)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _real(path: Path) -> Path:
    """Where a write lands: the file a symlink points to, so the link (a shared original) is kept."""
    if path.is_symlink():
        with contextlib.suppress(OSError, RuntimeError):
            return path.resolve(strict=False)
    return path


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold this process's lock for target, and an advisory lock on its lock file, for one replace."""
    key = os.path.abspath(target)
    with _process_locks_guard:
        lock = _process_locks.setdefault(key, threading.Lock())
    with lock:
        fd = None
        if fcntl is not None:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            # A folder that takes no lock file (read-only media) still has this process's lock.
            with contextlib.suppress(OSError):
                fd = os.open(lock_path(target), flags, _mode(target))
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fd is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _mode(target: Path) -> int:
    """The permissions a new version gets: the file's own, or the umask's for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def _replace(path: Path, data: bytes, *, durable: bool, like: Path | None = None) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    mode = _mode(like if like is not None and not path.exists() else path)
    if durable and path.exists() and not os.access(path, os.W_OK):
        raise SaveError(
            "the file is read-only, so eqia did not save over it.",
            file=path,
            hint="Save to a new file instead, or ask the file's owner to make it writable.",
        )
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
        tmp_name = None
        if durable:
            _fsync_dir(folder)
    except OSError as exc:
        raise SaveError(_describe(exc, folder), file=path) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(exc: OSError, folder: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return (
            "the disk is full, so the file was not saved; the previous version is unchanged. "
            "Free some space and save again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"eqia is not allowed to write in the folder {folder} (permission denied); nothing was changed."
        )
    if exc.errno == errno.ENOENT:
        return f"the folder {folder} does not exist; nothing was written."
    return f"the file could not be written ({exc.strerror or exc}); the previous version is unchanged."
