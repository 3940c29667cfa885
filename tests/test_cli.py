"""The `eqia` command: help, version, new, check (exit codes, JSON, rules) and show."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from eqia import __version__

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
RunCli = Callable[..., Result]


def _review_date_line() -> int:
    """The line of the example's review date (2018, long past): its one warning points there."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return lines.index("answer = 2018-10-31", lines.index("[answers.review_date]")) + 1


def test_help(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    for command in ("new", "check", "show"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command


@pytest.mark.parametrize("command", ["new", "check", "show"])
def test_command_help(run_cli: RunCli, command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: main {command}" in result.stdout or f"{command} [OPTIONS]" in result.stdout


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"eqia, version {__version__}"


def test_unknown_command_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert "frobnicate" in result.stderr


# -- check ---------------------------------------------------------------------------


def test_check_example_passes_with_one_warning(run_cli: RunCli) -> None:
    result = run_cli("check", EXAMPLE)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    # Nine EQ015 notes: one consultation's text is (legitimately) shared across characteristics.
    assert lines[-1] == f"{EXAMPLE}: 0 errors, 1 warning, 9 info"
    [finding] = [line for line in lines[:-1] if " info [" not in line]
    assert finding.startswith(f"{EXAMPLE}:{_review_date_line()}: EQ008 warning [answers.review_date.answer]")
    assert "31/10/18 has passed" in finding


def test_check_example_fails_at_warning_severity(run_cli: RunCli) -> None:
    result = run_cli("check", "--severity", "warning", EXAMPLE)
    assert result.exit_code == 1
    assert "EQ008 warning" in result.stdout


def test_check_example_fails_at_info_severity(run_cli: RunCli) -> None:
    assert run_cli("check", "--severity", "info", EXAMPLE).exit_code == 1


def test_check_missing_required_answer_exits_1(run_cli: RunCli, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("[answers.purpose]\n")
    end = text.index("[answers.themes.children]")
    path = tmp_path / "no-purpose.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert re.search(r"EQ004 error \[answers\.purpose\.answer\] .*needs an answer", result.stdout)
    assert f"{path}: 1 error, 1 warning, 9 info" in result.stdout


def test_check_wrong_answer_kind_exits_1_and_names_the_line(run_cli: RunCli, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    table = "[characteristics.age.answers.evidence]\n"
    text = text.replace(table + 'answer = "Yes"', table + 'answer = "Maybe"')
    path = tmp_path / "maybe.toml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('answer = "Maybe"') + 1
    result = run_cli("check", path)
    assert result.exit_code == 1
    assert f"{path}:{line}: EQ002 error [characteristics.age.answers.evidence.answer]" in result.stdout


SEXUAL_ORIENTATION = (
    "[characteristics.sexual_orientation]\nrelevant = false\nfull_assessment = false\n"
    'reason = "Care is commissioned to individual assessed need; nothing differs by sexual orientation."\n\n'
)


def test_check_json(run_cli: RunCli, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert SEXUAL_ORIENTATION in text
    path = tmp_path / "unanswered.toml"
    path.write_text(text.replace(SEXUAL_ORIENTATION, ""), encoding="utf-8")
    result = run_cli("check", "--json", EXAMPLE, path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["exit_code"] == 1
    assert [f["file"] for f in report["files"]] == [str(EXAMPLE), str(path)]
    example, other = report["files"]
    assert [f for f in example["findings"] if f["severity"] != "info"] == [
        {
            "rule": "EQ008",
            "slug": "review-date-past",
            "severity": "warning",
            "key": "answers.review_date.answer",
            "line": _review_date_line(),
            "message": example["findings"][0]["message"],
        }
    ]
    assert "review date" in example["findings"][0]["message"]
    for finding in other["findings"]:
        assert set(finding) >= {"rule", "severity", "key", "line", "message"}
    missing = [f for f in other["findings"] if f["rule"] == "EQ005"]
    assert [f["key"] for f in missing] == ["characteristics.sexual_orientation.relevant"]
    assert missing[0]["severity"] == "error"


def test_check_list_rules(run_cli: RunCli) -> None:
    result = run_cli("check", "--list-rules")
    assert result.exit_code == 0
    ids = re.findall(r"^(EQ\d{3})\s", result.stdout, re.MULTILINE)
    assert ids[0] == "EQ001"
    assert ids == sorted(set(ids))
    assert {"EQ004", "EQ008"} <= set(ids)
    for line in result.stdout.splitlines():
        assert re.match(r"EQ\d{3}\s+\S+\s+(error|warning|info)\s+\S", line), line


def test_check_list_rules_json(run_cli: RunCli) -> None:
    result = run_cli("check", "--list-rules", "--json")
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    assert [r["id"] for r in rules][:2] == ["EQ001", "EQ002"]


def test_check_without_paths_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# -- new -----------------------------------------------------------------------------


def test_new_writes_a_file_that_check_reads(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "library-hours.toml"
    result = run_cli("new", path)
    assert result.exit_code == 0
    assert str(path) in result.stdout
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    banner = [line for line in lines if line.startswith("#")]
    assert banner and lines[: len(banner)] == banner, "starts with its comment banner"
    assert lines[len(banner) : len(banner) + 3] == [
        "schema_version = 1",
        'form = "birmingham-ea"',
        'form_version = "1.1.0"',
    ]
    checked = run_cli("check", path)
    assert checked.exit_code == 1, "required answers are missing, but the file is readable"
    assert "EQ004 error" in checked.stdout and "EQ005 error" in checked.stdout
    assert checked.stderr == ""


def test_new_with_header_options(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    result = run_cli(
        "new", path, "--name", "Library opening hours", "--type", "New Service", "--reference", "EA009999"
    )
    assert result.exit_code == 0
    shown = run_cli("show", "--width", "120", path)
    assert shown.exit_code == 0
    assert "Library opening hours" in shown.stdout
    assert "EA009999" in shown.stdout
    assert "The activity has been identified as a New Service." in shown.stdout


def test_new_refuses_to_overwrite(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    result = run_cli("new", path)
    assert result.exit_code == 2
    assert str(path) in result.stderr and "--force" in result.stderr
    assert path.read_bytes() == EXAMPLE.read_bytes()
    forced = run_cli("new", "--force", path)
    assert forced.exit_code == 0
    assert "[characteristics" not in path.read_text(encoding="utf-8")


def test_new_rejects_an_unknown_activity_type(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "nonsense.toml"
    result = run_cli("new", "--type", "Nonsense", path)
    assert result.exit_code == 2
    assert "Nonsense" in result.stderr and "New Policy" in result.stderr
    assert not path.exists()


def test_new_in_a_missing_folder(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "new.toml"
    result = run_cli("new", path)
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert not path.parent.exists()


def test_new_with_an_unknown_form(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "--form", "no-such-form", tmp_path / "x.toml")
    assert result.exit_code == 2
    assert "no-such-form" in result.stderr and "birmingham-ea" in result.stderr
    assert not (tmp_path / "x.toml").exists()


# -- show ----------------------------------------------------------------------------


def test_show_example(run_cli: RunCli) -> None:
    result = run_cli("show", "--width", "100", EXAMPLE)
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert "3.1 Age - Assessment Questions" in out
    assert "There are no relevant issues" in out
    assert (
        out.index("2.3 Relevance Test")
        < out.index("3.1 Age - Assessment Questions")
        < out.index("3.3 Religion or Belief - Assessment Questions")
        < out.index("5 Action Plan")
    )


def test_show_prints_user_text_literally(run_cli: RunCli, tmp_path: Path) -> None:
    """Square brackets in an answer are the assessor's text, not terminal markup."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'comment = "59% of current users', 'comment = "[bold]59%[/bold] of current users'
    )
    path = tmp_path / "markup.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("show", "--width", "200", path)
    assert result.exit_code == 0
    assert "[bold]59%[/bold] of current users" in result.stdout


# -- a real process ------------------------------------------------------------------


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EQIA_FORMS"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_dash_m_eqia(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eqia", "check", str(EXAMPLE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "EQ008 warning" in done.stdout


@pytest.mark.parametrize(
    "args",
    [["--help"], ["check", str(EXAMPLE)], ["check", "--list-rules"], ["show", "--width", "80", str(EXAMPLE)]],
    ids=["help", "check", "list-rules", "show"],
)
def test_commands_do_not_import_textual(tmp_path: Path, args: list[str]) -> None:
    code = (
        "import sys\n"
        "from eqia.cli import main\n"
        "try:\n"
        f"    main({args!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('textual loaded:', 'textual' in sys.modules, file=sys.stderr)\n"
    )
    done = _python(code, tmp_path)
    assert done.stderr.strip().splitlines()[-1] == "textual loaded: False", done.stderr
    assert "Traceback" not in done.stderr
