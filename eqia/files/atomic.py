"""Provides atomic file writes: temp file beside the target, fsync, then replace."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from eqia.errors import SaveError


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write data to path so that a crash leaves either the old or the new file, never half.

    Modelled on pip's adjacent_tmp_file: the temp file lives in the same folder
    (so os.replace is a rename on one filesystem), is flushed and fsynced, and
    keeps the old file's permissions. durable=False skips the fsyncs: the
    replace is still atomic (no reader ever sees half a file), but a power cut
    may lose the newest version. Batch exports use it; they can be re-run.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    mode = None
    if durable:
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = None
        if mode is not None and not os.access(path, os.W_OK):
            raise SaveError(
                "the file is read-only, so eqia did not save over it.",
                file=path,
                hint="Save to a new file instead, or ask the file's owner to make it writable.",
            )
    # One writer per process and target: the pid keeps parallel exports apart.
    tmp_name: str | None = str(folder / f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp_name, mode)
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
