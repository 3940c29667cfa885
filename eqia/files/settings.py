"""Provides the user's settings: who they are (name, role, email), in a TOML file in the platform's usual
place for settings, or the file EQIA_CONFIG names. Read with tomllib; written atomically, keeping any
comment a person wrote in it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from eqia.errors import EqiaError
from eqia.files.atomic import write_atomic
from eqia.files.tomlfile import line_of, parse, read_text

ENV = "EQIA_CONFIG"
"""An environment variable naming another settings file (for tests and scripts)."""

KEYS: dict[str, str] = {
    "name": "your name, recorded when you submit, return, approve or publish an assessment",
    "role": "your role, such as Policy officer or Quality control officer",
    "email": "your email address (optional)",
}
"""The settings eqia keeps, and what each is for."""

BANNER = (
    "# eqia's settings: who you are. Your name is recorded in an assessment's review history when you\n"
    '# submit, return, approve or publish it. Change them with `eqia config set name "Your Name"`.\n'
)


class SettingsError(EqiaError):
    """The settings file cannot be read or written, or a setting is not one eqia keeps."""


@dataclass(frozen=True)
class Settings:
    """Who the user is, as far as they have said."""

    path: Path
    exists: bool
    values: dict[str, str]

    @property
    def name(self) -> str:
        return self.values.get("name", "")


def settings_path() -> Path:
    """The settings file: EQIA_CONFIG's, else settings.toml in the platform's folder for eqia's settings
    (~/.config/eqia on Linux, ~/Library/Application Support/eqia on a Mac, %LOCALAPPDATA%\\eqia on
    Windows)."""
    if given := os.environ.get(ENV, "").strip():
        return Path(given).expanduser()
    import platformdirs  # deferred: only a command that reads the settings needs it

    return platformdirs.user_config_path("eqia", appauthor=False) / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings as saved (none when the file does not exist yet); SettingsError names the file, the
    key and the line of a setting that is not valid."""
    path = path or settings_path()
    if not path.exists():
        return Settings(path, False, {})
    text, _ = read_text(path, SettingsError)
    data = parse(text, path, SettingsError)
    values: dict[str, str] = {}
    for key, value in data.items():
        line = line_of(text, (key,))
        if key not in KEYS:
            raise SettingsError(f"eqia keeps no setting called `{key}`; {_known()}", file=path, line=line)
        if not isinstance(value, str):
            raise SettingsError("this must be text, in quotes.", file=path, key=key, line=line)
        if not value.strip():
            continue  # left blank: not set
        try:
            values[key] = check_value(key, value)
        except SettingsError as exc:
            raise SettingsError(exc.message, file=path, key=key, line=line, hint=exc.hint) from None
    return Settings(path, True, values)


def check_value(key: str, value: str | None) -> str:
    """The value as it is kept (trimmed), or SettingsError for a key eqia does not keep or a value that
    cannot be one."""
    if key not in KEYS:
        raise SettingsError(f"eqia keeps no setting called `{key}`; {_known()}")
    if value is None:
        return ""
    value = value.strip()
    if not value:
        raise SettingsError(
            f"give a value for {key}.", hint=f"To remove the setting instead: eqia config unset {key}"
        )
    if any(not ch.isprintable() for ch in value):
        raise SettingsError(f"the {key} must be one line of text, without control characters.")
    if key == "email" and ("@" not in value or any(ch.isspace() for ch in value)):
        raise SettingsError(f"`{value}` is not an email address (it needs an @ and no spaces).")
    return value


def change_setting(key: str, value: str | None, path: Path | None = None) -> Settings:
    """Set a setting (value None: remove it) and save the file atomically; returns the settings now."""
    # Deferred: tomlkit is only needed to write, which keeps the comments a person wrote in the file.
    import tomlkit

    value = check_value(key, value)
    current = load_settings(path)  # a broken file is told, not overwritten
    if current.exists:
        text, _ = read_text(current.path, SettingsError)
        document = tomlkit.parse(text)
    else:
        document = tomlkit.parse(BANNER)
    if value:
        document[key] = value
    elif key in document:
        del document[key]
    folder = current.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(
            f"the folder for eqia's settings could not be made ({exc.strerror or exc}).", file=folder
        ) from None
    try:
        write_atomic(current.path, tomlkit.dumps(document).encode("utf-8"))
    except EqiaError as exc:
        raise SettingsError(exc.message, file=current.path, hint=exc.hint) from None
    return load_settings(current.path)


def _known() -> str:
    return "the settings are " + ", ".join(KEYS) + "."
