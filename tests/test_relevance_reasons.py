"""A reason beside every relevance decision: asked on the relevance page, saved per characteristic,
printed in the report's relevance table in every format, required by EQ025 where a characteristic is
not relevant, and brought to older assessments by the forms' 1.1.0 step (`eqia upgrade`)."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pilot_steps import focus, handled, send_keys, settle, type_text
from pypdf import PdfReader
from textual.widgets import Input, Select, Static

from eqia.cli import main
from eqia.document.form import RelevanceTest, version_key
from eqia.files import store
from eqia.files.forms import load_form
from eqia.files.opening import open_assessment
from eqia.quality.checks import run_checks
from eqia.report.render_text import render_text
from eqia.report.tree import build_report
from eqia.tui.app import EqiaApp

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "birmingham-ea": ROOT / "assessments" / "EA002401-care-at-home-review.toml",
    "psed-england": ROOT / "assessments" / "EX-psed-library-opening-hours.toml",
    "nhs-ehia": ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml",
}
CARE = EXAMPLES["birmingham-ea"]
RACE_REASON = "Provider information and recruitment reach everyone alike, whatever their ethnicity."


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("eqia.tui.screens.editor.SETTLE_SECONDS", 0.05)
    monkeypatch.setattr("eqia.tui.screens.editor.AUTOSAVE_SECONDS", 0.2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("EQIA_FORMS", raising=False)


def run(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


def reason_rules(path: Path) -> dict[tuple, str]:
    opened = open_assessment(path)
    return {f.key_path: f.message for f in run_checks(opened.form, opened.assessment) if f.rule == "EQ025"}


# -- asked on the relevance page -------------------------------------------------------------------


async def test_the_relevance_page_asks_a_reason_beside_each_choice_and_saves_it(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    assert run("new", path, "--form", "birmingham-ea", "--name", "Libraries").exit_code == 0
    app = EqiaApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.show_page("relevance")
        assert await handled(pilot, lambda: screen.current == "relevance" and len(screen.query(Select)) == 9)
        await settle(pilot)
        form = screen.session.form
        for c in form.characteristics:  # one reason per characteristic, under its choice
            assert screen.query_one(f"#reason-{c.id}").query_one(Input)
        label = screen.query_one("#reason-gender_reassignment").query_one(".question", Static)
        assert str(label.content) == "Reason"

        choice = screen.query_one("#rel-gender_reassignment", Select)
        await focus(pilot, choice)
        send_keys(pilot, "enter")
        assert await handled(pilot, lambda: choice.expanded)
        send_keys(pilot, "down", "enter")  # the first choice: Not Relevant
        assert await handled(pilot, lambda: choice.value == "not" and not choice.expanded)
        assert await handled(pilot, lambda: str(label.content) == "Reason *")  # now required
        await settle(pilot)
        assert "EQ025" in str(screen.query_one("#checks").content)

        reason = screen.query_one("#reason-gender_reassignment").query_one(Input)
        await pilot.press("tab")  # from the choice to its reason
        assert await handled(pilot, lambda: app.focused is reason)
        body = screen.query_one("#page-body")
        assert await handled(pilot, lambda: body.region.contains_region(reason.region))
        await type_text(pilot, reason, "Library services do not differ for trans people")

        def saved() -> bool:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            record = data.get("characteristics", {}).get("gender_reassignment", {})
            return record.get("reason") == "Library services do not differ for trans people"

        assert await handled(pilot, saved)
        assert await handled(pilot, lambda: "EQ025" not in str(screen.query_one("#checks").content))
    text = path.read_text(encoding="utf-8")
    assert (
        "[characteristics.gender_reassignment]\nrelevant = false\nfull_assessment = false\n"
        'reason = "Library services do not differ for trans people"\n'
    ) in text


async def test_a_reviewer_reads_the_reasons_but_cannot_change_them(tmp_path: Path) -> None:
    path = tmp_path / "care.toml"
    shutil.copy(CARE, path)
    before = path.read_bytes()
    app = EqiaApp(path, review=True, reviewer="Kim (QC)")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.show_page("relevance")
        assert await handled(pilot, lambda: bool(screen.query("#reason-race")))
        await settle(pilot)
        reason = screen.query_one("#reason-race").query_one(Input)
        assert reason.value == RACE_REASON and reason.disabled
    assert path.read_bytes() == before


# -- required by a check ---------------------------------------------------------------------------


def test_a_characteristic_not_relevant_needs_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "care.toml"
    shutil.copy(CARE, path)
    assert reason_rules(path) == {}
    a = store.load(path)
    a.characteristics["race"].reason = None
    a.characteristics["religion_belief"].reason = "N/A"
    a.characteristics["gender"].reason = None  # relevant: a reason is welcome, not required
    form = load_form("birmingham-ea")
    found = {f.key_path: f for f in run_checks(form, a) if f.rule == "EQ025"}
    assert set(found) == {
        ("characteristics", "race", "reason"),
        ("characteristics", "religion_belief", "reason"),
    }
    race = found[("characteristics", "race", "reason")]
    assert race.severity == "error" and race.slug == "relevance-reason-missing"
    assert race.message.startswith("Race is \u201cNot Relevant\u201d with no reason given")
    assert "\u201cReason\u201d" in race.message and "2.3 Relevance Test" in race.message
    assert "says nothing" in found[("characteristics", "religion_belief", "reason")].message
    silent = form.model_copy(update={"relevance": RelevanceTest(reasons=False)})
    assert [f for f in run_checks(silent, a) if f.rule == "EQ025"] == []  # a form that does not ask


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_the_shipped_forms_ask_for_reasons_and_their_examples_give_them(form_id: str) -> None:
    form = load_form(form_id)
    assert form.relevance.reasons and version_key(form.version) >= (1, 1, 0)
    assert form.wording("relevance_reason") and form.wording("relevance_reason_column")
    opened = open_assessment(EXAMPLES[form_id])
    assert opened.assessment.form_version == form.version
    not_relevant = [cid for cid, rec in opened.assessment.characteristics.items() if rec.relevant is False]
    assert not_relevant and all(opened.assessment.characteristics[cid].reason for cid in not_relevant)
    assert [f for f in run_checks(opened.form, opened.assessment) if f.rule == "EQ025"] == []


def test_eqia_check_lists_the_reasons_to_give(tmp_path: Path) -> None:
    path = tmp_path / "care.toml"
    text = CARE.read_text(encoding="utf-8").replace(f'reason = "{RACE_REASON}"\n', "")
    path.write_text(text, encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert "EQ025 error [characteristics.race.reason] Race is \u201cNot Relevant\u201d" in result.output


# -- printed in the report -------------------------------------------------------------------------


def test_every_export_prints_the_reason_in_the_relevance_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", CARE, "--format", "all", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    stem = next(out.glob("*.txt")).stem
    txt = (out / f"{stem}.txt").read_text(encoding="utf-8")
    assert "Protected Characteristics\tRelevant\tFull Assessment Required\tReason\n" in txt
    assert f"Race\tNot Relevant\tNo\t{RACE_REASON}\n" in txt
    assert "Age\tRelevant\tYes\t\n" in txt  # no reason given: an empty cell
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert re.search(r"\| Protected Characteristics \| Relevant \| Full Assessment Required \| Reason \|", md)
    assert f"| Race | Not Relevant | No | {RACE_REASON} |" in md
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert re.search(r'<th scope="col"[^>]*>Reason</th>', html)
    assert "whatever their ethnicity" in html
    document = docx.Document(str(out / f"{stem}.docx"))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Protected Characteristics")
    assert [c.text for c in grid.rows[0].cells] == [
        "Protected Characteristics",
        "Relevant",
        "Full Assessment Required",
        "Reason",
    ]
    race = next(r for r in grid.rows if r.cells[0].text == "Race")
    assert race.cells[3].text == RACE_REASON
    pdf = " ".join(page.extract_text() for page in PdfReader(out / f"{stem}.pdf").pages)
    squashed = re.sub(r"\s+", "", pdf)
    assert "ProtectedCharacteristicsRelevantFullAssessmentRequiredReason" in squashed
    assert re.sub(r"\s+", "", RACE_REASON) in squashed.replace("\u2019", "'")


def test_the_reason_column_is_all_that_changes_in_the_report() -> None:
    opened = open_assessment(CARE)
    form, a = opened.form, opened.assessment
    without = form.model_copy(update={"relevance": RelevanceTest(reasons=False)})
    old = render_text(build_report(without, a)).splitlines()
    new = render_text(build_report(form, a)).splitlines()
    assert len(old) == len(new)
    changed = [(o, n) for o, n in zip(old, new, strict=True) if o != n]
    assert len(changed) == 10  # the heading and the nine characteristics' rows
    assert all(n.startswith(o + "\t") for o, n in changed)


# -- older assessments: the forms' 1.1.0 step --------------------------------------------------------


@pytest.mark.parametrize("form_id", sorted(EXAMPLES))
def test_upgrade_moves_an_assessment_onto_the_form_that_asks_for_reasons(
    form_id: str, tmp_path: Path
) -> None:
    path = tmp_path / "old.toml"
    text = EXAMPLES[form_id].read_text(encoding="utf-8")
    text = re.sub(r'^form_version = ".*"$', 'form_version = "1.0.0"', text, flags=re.MULTILINE)
    text = re.sub(r'^reason = ".*"\n', "", text, flags=re.MULTILINE)  # as written before reasons were asked
    path.write_text(text, encoding="utf-8")
    before = open_assessment(path).assessment
    result = run("upgrade", path)
    assert result.exit_code == 0, result.output
    form = load_form(form_id)
    steps = len(form.migrations)
    assert f"{form_id} 1.0.0 -> {form.version} ({steps} form change(s))" in result.output
    assert "1.1.0   a reason is asked beside each relevance decision" in result.output
    after = open_assessment(path).assessment
    assert after.form_version == form.version
    assert after.model_dump(exclude={"form_version"}) == before.model_dump(exclude={"form_version"})
    not_relevant = {cid for cid, rec in after.characteristics.items() if rec.relevant is False}
    assert {key[1] for key in reason_rules(path)} == not_relevant  # each now asks for its reason


def test_a_characteristics_relevance_page_prints_its_reason(tmp_path: Path) -> None:
    path = ROOT / "assessments" / "EX-psed-home-support-recommissioning.toml"
    opened = open_assessment(path)
    reason = opened.assessment.characteristics["age"].reason
    assert reason
    text = render_text(build_report(opened.form, opened.assessment))
    page = text.split("3.1.1 Age: relevance")[1].split("3.1.2")[0]
    assert "Age\tRelevant" in page and f"Reason:\n\n{reason.strip()}" in page
