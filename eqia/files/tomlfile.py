"""Provides fast TOML reading with friendly errors, and key-path to line lookup."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eqia.document.keypath import KeyPath
from eqia.errors import EqiaError

_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = "(at end of document)"


MAX_FILE_BYTES = 10 * 10**6
"""The largest file eqia reads: every command then answers in seconds and in bounded memory."""


def read_text(path: Path, error: type[EqiaError] = EqiaError) -> tuple[str, bytes]:
    """Read a UTF-8 file, turning OS and decoding errors into one-paragraph errors.

    A byte order mark at the start (some Windows editors write one) is an error that says so:
    TOML has no place for it, and eqia would save the file without it. A pipe or device is
    refused before it is read, as reading one could wait for ever.
    """
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise error("this is not a regular file (a pipe, socket or device).", file=path)
        if path.is_file() and (size := path.stat().st_size) > MAX_FILE_BYTES:
            raise error(
                f"the file is {size / 1e6:.0f} MB; eqia reads files up to {MAX_FILE_BYTES // 10**6} MB "
                "(a long assessment is well under 1 MB).",
                file=path,
                hint="Move long evidence into an appendix document and refer to it from the answer.",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("the file does not exist.", file=path) from None
    except IsADirectoryError:
        raise error("this is a folder, not a TOML file.", file=path) from None
    except PermissionError:
        raise error("eqia is not allowed to read this file (permission denied).", file=path) from None
    except OSError as exc:
        raise error(f"the file could not be read ({exc.strerror or exc}).", file=path) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(
            "the file is UTF-16 text; TOML files must be UTF-8.",
            file=path,
            hint="Save it again as UTF-8 (in Notepad: Save as, Encoding: UTF-8).",
        )
    if raw.startswith(BOM):
        raise error(
            "the file starts with a byte order mark (bytes EF BB BF), which the TOML reader does not accept.",
            file=path,
            line=1,
            hint="Save it again as UTF-8 without BOM (in Notepad: Save as, Encoding: UTF-8).",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            "the file is not valid UTF-8 text (TOML files must be UTF-8).", file=path, line=line
        ) from None
    return text, raw


BOM = b"\xef\xbb\xbf"
"""The byte order mark, U+FEFF, as a UTF-8 file may start with it."""
MAX_DEPTH_SHOWN = 100
"""Nesting deeper than this is where a too-deeply-nested file is said to go wrong."""


def parse(text: str, path: Path, error: type[EqiaError] = EqiaError) -> dict[str, Any]:
    """Parse TOML with the stdlib parser; a syntax error names the file and line.

    Lists or inline tables nested thousands deep exhaust the parser's recursion: that is an
    error naming the line where the nesting passes MAX_DEPTH_SHOWN levels, not a crash.
    """
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise error(
            "lists or tables are nested too deeply here for eqia to read.",
            file=path,
            line=_deep_line(text),
            hint="An assessment nests a few levels at most; the file may be damaged.",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        match = _LINE_RE.search(msg)
        line = int(match.group(1)) if match else None
        if line is None and _AT_END in msg:  # an unclosed bracket or string: point at the last line
            line = len(text.rstrip().splitlines()) or 1
        detail = _LINE_RE.sub("", msg).replace(_AT_END, "").strip().rstrip(".")
        raise error(
            f"this is not valid TOML: {detail}.",
            file=path,
            line=line,
            hint="Fix the line shown (a missing quote or bracket is the usual cause).",
        ) from None


def _deep_line(text: str) -> int | None:
    """The line where brackets and braces outside strings and comments first nest deeper than
    MAX_DEPTH_SHOWN (a light scan: a string opened by three quotes is read past as two strings)."""
    depth, line, quote, comment = 0, 1, "", False
    for ch in text:
        if ch == "\n":
            line, comment = line + 1, False
        elif comment:
            continue
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH_SHOWN:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
    return None


def _split_key(text: str) -> list[str]:
    """Split a dotted TOML key (bare or quoted parts) into its parts."""
    parts, buf, quote = [], "", None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return parts


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each table header and key in a TOML text to its 1-based line number.

    A light scanner, enough for locating errors: it skips multi-line strings
    and tracks [table] and [[array]] headers, counting array items.
    """
    found: dict[KeyPath, int] = {}
    for number, line in enumerate(line_roles(text), start=1):
        if line.role == "table":
            if line.array is not None:
                found.setdefault(line.array, number)
            found[line.path] = number
        elif line.role == "key":
            found.setdefault(line.path, number)
    return found


@dataclass(frozen=True)
class LineRole:
    """What one line of a TOML text is: a "table" header, a "key" (its first line), a "comment" line, a
    "blank" line, or "other" (inside a multi-line string or array); with the key path of a table or key."""

    role: str
    path: KeyPath = ()
    array: KeyPath | None = None
    """For a [[array]] header, the array's own path (path is then the path of this item)."""


def line_roles(text: str) -> list[LineRole]:
    """The role of each line of a TOML text (see LineRole), by the light scan key_lines uses."""
    roles: list[LineRole] = []
    counts: dict[KeyPath, int] = {}
    current: KeyPath = ()
    in_string: str | None = None
    for line in text.splitlines():
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            roles.append(LineRole("other"))
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            roles.append(LineRole("comment" if stripped else "blank"))
            continue
        if stripped.startswith("[["):
            end = stripped.find("]]")
            raw = _split_key(stripped[2:end])
            prefix = (*_resolve(raw[:-1], counts), raw[-1])
            index = counts.get(prefix, -1) + 1
            counts[prefix] = index
            current = (*prefix, index)
            roles.append(LineRole("table", current, prefix))
            continue
        if stripped.startswith("["):
            end = stripped.find("]")
            current = _resolve(_split_key(stripped[1:end]), counts)
            roles.append(LineRole("table", current))
            continue
        eq = _find_equals(stripped)
        if eq < 0:
            roles.append(LineRole("other"))
            continue
        roles.append(LineRole("key", (*current, *_split_key(stripped[:eq]))))
        value = stripped[eq + 1 :].strip()
        for delim in ('"""', "'''"):
            if value.startswith(delim) and value.count(delim) == 1:
                in_string = delim
    return roles


def _resolve(raw: list[str], counts: dict[KeyPath, int]) -> KeyPath:
    """Insert array-of-tables indexes into a header path ([[a]] then [a.b] is a[i].b)."""
    out: KeyPath = ()
    for part in raw:
        out = (*out, part)
        if out in counts:
            out = (*out, counts[out])
    return out


def _find_equals(line: str) -> int:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
        elif ch == "#":
            return -1
    return -1


def line_of(text: str, key_path: KeyPath) -> int | None:
    """The line of a key path in a TOML text, or of its nearest present parent."""
    return line_finder(text)(key_path)


def line_finder(text: str) -> Callable[[KeyPath], int | None]:
    """line_of for many key paths of one text: the text is scanned once (a file with thousands of
    findings is then located in linear time)."""
    lines = key_lines(text)

    def find(key_path: KeyPath) -> int | None:
        path = tuple(key_path)
        while path:
            if path in lines:
                return lines[path]
            path = path[:-1]
        return None

    return find
