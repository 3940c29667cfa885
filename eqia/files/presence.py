"""Provides the "in use" file beside an assessment open in the app (`.~lock.NAME.toml#`, the idea of
LibreOffice's lock files): who has it open, on which computer, in which process and since when, so a
second person is told and opens it read-only instead of saving over the first one's work.

The file is a courtesy between people, not a guard: saves are kept safe by eqia.files.atomic. It is
left alone by `eqia list`, export and git (its name does not end in .toml; README: .gitignore)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass
from pathlib import Path

from eqia.document import dates
from eqia.document.form import FormSpec

#: A lock older than this is offered for taking over even when its process cannot be checked
#: (it was written on another computer): a laptop closed overnight leaves one behind.
STALE_AFTER = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Holder:
    """Who holds an assessment open."""

    name: str
    host: str
    pid: int
    since: str
    """ISO date and time, to the second."""
    token: str
    """Tells this opening from another by the same person in the same process."""

    @property
    def opened_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.since)
        except ValueError:
            return None

    def describe(self, form: FormSpec | None = None, now: dt.datetime | None = None) -> str:
        """ "open by Jo Bloggs on PC-123 since 10:42" (with the date, as the form writes it, when it was
        not today)."""
        at = self.opened_at
        now = now or dt.datetime.now()
        when = "" if at is None else f"{at:%H:%M}" if at.date() == now.date() else dates.show_time(at, form)
        return f"open by {self.name or 'someone'} on {self.host or 'another computer'}" + (
            f" since {when}" if when else ""
        )

    def stale(self, now: dt.datetime | None = None) -> bool:
        """Whether the opening is over: its process is gone (same computer), or it is older than
        STALE_AFTER."""
        if self.host == socket.gethostname() and not _alive(self.pid):
            return True
        at = self.opened_at
        return at is None or (now or dt.datetime.now()) - at > STALE_AFTER


def presence_path(path: Path) -> Path:
    return path.with_name(f".~lock.{path.name}#")


def holder_of(path: Path) -> Holder | None:
    """Who holds the assessment open, as its lock file says (None: nobody, or an unreadable file)."""
    try:
        data = json.loads(presence_path(path).read_text(encoding="utf-8"))
        return Holder(
            str(data["name"]), str(data["host"]), int(data["pid"]), str(data["since"]), str(data["token"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def claim(path: Path, name: str, *, take_over: bool = False) -> tuple[Holder | None, Holder | None]:
    """Mark the assessment as open by this person: (ours, theirs). theirs is the holder that kept us
    from claiming it (ours is then None), asked about even when stale (Holder.stale says whether to
    offer taking it over); take_over claims it all the same."""
    theirs = holder_of(path)
    if theirs is not None and not take_over:
        return None, theirs
    ours = Holder(
        name=name,
        host=socket.gethostname(),
        pid=os.getpid(),
        since=dt.datetime.now().replace(microsecond=0).isoformat(),
        token=secrets.token_hex(8),
    )
    try:
        presence_path(path).write_text(json.dumps(asdict(ours)) + "\n", encoding="utf-8")
    except OSError:
        return None, None  # a folder that takes no file (read-only media): nothing to tell others
    return ours, None


def release(path: Path, ours: Holder) -> None:
    """Remove the lock file if it is still ours (someone may have taken it over since)."""
    current = holder_of(path)
    if current is not None and current.token == ours.token:
        with contextlib.suppress(OSError):
            presence_path(path).unlink()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":
        return True  # os.kill would end the process there: age alone tells a stale lock
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, run by someone else
    return True
