"""A folder with broken files among good ones: every folder command lists each broken file with its
reason and goes on; backups, hidden files and lock files are never taken for assessments."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "assessments" / "EA002401-care-at-home-review.toml"  # five actions, reference EA002401
TOP = 'schema_version = 1\nform = "birmingham-ea"\nform_version = "1.0.0"\n'

#: Each broken file, by name, and words its one-paragraph reason must hold.
BROKEN = {
    "header-number.toml": "header",
    "review-text.toml": "review",
    "characteristics-list.toml": "characteristics",
    "deep.toml": "nested too deeply",
    "folder.toml": "folder",
    "binary.toml": "UTF-8",
    "empty.toml": "schema_version",
    "long-form-id.toml": "not a form id",
    "bom.toml": "byte order mark",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "assessments"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.toml")
    (folder / "header-number.toml").write_text(TOP + "header = 3\n", encoding="utf-8")
    (folder / "review-text.toml").write_text(TOP + 'review = "x"\n', encoding="utf-8")
    (folder / "characteristics-list.toml").write_text(TOP + "characteristics = [1]\n", encoding="utf-8")
    (folder / "deep.toml").write_text(TOP + "include = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (folder / "folder.toml").mkdir()
    (folder / "binary.toml").write_bytes(bytes(range(256)) * 4)
    (folder / "empty.toml").write_bytes(b"")
    (folder / "long-form-id.toml").write_text(TOP.replace("birmingham-ea", "f" * 300), encoding="utf-8")
    (folder / "bom.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.read_bytes())
    # Never assessments: the app's conflict backup, hidden files, eqia's and an editor's lock files.
    for name in (
        "good.theirs-20270101-120000.toml",
        ".good.toml",
        ".good.toml.eqia-lock",
        ".#good.toml",
        ".good.toml.eqia-recovery",
    ):
        shutil.copy(GOOD, folder / name)
    hidden = folder / ".archive"
    hidden.mkdir()
    shutil.copy(GOOD, hidden / "old.toml")
    return folder


def _errors(stderr: str) -> dict[str, str]:
    """The error lines of stderr by the file name they start with."""
    out = {}
    for line in stderr.splitlines():
        assert line.startswith("eqia: error: "), line
        path = line.removeprefix("eqia: error: ").split(":")[0].split(",")[0]
        out[Path(path).name] = line
    return out


def _assert_each_broken_file_said(stderr: str) -> None:
    errors = _errors(stderr)
    assert sorted(errors) == sorted(BROKEN), errors
    for name, words in BROKEN.items():
        assert words in errors[name], errors[name]
    assert "Traceback" not in stderr


def test_list_names_each_broken_file_with_its_reason(run_cli, folder: Path) -> None:
    result = run_cli("list", folder)
    assert result.exit_code == 0, result.output
    _assert_each_broken_file_said(result.stderr)
    assert result.stdout.count("EA002401") == 1  # the backup and the hidden copies are not listed
    assert result.stdout.count("unreadable") == len(BROKEN)

    rows = json.loads(run_cli("list", folder, "--json").stdout)
    assert sorted(Path(r["file"]).name for r in rows) == sorted([*BROKEN, "good.toml"])
    for row in rows:
        if row["status"] == "unreadable":
            name = Path(row["file"]).name
            assert BROKEN[name] in row["error"] and name in row["error"], row


def test_check_goes_on_past_each_broken_file(run_cli, folder: Path) -> None:
    result = run_cli("check", folder)
    assert result.exit_code == 2
    errors = _errors(result.stderr)
    assert sorted(errors) == sorted(set(BROKEN) - {"folder.toml"})  # a folder is searched, not read
    assert "good.toml: 0 errors" in result.stdout
    assert result.stdout.count("EA002401") == 0 and ".good" not in result.output
    assert "theirs" not in result.output and "archive" not in result.output


def test_export_goes_on_past_each_broken_file(run_cli, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("export", folder, "-f", "txt", "-o", out, "-j", "2")
    assert result.exit_code == 1, result.output
    assert sorted(_errors(result.stderr)) == sorted(set(BROKEN) - {"folder.toml"})
    assert [p.name for p in out.iterdir()] == ["EA002401-care-at-home-review.txt"]


def test_actions_and_due_list_broken_files_and_skip_backups(run_cli, folder: Path) -> None:
    result = run_cli("actions", folder, "--json")
    data = json.loads(result.stdout)
    assert len(data["actions"]) == 5  # good.toml's five, not the backup's or the hidden copies'
    assert sorted(Path(e["file"]).name for e in data["errors"]) == sorted(BROKEN)
    _assert_each_broken_file_said(result.stderr)

    due = json.loads(run_cli("due", folder, "--within", "100000", "--json").stdout)
    assert {Path(e["file"]).name for e in due["actions"]} == {"good.toml"}
    assert sorted(Path(e["file"]).name for e in due["errors"]) == sorted(BROKEN)


def test_a_folder_without_assessments_is_bad_input(run_cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".hidden.toml").write_text(TOP, encoding="utf-8")
    (empty / "x.theirs-20270101-120000.toml").write_text(TOP, encoding="utf-8")
    for command in (("export", empty, "-o", tmp_path / "out"), ("check", empty)):
        result = run_cli(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr == f"eqia: error: no assessment files (*.toml) in {empty}.\n"
    result = run_cli("list", tmp_path / "missing")
    assert result.exit_code == 2 and "does not exist" in result.stderr
