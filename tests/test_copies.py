"""Copies sync clients leave beside an assessment (OneDrive and SharePoint, Dropbox, Nextcloud, "(1)")
are found by the assessment's reference, flagged by `eqia list` and the start screen, with the
`eqia merge` that brings them together."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pilot_steps import wait_until
from textual.widgets import DataTable, Static

from eqia.cli import main
from eqia.tui.app import EqiaApp
from eqia.usecases.copies import find_copies

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
BLOODS = ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml"
COPIES = {
    "library-PC123.toml": "OneDrive or SharePoint",
    "library (Jo Bloggs's conflicted copy 2026-12-03).toml": "Dropbox or Nextcloud",
    "library (conflicted copy 2026-12-03 104212).toml": "Dropbox or Nextcloud",
    "library (1).toml": "a numbered copy",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copyfile(LIBRARY, tmp_path / "library.toml")
    for name in COPIES:
        shutil.copyfile(LIBRARY, tmp_path / name)
    shutil.copyfile(BLOODS, tmp_path / "bloods-LAPTOP.toml")  # a name like a copy, but its own reference
    return tmp_path


def test_each_sync_clients_copy_is_told_from_the_original() -> None:
    ref = "EQIA-2026-041"
    files = [
        (Path("library.toml"), ref),
        *((Path(n), ref) for n in COPIES),
        (Path("bloods-LAPTOP.toml"), "X"),
    ]
    found = find_copies(files)
    assert {p.name: c.by for p, c in found.items()} == COPIES
    assert all(c.original == Path("library.toml") for c in found.values())
    # the same reference under an unrelated name is still flagged, as a plain copy
    other = find_copies([(Path("a.toml"), ref), (Path("b.toml"), ref)])
    assert [(p.name, c.original.name, c.by) for p, c in other.items()] == [("b.toml", "a.toml", "")]


def test_eqia_list_flags_them_with_the_merge_to_run(folder: Path) -> None:
    result = CliRunner().invoke(main, ["list", str(folder), "--json"])
    rows = {Path(r["file"]).name: r for r in json.loads(result.stdout)}
    assert {name for name, r in rows.items() if r["copy_of"]} == set(COPIES)
    assert rows["bloods-LAPTOP.toml"]["copy_of"] == "" and rows["library.toml"]["copy_of"] == ""
    table = CliRunner().invoke(main, ["list", str(folder)])
    original, copy = folder / "library.toml", folder / "library-PC123.toml"
    note = (
        "eqia: note: library-PC123.toml looks like a copy of library.toml left by OneDrive or SharePoint: "
        f'eqia merge "{original}" "{copy}"'
    )
    assert note in table.stderr


async def test_the_start_screen_names_the_copies(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(folder / "state"))
    app = EqiaApp(None, folder=folder)
    async with app.run_test(size=(100, 30)) as pilot:

        def listed() -> int:
            tables = app.screen.query(DataTable)
            return tables.first().row_count if tables else 0

        assert await wait_until(pilot, lambda: listed() == 6, timeout=10)
        hint = str(app.screen.query_one("#copies", Static).content)
        assert "looks like a copy a sync client left when two people saved library.toml at once" in hint
        assert "(3 more like it)" in hint and "eqia merge" in hint
        names = [str(app.screen.query_one(DataTable).get_row_at(i)[1]) for i in range(6)]
        assert "library-PC123.toml: a copy of library.toml" in names
