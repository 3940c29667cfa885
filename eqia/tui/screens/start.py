"""Provides StartScreen: the assessments in ./assessments/, a new assessment, or open a file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from eqia.document import dates
from eqia.document.form import DEFAULT_FORM
from eqia.errors import EqiaError
from eqia.files.forms import available_forms, load_form
from eqia.files.opening import Unreadable, open_folder
from eqia.tui.screens.dialogs import MessageDialog, PromptDialog
from eqia.tui.widgets.editing import typing_in
from eqia.usecases.copies import Copy, find_copies
from eqia.usecases.creating import new_assessment
from eqia.usecases.export import safe_stem


@dataclass(frozen=True)
class Listed:
    """One line of the start screen's table: an assessment file as its form shows it."""

    path: Path
    reference: str
    name: str
    form: str
    status: str
    """The review status, or "unreadable" (opening the file then says why)."""
    saved: str
    copy: Copy | None = None
    """Set when the file looks like a copy a sync client left of another (eqia.usecases.copies)."""


def list_assessments(folder: Path) -> list[Listed]:
    """Reference, name, form, status and last-saved time of each assessment in a folder."""
    rows = []
    for opened in open_folder(folder):
        path = opened.path
        try:
            saved = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue  # gone since the folder was read
        if isinstance(opened, Unreadable):
            rows.append(Listed(path, "", path.stem, "", "unreadable", dates.show_time(saved)))
            continue
        a, form = opened.assessment, opened.form
        rows.append(
            Listed(
                path,
                str(a.header.get("reference", "")),
                str(a.header.get("ea_name", "")) or path.stem,
                a.form,
                a.review.status,
                dates.show_time(saved, form),
            )
        )
    copies = find_copies((row.path, row.reference) for row in rows)
    return [
        replace(row, name=f"{row.path.name}: a copy of {copy.original.name}", copy=copy)
        if (copy := copies.get(row.path)) is not None
        else row
        for row in rows
    ]


NAME_ROOM = 52
"""The columns but the name take about this much (reference, form, status, padding, the date's start)."""
NAME_MIN = 20


class StartScreen(Screen[None]):
    """Pick an assessment to work on, start a new one, or open a file by path."""

    BINDINGS = [
        Binding("n", "new", "New assessment", id="new"),
        Binding("o", "open", "Open file", id="open"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static(
                f"Assessments in {self.folder}/ (enter opens)", classes="section-title", markup=False
            )
            yield DataTable(id="assessments", cursor_type="row", zebra_stripes=True)
            yield Static("", id="copies", classes="hint", markup=False)
            with Vertical(id="new-form", classes="panel"):
                yield Static("New assessment", classes="section-title")
                yield Input(placeholder="Name of the policy, function or service", id="new-name")
                with Horizontal(classes="row"):
                    yield Select(
                        [(f, f) for f in available_forms()],
                        value=DEFAULT_FORM,
                        allow_blank=False,
                        id="new-form-id",
                        prompt="Form",
                    )
                    yield Select([], id="new-type", prompt="Activity type")
                yield Static("", id="new-path", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("Create and open", id="create", variant="primary")
                    yield Button("Open a file…", id="open-file")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # n and o are letters while the user types a name: the footer offers them only elsewhere.
        return not (action in ("new", "open") and typing_in(self.focused))

    def on_mount(self) -> None:
        self.app.sub_title = "Start"
        table = self.query_one(DataTable)
        table.add_columns("Reference", "Name", "Form", "Status", "Last saved")
        self.reload()
        self._fill_types(DEFAULT_FORM)
        table.focus()

    @work(thread=True, exclusive=True, group="list")
    def reload(self) -> None:
        """Read the folder off the keypress (each file is opened and checked against its form)."""
        rows = list_assessments(self.folder)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[Listed]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        # The name gives way to the status (what a QC officer scans for) on a narrow terminal.
        room = max(NAME_MIN, self.app.size.width - NAME_ROOM)
        for row in rows:
            name = row.name if len(row.name) <= room else row.name[: room - 1] + "\u2026"
            table.add_row(row.reference, name, row.form, row.status, row.saved, key=str(row.path))
        copies = [row.copy for row in rows if row.copy is not None]
        hint = self.query_one("#copies", Static)
        hint.display = bool(copies)
        if copies:
            first = copies[0]
            more = f" ({len(copies) - 1} more like it)" if len(copies) > 1 else ""
            hint.update(
                f"{first.path.name} looks like a copy a sync client left when two people saved "
                f"{first.original.name} at once{more}. Bring them together with: {first.merge_command}"
            )

    def _fill_types(self, form_id: str) -> None:
        select = self.query_one("#new-type", Select)
        try:
            form = load_form(form_id)
        except EqiaError as exc:
            self.app.push_screen(MessageDialog("Form not usable", str(exc)))
            return
        select.set_options([(t.value, t.value) for t in form.activity_types])

    @on(Select.Changed, "#new-form-id")
    def _form_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._fill_types(event.value)

    @on(Input.Changed, "#new-name")
    def _name(self, event: Input.Changed) -> None:
        self.query_one("#new-path", Static).update(f"Will be saved as {self._new_path(event.value)}")

    def _new_path(self, name: str) -> Path:
        stem = safe_stem("", name, "assessment")
        path, n = self.folder / f"{stem}.toml", 1
        while path.exists():
            n += 1
            path = self.folder / f"{stem}-{n}.toml"
        return path

    @on(DataTable.RowSelected, "#assessments")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        self.app.open_assessment(Path(str(event.row_key.value)))  # type: ignore[attr-defined]

    def action_new(self) -> None:
        self.query_one("#new-name", Input).focus()

    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        name = self.query_one("#new-name", Input).value.strip()
        if not name:
            self.notify("Type the name of the activity first.", severity="warning")
            self.query_one("#new-name", Input).focus()
            return
        form_id = self.query_one("#new-form-id", Select).value
        activity = self.query_one("#new-type", Select).value
        path = self._new_path(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            new_assessment(
                path,
                load_form(str(form_id)),
                name=name,
                activity_type=activity if isinstance(activity, str) else "",
            )
        except (EqiaError, OSError) as exc:
            self.app.push_screen(MessageDialog("Not created", str(exc)))
            return
        self.app.open_assessment(path)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#open-file")
    def action_open(self) -> None:
        self.app.push_screen(
            PromptDialog("Open", "Path of the assessment file to open:", ""), self._open_path
        )

    def _open_path(self, value: str | None) -> None:
        if value:
            self.app.open_assessment(Path(value).expanduser())  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        self.reload()
