"""Hostile files: deep nesting, a form id too long for a file name, a byte order mark, a pipe.
Each is one clear paragraph naming the file (and the line where known), exit code 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
TOP = 'schema_version = 1\nform = "birmingham-ea"\nform_version = "1.0.0"\n'


def assert_one_paragraph(result, path: Path, *words: str, line: int | None = None) -> str:
    """Exit 2 and one error line on stderr naming the file (and line), holding each of words."""
    assert result.exit_code == 2, result.output
    stderr = result.stderr
    assert stderr.startswith(f"eqia: error: {path}"), stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    if line is not None:
        assert f"{path}, line {line}:" in stderr, stderr
    for word in words:
        assert word in stderr, stderr
    return stderr


@pytest.mark.parametrize(
    "value",
    [
        "[" * 5000 + "]" * 5000,
        "{a = " * 5000 + "1" + "}" * 5000,
        '["a", [' + "[" * 5000 + "]" * 5000 + "]]",
    ],
    ids=["arrays", "inline-tables", "arrays-after-a-string"],
)
@pytest.mark.parametrize("command", ["check", "show", "export"])
def test_nesting_thousands_deep_is_an_error_naming_file_and_line(
    run_cli, tmp_path: Path, value: str, command: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(TOP + "# a comment [[[[\n" + f"include = {value}\n", encoding="utf-8")
    args = (command, path) if command != "export" else (command, path, "-o", tmp_path / "out", "-q")
    result = run_cli(*args)
    if command == "export":  # a batch goes on: the file failed, exit 1, the same paragraph
        assert result.exit_code == 1, result.output
        result.exit_code = 2
    assert_one_paragraph(result, path, "nested too deeply", line=5)


def test_a_form_id_too_long_for_a_file_name_is_a_form_error(run_cli, tmp_path: Path) -> None:
    long_id = "f" * 300
    path = tmp_path / "long.toml"
    path.write_text(TOP.replace("birmingham-ea", long_id), encoding="utf-8")
    for command in ("check", "show"):
        stderr = assert_one_paragraph(run_cli(command, path), path, "key `form`", "not a form id", "100")
        assert long_id not in stderr and "File name too long" not in stderr
    result = run_cli("forms", "show", long_id)
    assert result.exit_code == 2 and "not a form id" in result.stderr and long_id not in result.stderr
    result = run_cli("new", tmp_path / "new.toml", "--form", long_id)
    assert result.exit_code == 2 and "not a form id" in result.stderr


def test_a_byte_order_mark_is_named_as_such(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    for command in ("check", "show"):
        stderr = assert_one_paragraph(run_cli(command, path), path, "byte order mark", "UTF-8", line=1)
        assert "Invalid statement" not in stderr
    form = tmp_path / "form.toml"
    form.write_bytes(b"\xef\xbb\xbf" + (ROOT / "forms" / "birmingham-ea.toml").read_bytes())
    result = run_cli("forms", "check", form)
    assert result.exit_code == 2 and "byte order mark" in result.stderr


def test_utf16_is_named_as_such(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "utf16.toml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16"))
    assert_one_paragraph(run_cli("check", path), path, "UTF-16")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_named_like_an_assessment_is_refused_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)  # reading it would wait for a writer for ever: run eqia where it can be stopped
    done = subprocess.run(
        [sys.executable, "-m", "eqia", "check", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done
    assert done.stderr == f"eqia: error: {path}: this is not a regular file (a pipe, socket or device).\n"
