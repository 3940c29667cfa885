"""Provides visible(): text from a file made safe to print, its control characters shown and never obeyed.

An assessment, a form or a file name can carry characters a terminal obeys: ESC starting a CSI
(`ESC [ 2 J` clears the screen) or an OSC (`ESC ] 0 ; title BEL` retitles the window, and one
left unterminated swallows what follows), BEL, backspace, C1 controls such as U+009B (a
one-character CSI), and the bidi embeddings, overrides and isolates that reorder what a reader
sees (U+202A to U+202E, U+2066 to U+2069). visible() replaces each such character with U+FFFD
REPLACEMENT CHARACTER, the mark every font of every export format can draw (the PDF's fonts have
no control pictures such as U+241B). Every escape sequence starts with ESC or a C1 introducer and
ends with a final character, BEL, ESC \\ or U+009C, so with those replaced no sequence is left
whole, terminated or not, and its parameters stay readable as text: nothing written is dropped.
DEL is left as it is: terminals ignore it, and XML may hold it.

Line breaks and tabs are layout: kept, with CR LF, a lone CR, vertical tab (Word's manual line
break) and form feed each made one line break "\\n". With one_line they are replaced too, for
what must stay on one line (a message naming a file or a key).

The CLI passes everything it prints through here, and every renderer of the report tree does the
same for every text, so a report reads the same in every format. Text that needs nothing is
returned as it is (the same object); str.isprintable() says so for most text without a search.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_UNSAFE = (
    "\x80-\x9f"  # the C1 controls
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ud800-\udfff\ufffe\uffff"  # lone surrogates (undecodable file names) and non-characters
)
UNSAFE_BEYOND_ASCII = f"[{_UNSAFE}]"
"""What visible() replaces beyond ASCII's control characters, as a regular-expression class (JSON
escapes those itself, and may escape these)."""
_ANY = re.compile(f"[\x00-\x1f{_UNSAFE}]")
_BUT_LAYOUT = re.compile(f"\r\n?|[\x00-\x08\x0b-\x1f{_UNSAFE}]")
_LINE_BREAKS = ("\r\n", "\r", "\x0b", "\x0c")


def _layout(match: re.Match[str]) -> str:
    return "\n" if match.group() in _LINE_BREAKS else REPLACEMENT


def visible(text: str, *, one_line: bool = False) -> str:
    """The text with every control character, bidi override and escape sequence made visible (U+FFFD).

    Tabs and line breaks are kept (line ends made "\\n"), unless one_line, when they are replaced too.
    """
    if text.isprintable():  # no control or format character at all: the usual case, decided in C
        return text
    if one_line:
        return _ANY.sub(REPLACEMENT, text) if _ANY.search(text) else text
    if text.replace("\n", "").replace("\t", "").isprintable():  # answers: lines and tabs only
        return text
    return _BUT_LAYOUT.sub(_layout, text) if _BUT_LAYOUT.search(text) else text
