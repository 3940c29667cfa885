"""Bad input gives one clear paragraph naming the file (and key and line), exit code 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
RunCli = Callable[..., Result]


@dataclass(frozen=True)
class Bad:
    """A broken assessment file and what the error about it must say."""

    path: Path
    says: tuple[str, ...] = ()
    line: int | None = None


def _line_of(text: str, line: str, after: str | None = None) -> int:
    lines = text.splitlines()
    start = lines.index(after) if after is not None else 0
    return lines.index(line, start) + 1


def _variant(folder: Path, name: str, old: str, new: str, *, after: str | None = None) -> tuple[Path, str]:
    """The example with the first `old` (after the line `after`) replaced by `new`."""
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index(after) if after is not None else 0
    at = text.index(old, start)
    text = text[:at] + new + text[at + len(old) :]
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path, text


def malformed_toml(folder: Path) -> Bad:
    table = "[characteristics.age.answers.further_action_plan]"
    path, text = _variant(folder, "malformed.toml", 'answer = "No"\n', 'answer = "No\n', after=table)
    return Bad(path, ("not valid TOML",), _line_of(text, 'answer = "No', after=table))


def wrong_schema(folder: Path) -> Bad:
    table = "[characteristics.age]"
    path, text = _variant(folder, "schema.toml", "relevant = true", 'relevant = "maybe"', after=table)
    return Bad(path, ("characteristics.age.relevant", "maybe"), _line_of(text, 'relevant = "maybe"'))


def unknown_key(folder: Path) -> Bad:
    table = "[characteristics.age.answers.evidence]\n"
    path, text = _variant(folder, "unknown.toml", table, table + 'answr = "x"\n')
    return Bad(
        path, ("characteristics.age.answers.evidence.answr", "unknown key"), _line_of(text, 'answr = "x"')
    )


def newer_schema(folder: Path) -> Bad:
    path, text = _variant(folder, "newer.toml", "schema_version = 1\n", "schema_version = 99\n")
    return Bad(path, ("newer eqia", "99"), _line_of(text, "schema_version = 99"))


def missing_file(folder: Path) -> Bad:
    return Bad(folder / "no-such-assessment.toml", ("does not exist",))


def not_utf8(folder: Path) -> Bad:
    text = EXAMPLE.read_text(encoding="utf-8")
    line = _line_of(text, 'directorate = "People"')
    lines = text.encode("utf-8").split(b"\n")
    lines[line - 1] = b'directorate = "People \xff\xfe Latin-1: caf\xe9"'
    path = folder / "latin1.toml"
    path.write_bytes(b"\n".join(lines))
    return Bad(path, ("UTF-8",), line)


def unknown_form(folder: Path) -> Bad:
    path, _ = _variant(folder, "unknown-form.toml", 'form = "birmingham-ea"', 'form = "no-such-form"')
    return Bad(path, ("no-such-form",))


def empty_file(folder: Path) -> Bad:
    path = folder / "empty.toml"
    path.write_bytes(b"")
    return Bad(path, ("schema_version",))


def byte_order_mark(folder: Path) -> Bad:
    path = folder / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    return Bad(path, (), 1)


def not_an_assessment(folder: Path) -> Bad:
    path = folder / "pyproject.toml"
    path.write_bytes((ROOT / "pyproject.toml").read_bytes())
    return Bad(path, ("not an eqia assessment",))


CASES: list[Callable[[Path], Bad]] = [
    malformed_toml,
    wrong_schema,
    unknown_key,
    newer_schema,
    missing_file,
    not_utf8,
    unknown_form,
    empty_file,
    byte_order_mark,
    not_an_assessment,
]


def assert_clean_error(result_code: int, stdout: str, stderr: str, bad: Bad) -> None:
    assert result_code == 2, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert stderr.startswith("eqia: error: "), stderr
    assert str(bad.path) in stderr
    assert len(stderr.strip().splitlines()) == 1, "one paragraph"
    for words in bad.says:
        assert words in stderr
    if bad.line is not None:
        assert f"{bad.path}, line {bad.line}:" in stderr


@pytest.mark.parametrize("command", ["check", "show"])
@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_a_clear_error(
    run_cli: RunCli, tmp_path: Path, command: str, case: Callable[[Path], Bad]
) -> None:
    bad = case(tmp_path)
    before = bad.path.read_bytes() if bad.path.is_file() else None
    result = run_cli(command, bad.path)
    assert_clean_error(result.exit_code, result.stdout, result.stderr, bad)
    if before is not None:
        assert bad.path.read_bytes() == before, "a bad file is never rewritten"


def test_show_a_folder_is_a_clear_error(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "assessments.toml"
    folder.mkdir()
    result = run_cli("show", folder)
    assert_clean_error(result.exit_code, result.stdout, result.stderr, Bad(folder, ("folder",)))


def test_check_a_folder_checks_the_files_in_it(run_cli: RunCli, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_bytes(EXAMPLE.read_bytes())
    bad = wrong_schema(tmp_path)
    result = run_cli("check", tmp_path)
    assert result.exit_code == 2
    assert str(bad.path) in result.stderr and f"line {bad.line}" in result.stderr
    assert f"{good}: 0 errors, 1 warning" in result.stdout
    assert "Traceback" not in result.output


def test_check_good_and_bad_file_reports_both_and_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    bad = unknown_key(tmp_path)
    result = run_cli("check", EXAMPLE, bad.path)
    assert result.exit_code == 2
    assert f"{EXAMPLE}: 0 errors, 1 warning" in result.stdout
    assert str(bad.path) in result.stderr


def test_check_json_reports_unreadable_file(run_cli: RunCli, tmp_path: Path) -> None:
    bad = wrong_schema(tmp_path)
    result = run_cli("check", "--json", bad.path)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["exit_code"] == 2
    [entry] = report["files"]
    assert entry["file"] == str(bad.path)
    assert entry["error"]["key"] == "characteristics.age.relevant"
    assert entry["error"]["line"] == bad.line
    assert "Traceback" not in result.output


def test_error_in_second_action_names_its_line(run_cli: RunCli, tmp_path: Path) -> None:
    """A key path into the second [[actions]] must point at that action, not the first."""
    actions = (
        "[[actions]]\n"
        'issue = "First issue"\n'
        'action = "First action"\n'
        "\n"
        "[[actions]]\n"
        'issue = "Second issue"\n'
        'ownr = "typo for owner"\n'
        "\n"
    )
    path, text = _variant(tmp_path, "actions.toml", "[review]\n", actions + "[review]\n")
    result = run_cli("check", path)
    bad = Bad(path, ("actions[2].ownr",), _line_of(text, 'ownr = "typo for owner"'))
    assert_clean_error(result.exit_code, result.stdout, result.stderr, bad)


# -- the same through a real process: what a user's shell sees ---------------------------


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EQIA_FORMS"}
    return subprocess.run(
        [sys.executable, "-m", "eqia", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("case", [malformed_toml, newer_schema, not_utf8], ids=lambda c: c.__name__)
def test_bad_input_in_a_real_process(tmp_path: Path, case: Callable[[Path], Bad]) -> None:
    bad = case(tmp_path)
    done = _run("check", bad.path, cwd=tmp_path)
    assert_clean_error(done.returncode, done.stdout, done.stderr, bad)


def test_missing_file_and_folder_in_a_real_process(tmp_path: Path) -> None:
    done = _run("show", "missing.toml", cwd=tmp_path)
    assert_clean_error(
        done.returncode, done.stdout, done.stderr, Bad(Path("missing.toml"), ("does not exist",))
    )
    done = _run("show", tmp_path, cwd=tmp_path)
    assert_clean_error(done.returncode, done.stdout, done.stderr, Bad(tmp_path, ("folder",)))
