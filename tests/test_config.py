"""Who you are: `eqia config` shows, sets and unsets your name, role and email in a settings file; the
commands that record a name (submit, return, approve, publish, keep) use it when --by is not given, ask
for it on a terminal, and say how to give it in a script; the app records it with decisions and verdicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RunCli
from pilot_steps import handled, settle, type_text, workers_done
from textual.widgets import Input

from eqia.cli import main
from eqia.files import store
from eqia.tui.app import EqiaApp
from eqia.tui.screens.dialogs import DecisionDialog, PromptDialog

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
NO_NAME = "say who you are: --by NAME, or once for all: eqia config set name NAME"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file of this test's own (not written yet)."""
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("EQIA_CONFIG", str(path))
    return path


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    target = tmp_path / "library.toml"
    shutil.copy(LIBRARY, target)
    return target


def history_of(path: Path) -> list[tuple[str, str]]:
    return [(h.status, h.by) for h in store.load(path).review.history]


def one_paragraph(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eqia: error: "), stderr
    return lines[0]


# -- eqia config ---------------------------------------------------------------------------------


def test_config_set_show_and_unset(run_cli: RunCli, settings: Path) -> None:
    shown = run_cli("config")
    assert shown.exit_code == 0
    assert f"Settings file: {settings} (not written yet)" in shown.stdout
    assert "name   (not set)" in shown.stdout and "eqia config set name" in shown.stdout

    assert run_cli("config", "set", "name", "Jo Bloggs").exit_code == 0
    assert run_cli("config", "set", "role", "Policy officer").exit_code == 0
    assert run_cli("config", "set", "email", "jo.bloggs@example.gov.uk").exit_code == 0
    shown = run_cli("config")
    assert f"Settings file: {settings}\n" in shown.stdout
    assert "name   Jo Bloggs" in shown.stdout
    assert "role   Policy officer" in shown.stdout
    assert "email  jo.bloggs@example.gov.uk" in shown.stdout

    done = run_cli("config", "unset", "email")
    assert done.exit_code == 0 and "email removed" in done.stdout
    shown = run_cli("config")
    assert "email  (not set)" in shown.stdout and "name   Jo Bloggs" in shown.stdout
    text = settings.read_text(encoding="utf-8")
    assert 'name = "Jo Bloggs"' in text and "email" not in text.split("\n", 2)[-1].replace("`", "")


def test_a_comment_in_the_settings_file_is_kept(run_cli: RunCli, settings: Path) -> None:
    settings.parent.mkdir(parents=True)
    settings.write_text('# mine, do not lose\nname = "Jo"\n', encoding="utf-8")
    assert run_cli("config", "set", "role", "Policy officer").exit_code == 0
    assert (
        settings.read_text(encoding="utf-8") == '# mine, do not lose\nname = "Jo"\nrole = "Policy officer"\n'
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("set", "colour", "red"),
            "eqia keeps no setting called `colour`; the settings are name, role, email.",
        ),
        (("unset", "nmae"), "eqia keeps no setting called `nmae`"),
        (("set", "email", "jo at home"), "is not an email address"),
        (
            ("set", "name", "   "),
            "give a value for name. To remove the setting instead: eqia config unset name",
        ),
    ],
)
def test_a_setting_eqia_does_not_keep_is_a_clear_error(
    run_cli: RunCli, settings: Path, args: tuple[str, ...], said: str
) -> None:
    done = run_cli("config", *args)
    assert done.exit_code == 2
    assert said in one_paragraph(done.stderr)
    assert not settings.exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('name = "Jo\n', ", line 1: this is not valid TOML"),
        ('name = "Jo"\nrole = 3\n', ", line 2: key `role`: this must be text, in quotes."),
        ('name = "Jo"\n\nnmae = "Jo"\n', ", line 3: eqia keeps no setting called `nmae`"),
        (
            'name = "Jo\\u001b[2J"\n',
            ", line 1: key `name`: the name must be one line of text, without control",
        ),
    ],
)
def test_a_broken_settings_file_names_the_file_and_line(
    run_cli: RunCli, settings: Path, draft: Path, text: str, said: str
) -> None:
    settings.parent.mkdir(parents=True)
    settings.write_text(text, encoding="utf-8")
    for args in (("config",), ("config", "set", "role", "QC"), ("submit", str(draft))):
        done = run_cli(*args)
        assert done.exit_code == 2, args
        assert f"eqia: error: {settings}{said}" in one_paragraph(done.stderr), args
    assert settings.read_text(encoding="utf-8") == text  # never overwritten
    assert history_of(draft) == []
    assert run_cli("submit", draft, "--by", "Sam").exit_code == 0  # --by needs no settings


# -- the name the lifecycle commands record ------------------------------------------------------


def test_submit_records_the_configured_name(run_cli: RunCli, settings: Path, draft: Path) -> None:
    run_cli("config", "set", "name", "Jo Bloggs")
    done = run_cli("submit", draft, "--note", "Ready for QC")
    assert done.exit_code == 0, done.output
    assert "draft -> submitted by Jo Bloggs." in done.stdout
    assert history_of(draft) == [("submitted", "Jo Bloggs")]


def test_by_overrides_the_configured_name(run_cli: RunCli, settings: Path, draft: Path) -> None:
    run_cli("config", "set", "name", "Jo Bloggs")
    assert run_cli("submit", draft).exit_code == 0
    done = run_cli("return", draft, "--by", "Kim (QC)")
    assert done.exit_code == 0 and "by Kim (QC)" in done.stdout
    assert history_of(draft) == [("submitted", "Jo Bloggs"), ("returned", "Kim (QC)")]


