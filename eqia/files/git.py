"""Provides reading a file's history from git: the commits that touched it (following renames) and the
file's text at a revision. Git itself is run, without a shell and with a timeout; its text is read as
UTF-8; every failure is an EqiaError in one paragraph."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from eqia.errors import EqiaError

TIMEOUT_SECONDS = 60
"""The longest eqia waits for one git command (a history of thousands of commits takes seconds)."""

_FIELDS = "%H%x1f%an%x1f%ae%x1f%aI%x1f%s"
"""A commit as `git log` prints it for eqia: hash, author, email, date (ISO 8601) and subject."""


class NotInGit(EqiaError):
    """The file is not in a git repository, or git is not installed: there is no git history to read."""


class NoGit(NotInGit):
    """Git is not installed (or not on the PATH)."""


@dataclass(frozen=True)
class Commit:
    """A commit that changed the file, and the file's path (from the repository's top) in it."""

    hash: str
    author: str
    email: str
    date: str
    """When it was authored, in ISO 8601 with the author's offset: 2026-03-04T14:05:00+00:00."""
    message: str
    """The commit message's first line."""
    path: str


@dataclass(frozen=True)
class Place:
    """Where a file is in its git repository."""

    top: Path
    """The repository's top folder."""
    relative: str
    """The file's path from there, with forward slashes, as git names it."""


def run(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """Run `git ARGS` in cwd and return what it printed; EqiaError with git's own reason when it fails."""
    if not cwd.is_dir():
        raise EqiaError(f"the folder {cwd} does not exist.")
    # LC_ALL=C: git's messages in English, which eqia reads (a folder not in a repository).
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    plain = ["-c", "core.quotePath=false", "-c", "color.ui=false", "-c", "log.showSignature=false"]
    command = ["git", *plain, *args]
    try:
        done = subprocess.run(
            command, cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False
        )
    except FileNotFoundError:
        raise NoGit(
            "git is not installed (or not on the PATH), so there is no git history to read."
        ) from None
    except subprocess.TimeoutExpired:
        raise EqiaError(
            f"git did not answer within {TIMEOUT_SECONDS} seconds (git {' '.join(args[:1])}).",
            hint="Try again; a repository on a slow network drive can take longer.",
        ) from None
    except OSError as exc:
        raise EqiaError(f"git could not be run ({exc.strerror or exc}).") from None
    if done.returncode != 0:
        raise EqiaError(f"git {args[0]} failed: {reason(done.stderr)}")
    return done.stdout


def reason(stderr: bytes) -> str:
    """Git's error message, in one line, without its `fatal:` prefix."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    found = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else "")
    return found.removeprefix("fatal:").removeprefix("error:").strip() or "no reason given"


def text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def place(path: Path) -> Place:
    """Where the file is in its repository; NotInGit when its folder is not in one (or git is absent)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        top, prefix = text(run(["rev-parse", "--show-toplevel", "--show-prefix"], folder)).split("\n")[:2]
    except NotInGit:
        raise
    except EqiaError as exc:
        if "not a git repository" in exc.message:
            raise NotInGit(f"the folder {folder} is not in a git repository.") from None
        raise
    return Place(Path(top), prefix + path.name)


def commits(where: Place) -> list[Commit]:
    """The commits that changed the file, newest first, following it through renames (`git log --follow`).
    Empty when the file was never committed."""
    out = run(
        ["log", "--follow", "-z", "--name-only", f"--format=%x1e{_FIELDS}", "--", where.relative], where.top
    )
    found: list[Commit] = []
    for record in text(out).split("\x1e")[1:]:
        head, _, names = record.partition("\0")
        fields = head.split("\x1f")
        if len(fields) < 5:
            continue
        name = names.removeprefix("\n").split("\0")[0]
        # A merge lists no file name: the file is where the commit after it (newer) found it.
        name = name or (found[-1].path if found else where.relative)
        found.append(Commit(fields[0], fields[1], fields[2], fields[3], "\x1f".join(fields[4:]), name))
    return found


def read_versions(top: Path, wanted: list[tuple[str, str]]) -> list[str | None]:
    """The file's text at each (revision, path), read by one `git cat-file --batch`; None where git has
    no such file at that revision."""
    if not wanted:
        return []
    request = "".join(f"{rev}:{path}\n" for rev, path in wanted).encode("utf-8")
    out = run(["cat-file", "--batch"], top, stdin=request)
    found: list[str | None] = []
    at = 0
    for _ in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found.append(text(out[at : at + size]))
            at += size + 1  # the blob and the line break after it
        else:
            found.append(None)  # missing, or not a file (a folder)
    return found


def show(path: Path, revision: str) -> str:
    """The file's text at a revision (`git show REV:path`), path relative to the repository's top;
    EqiaError saying which of the two git does not know."""
    where = place(path)
    if not revision or revision.startswith("-"):
        raise EqiaError(f"`{revision}` is not a git revision.", file=path, hint=_REVISIONS)
    try:
        run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], where.top)
    except NotInGit:
        raise
    except EqiaError:
        raise EqiaError(
            f"git knows no revision `{revision}` in the repository at {where.top}.",
            file=path,
            hint=_REVISIONS,
        ) from None
    try:
        return text(run(["show", "--no-textconv", f"{revision}:{where.relative}"], where.top))
    except EqiaError:
        raise EqiaError(
            f"the file did not exist as {where.relative} at revision `{revision}`.",
            file=path,
            hint="`eqia history FILE` lists the commits that changed it.",
        ) from None


_REVISIONS = "Give a commit (a hash, HEAD~1, a branch or a tag), as `git log` lists them."


def uncommitted(where: Place) -> bool:
    """Whether the file has changes that are not committed (or is not committed at all)."""
    return bool(run(["status", "--porcelain", "--", where.relative], where.top).strip())
