"""Provides `eqia config` (show, set and unset who you are) and `who`: the name a command records in an
assessment's history, from --by, the settings, or asked for on a terminal."""

from __future__ import annotations

import sys

import click

from eqia.cli.output import error, fail, line
from eqia.errors import EqiaError

# Deferred imports: the settings (and platformdirs, tomlkit) load only when a command needs who you are,
# so `eqia --help` stays quick.

NO_NAME = "say who you are: --by NAME, or once for all: eqia config set name NAME"


def _interactive() -> bool:
    return sys.stdin.isatty()


def configured_name() -> str:
    """The name in the settings, or "" when none is set or the settings cannot be read (told on stderr:
    the app opens all the same, and asks for the name when it needs it)."""
    from eqia.files.settings import load_settings

    try:
        return load_settings().name
    except EqiaError as exc:
        error(f"{exc} (going on without your name from the settings)")
        return ""


def who(by: str | None) -> str:
    """Who does this: --by when given, else the name in the settings, else asked for on a terminal (and,
    if they like, remembered). In a script, with neither, the command fails and says how to say it."""
    if by is not None and by.strip():
        return by.strip()
    from eqia.files.settings import change_setting, load_settings

    try:
        settings = load_settings()
    except EqiaError as exc:
        fail(exc)
    if settings.name:
        return settings.name
    if not _interactive():
        fail(EqiaError(NO_NAME))
    name = ""
    while not name:
        name = click.prompt("Your name", prompt_suffix=": ").strip()
    if click.confirm(f"Remember {name} as your name (in {settings.path})?", default=True):
        try:
            change_setting("name", name, settings.path)
            line(f"Saved: next time eqia records {name} without asking (eqia config to see or change it).")
        except EqiaError as exc:
            error(f"{exc} (your name is recorded this time all the same)")
    return name


@click.group(invoke_without_command=True)
@click.pass_context
def config(ctx: click.Context) -> None:
    """Who you are: your name (recorded when you submit, return, approve or publish), role and email.

    \b
    eqia config                        show the settings and where the file is
    eqia config set name "Jo Bloggs"   set one (name, role or email)
    eqia config unset email            remove one

    The file is settings.toml in your user settings folder, or the file EQIA_CONFIG names.
    """
    if ctx.invoked_subcommand is not None:
        return
    from eqia.files.settings import KEYS, load_settings

    try:
        settings = load_settings()
    except EqiaError as exc:
        fail(exc)
    line(f"Settings file: {settings.path}" + ("" if settings.exists else " (not written yet)"))
    width = max(len(k) for k in KEYS)
    for key in KEYS:
        line(f"  {key:<{width}}  {settings.values.get(key, '(not set)')}")
    if not settings.name:
        line('Set your name, to be recorded without --by: eqia config set name "Your Name"')


@config.command(name="set")
@click.argument("key")
@click.argument("value")
def set_(key: str, value: str) -> None:
    """Set KEY (name, role or email) to VALUE."""
    _change(key, value)


@config.command()
@click.argument("key")
def unset(key: str) -> None:
    """Remove KEY (name, role or email) from the settings."""
    _change(key, None)


def _change(key: str, value: str | None) -> None:
    from eqia.files.settings import change_setting

    try:
        settings = change_setting(key, value)
    except EqiaError as exc:
        fail(exc)
    said = f"{key} = {value.strip()}" if value is not None else f"{key} removed"
    line(f"{said} (in {settings.path}).")
