"""Provides EqiaError: one clear paragraph naming the file, key path and line."""

from __future__ import annotations

from pathlib import Path


class EqiaError(Exception):
    """A problem a user can fix, told in one paragraph.

    The CLI prints it to stderr and exits non-zero; the TUI shows it in a dialog.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        key: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.key = key
        self.line = line
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments: rebuilt from its fields when it crosses to another process.
        fields = {"file": self.file, "key": self.key, "line": self.line, "hint": self.hint}
        return (_rebuild, (type(self), self.message, fields))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file + (f", line {self.line}" if self.line else ""))
        elif self.line:
            where.append(f"line {self.line}")
        if self.key:
            where.append(f"key `{self.key}`")
        text = (": ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += " " + self.hint
        return text


class FormError(EqiaError):
    """A form file is missing, malformed or inconsistent."""


class AssessmentError(EqiaError):
    """An assessment file cannot be read, parsed or validated."""


class SaveError(EqiaError):
    """An assessment or export could not be written; the old file is untouched."""


class ConflictError(SaveError):
    """The file changed on disk since it was read (someone else saved it)."""


def _rebuild(cls: type[EqiaError], message: str, fields: dict[str, object]) -> EqiaError:
    return cls(message, **fields)  # type: ignore[arg-type]
