"""`eqia forms list|show|check`: the tooling a council uses to write its own form."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eqia.cli import main

ROOT = Path(__file__).resolve().parents[1]
FORM = ROOT / "forms" / "birmingham-ea.toml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_list_and_show() -> None:
    listed = run("forms", "list")
    assert listed.exit_code == 0 and "birmingham-ea" in listed.stdout
    shown = run("forms", "show", "birmingham-ea", "--type", "New Strategy")
    assert shown.exit_code == 0
    assert "3.2.4 Disability - Additional Work" in shown.stdout
    assert "Describe how the Strategy meets the needs of Men and women?" in shown.stdout
    assert "could assist Individuals with a disability to participate more?" in shown.stdout
    assert run("forms", "show", "no-such-form").exit_code == 2


def test_check_good_and_broken_forms(tmp_path: Path) -> None:
    assert run("forms", "check", str(FORM)).exit_code == 0
    broken = tmp_path / "broken.toml"
    text = FORM.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("meets the needs of {group}?", "meets the needs of {grop}?"), encoding="utf-8"
    )
    result = run("forms", "check", str(FORM), str(broken))
    assert result.exit_code == 2
    assert str(broken) in result.stderr and "{grop}" in result.stderr and "line" in result.stderr


PSED = ROOT / "forms" / "psed-england.toml"

#: (what is broken, the change to psed-england.toml, words the message must hold, the key it names)
BROKEN = [
    (
        "duplicate question id",
        ('id = "evidence_gaps"', 'id = "evidence_source"'),
        ["`evidence_source` is used twice"],
        "sections[",
    ),
    (
        "unknown placeholder",
        ("have on each aim of the duty for {group}?", "have on each aim of the duty for {groups}?"),
        ["{groups}", "allowed here"],
        ".text",
    ),
    (
        "show_if naming a question that is not there",
        ('show_if = [{ question = "adverse_impact"', 'show_if = [{ question = "adverse_impacts"'),
        ["`adverse_impacts`", "not a question in section"],
        ".show_if",
    ),
    (
        "grid over a list the form does not have",
        ('each = "aims"', 'each = "aimz"'),
        ["each = `aimz`", "not a list of the form"],
        ".each",
    ),
    (
        "list item excluding an unknown characteristic",
        ('excludes = ["marriage_civil_partnership"]', 'excludes = ["marriage"]'),
        ["`marriage`", "not a characteristic"],
        "lists[1].items[",
    ),
    (
        "characteristic without its group wording",
        ('group = "people of different ages"\n', ""),
        ["required but missing"],
        "characteristics[1].group",
    ),
    (
        "a wording's unknown placeholder",
        ("[text]\n", '[text]\nprogress_earlier = "Earlier updates on {number}:"\n'),
        ["{number}", "allowed here: {action}"],
        "text.progress_earlier",
    ),
    (
        "repeat without fields",
        (
            'affect, and how many people?"\nkind = "text"',
            'affect, and how many people?"\nkind = "repeat"',
        ),
        ["is a repeat but lists no fields"],
        ".fields",
    ),
]


def test_check_names_each_broken_form_with_its_key_and_line(tmp_path: Path) -> None:
    text = PSED.read_text(encoding="utf-8")
    assert run("forms", "check", str(PSED)).exit_code == 0
    for what, (old, new), words, key in BROKEN:
        assert old in text, what
        broken = tmp_path / f"{what.replace(' ', '-')}.toml"
        broken.write_text(text.replace(old, new, 1), encoding="utf-8")
        result = run("forms", "check", str(broken))
        assert result.exit_code == 2, what
        message = result.stderr
        assert str(broken) in message, what
        assert "line " in message, (what, message)
        assert key in message, (what, message)
        for word in words:
            assert word in message, (what, message)
        assert "Traceback" not in message


def test_check_refuses_a_migration_that_names_no_current_question(tmp_path: Path) -> None:
    text = PSED.read_text(encoding="utf-8").replace('version = "1.2.0"', 'version = "1.3.0"', 1)
    broken = tmp_path / "psed-england.toml"
    broken.write_text(
        text + '\n[[migrations]]\nversion = "1.3.0"\nrenamed = { meets_need = "meets_needz" }\n',
        encoding="utf-8",
    )
    result = run("forms", "check", str(broken))
    assert result.exit_code == 2
    assert "`meets_needz`, which is not a question of the form" in result.stderr
    assert "renamed.meets_need`" in result.stderr


def test_show_lists_the_aims_grid_and_optional_parts() -> None:
    shown = run("forms", "show", "psed-england")
    assert shown.exit_code == 0
    out = shown.stdout
    assert "Optional (shown here switched on): Carers" in out
    mcp = out.split("Marriage and civil partnership: effect on the aims of the duty")[1].split("evidence")[0]
    assert "Eliminate unlawful discrimination" in mcp and "Advance equality" not in mcp
    assert "rows of Source" in out


def test_new_asks_which_form_on_a_terminal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("eqia.cli.authoring._interactive", lambda: True)
    path = tmp_path / "a.toml"
    result = CliRunner().invoke(main, ["new", str(path)], input="nhs-ehia\n")
    assert result.exit_code == 0, result.output
    assert "Which form" in result.output and "psed-england" in result.output
    assert 'form = "nhs-ehia"' in path.read_text(encoding="utf-8")
    scripted = tmp_path / "b.toml"
    monkeypatch.setattr("eqia.cli.authoring._interactive", lambda: False)
    assert run("new", str(scripted)).exit_code == 0  # a script is never asked: the default form
    assert 'form = "birmingham-ea"' in scripted.read_text(encoding="utf-8")