@pytest.mark.parametrize("command", ["submit", "approve", "return", "publish"])
def test_no_name_in_a_script_says_how_to_give_one(
    run_cli: RunCli, settings: Path, draft: Path, command
) -> None:
    if command != "submit":  # each at a step where it is allowed, so only the name is missing
        assert run_cli("submit", draft, "--by", "Jo").exit_code == 0
    if command == "publish":
        assert run_cli("approve", draft, "--by", "Kim").exit_code == 0
    before = draft.read_bytes()
    done = run_cli(command, draft)
    assert done.exit_code == 2
    assert one_paragraph(done.stderr) == f"eqia: error: {NO_NAME}"
    assert draft.read_bytes() == before


def test_keep_uses_the_configured_name_too(run_cli: RunCli, settings: Path, draft: Path) -> None:
    done = run_cli("keep", draft, "header.lead_officer", "Hannah Okafor", "--why", "Named officer")
    assert done.exit_code == 2 and NO_NAME in done.stderr


def test_a_status_that_cannot_change_is_said_before_asking_who(
    run_cli: RunCli, settings: Path, draft: Path
) -> None:
    done = run_cli("approve", draft)  # a draft: nobody can approve it, whoever they are
    assert done.exit_code == 2
    assert "until its author submits it for review" in done.stderr and NO_NAME not in done.stderr


def test_on_a_terminal_it_asks_and_offers_to_remember(
    settings: Path, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("eqia.cli.config_commands._interactive", lambda: True)
    done = CliRunner().invoke(main, ["submit", str(draft)], input="Jo Bloggs\ny\n")
    assert done.exit_code == 0, done.output
    assert "Your name: " in done.stdout
    assert f"Remember Jo Bloggs as your name (in {settings})? [Y/n]" in done.stdout
    assert "draft -> submitted by Jo Bloggs." in done.stdout
    assert history_of(draft) == [("submitted", "Jo Bloggs")]
    assert 'name = "Jo Bloggs"' in settings.read_text(encoding="utf-8")

    done = CliRunner().invoke(main, ["return", str(draft)])  # remembered: not asked again
    assert done.exit_code == 0 and "Your name" not in done.stdout
    assert history_of(draft)[-1] == ("returned", "Jo Bloggs")


def test_on_a_terminal_the_name_can_be_used_once_without_remembering(
    settings: Path, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("eqia.cli.config_commands._interactive", lambda: True)
    done = CliRunner().invoke(main, ["submit", str(draft)], input="Sam Temp\nn\n")
    assert done.exit_code == 0, done.output
    assert history_of(draft) == [("submitted", "Sam Temp")]
    assert not settings.exists()


# -- the app -------------------------------------------------------------------------------------


def test_the_app_is_opened_as_the_configured_user(
    run_cli: RunCli, settings: Path, draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[dict] = []

    class App:
        return_code = 0

        def __init__(self, path, **kwargs) -> None:
            opened.append(kwargs)

        def run(self) -> None:
            pass

    monkeypatch.setattr("eqia.tui.app.EqiaApp", App)
    run_cli("config", "set", "name", "Jo Bloggs")
    assert run_cli("edit", draft).exit_code == 0
    assert run_cli("review", draft).exit_code == 0
    assert run_cli("review", draft, "--by", "Kim (QC)").exit_code == 0
    assert opened == [
        {"review": False, "reviewer": "", "me": "Jo Bloggs"},
        {"review": True, "reviewer": "", "me": "Jo Bloggs"},
        {"review": True, "reviewer": "Kim (QC)", "me": "Jo Bloggs"},
    ]


@pytest.fixture
def fast_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setattr("eqia.tui.screens.review.SAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def test_the_app_submits_as_the_configured_user_without_asking(draft: Path, fast_timers) -> None:
    app = EqiaApp(draft, me="Jo Bloggs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert await handled(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await settle(pilot)
        assert not app.screen.query("#decision-by")  # the name is known: only the note is asked
        await type_text(pilot, app.screen.query_one("#decision-note", Input), "Ready")
        await pilot.press("enter")
        assert await handled(pilot, lambda: not isinstance(app.screen, DecisionDialog))
        await settle(pilot)
    assert history_of(draft) == [("submitted", "Jo Bloggs")]


async def test_the_review_records_verdicts_as_the_configured_user(draft: Path, fast_timers) -> None:
    app = EqiaApp(draft, review=True, me="Jo Bloggs")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.show_page("purpose")
        await workers_done(pilot)
        await settle(pilot)
        await pilot.press("2")  # on the page's first answer
        assert await handled(pilot, lambda: store.load(draft).review.verdicts)
        assert not isinstance(app.screen, PromptDialog)  # not asked who
    verdicts = store.load(draft).review.verdicts
    assert [(v.verdict, v.by) for v in verdicts] == [("improvable", "Jo Bloggs")]


async def test_a_progress_update_in_the_app_records_the_configured_user(tmp_path: Path, fast_timers) -> None:
    import datetime as dt
    import shutil

    from eqia.files import store
    from eqia.tui.screens.editor import EditorScreen

    path = tmp_path / "care.toml"
    shutil.copyfile(
        Path(__file__).resolve().parents[1] / "assessments" / "EA002401-care-at-home-review.toml", path
    )
    app = EqiaApp(path, me="Jo Bloggs")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await handled(pilot, lambda: isinstance(app.screen, EditorScreen))
        await settle(pilot)
        before = len(app.screen.session.assessment.actions[0].updates)
        app.screen._add_update(
            0, {"date": dt.date(2027, 1, 5), "evidence_of_progress": "Audit done", "grade": 2}
        )
        await pilot.press("ctrl+s")
        assert await handled(pilot, lambda: not app.screen.session.dirty)
    update = store.load(path).actions[0].updates[before]
    assert (update.evidence_of_progress, update.by) == ("Audit done", "Jo Bloggs")
