"""Before anything leaves the building: personal data in an assessment refuses `eqia publish` until it
is edited out or kept with who and why (`eqia keep`); officers' details become roles in public outputs;
the summary for the public is held to the form's readability targets and exports on its own."""

from __future__ import annotations

import json
from pathlib import Path

import tomlkit
from click.testing import CliRunner

from eqia.cli import main
from eqia.document.public import public_copy
from eqia.files.opening import open_assessment

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
CARE = ROOT / "assessments" / "EA002401-care-at-home-review.toml"
EMAIL = "jo.bloggs@wealdshire.gov.uk"
PHONE = "07700 900123"
COMMENT = "answers.hr_engaged.comment"


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def approved_with(tmp_path: Path, extra: str) -> Path:
    doc = tomlkit.parse(LIBRARY.read_text(encoding="utf-8"))
    comment = doc["answers"]["hr_engaged"]["comment"]
    doc["answers"]["hr_engaged"]["comment"] = str(comment) + extra
    path = tmp_path / "library.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    assert run("submit", path, "--by", "Hannah Okafor").exit_code == 0
    assert run("approve", path, "--by", "QC officer").exit_code == 0
    return path


def findings(path: Path, rule: str) -> list[dict]:
    data = json.loads(run("check", "--json", path).stdout)
    return [f for f in data["files"][0]["findings"] if f["rule"] == rule]


def test_publish_refuses_while_personal_data_is_in_an_answer(tmp_path: Path) -> None:
    path = approved_with(tmp_path, f" Ask {EMAIL} or ring {PHONE}.")
    before = path.read_bytes()
    result = run("publish", path, "--by", "Hannah Okafor")
    assert result.exit_code == 1
    message = result.stderr
    assert message.count("\n") == 1, "one paragraph"
    assert f"key `{COMMENT}`" in message and "line " in message
    assert f"an email address (\u201c{EMAIL}\u201d)" in message and "4 Human rights" in message
    assert "This is 1 of 2 such findings" in message
    assert path.read_bytes() == before, "nothing written"
    kinds = sorted(
        f["message"].split(" would be published")[0].rsplit(": ", 1)[1] for f in findings(path, "EQ028")
    )
    assert kinds == [f"a UK phone number (\u201c{PHONE}\u201d)", f"an email address (\u201c{EMAIL}\u201d)"]


def test_a_recorded_keep_lets_it_be_published(tmp_path: Path) -> None:
    path = approved_with(tmp_path, f" Ask {EMAIL}.")
    wrong = run("keep", path, COMMENT, "someone@else.org", "--why", "x", "--by", "H")
    assert wrong.exit_code == 2 and "is not personal data found in this answer" in wrong.stderr
    kept = run(
        "keep", path, COMMENT, EMAIL, "--why", "The review's published contact", "--by", "Hannah Okafor"
    )
    assert kept.exit_code == 0, kept.output
    data = tomlkit.parse(path.read_text(encoding="utf-8"))
    (entry,) = data["review"]["kept"]
    assert (entry["key"], entry["text"], entry["kind"]) == (COMMENT, EMAIL, "email")
    assert entry["by"] == "Hannah Okafor" and entry["why"] == "The review's published contact"
    assert findings(path, "EQ028") == [] and findings(path, "EQ019") == []  # keeping is not an edit
    published = run("publish", path, "--by", "Hannah Okafor")
    assert published.exit_code == 0, published.output
    assert 'status = "published"' in path.read_text(encoding="utf-8")


def test_an_officers_name_in_free_text_but_not_a_team(tmp_path: Path) -> None:
    doc = tomlkit.parse(LIBRARY.read_text(encoding="utf-8"))
    doc["answers"]["hr_engaged"]["comment"] = "Hannah Okafor checked this with Legal Services."
    path = tmp_path / "library.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    (finding,) = findings(path, "EQ028")
    assert "the name of an officer (\u201cHannah Okafor\u201d)" in finding["message"]
    # the Birmingham example's task group is teams, not people: nothing to find
    assert findings(CARE, "EQ028") == []


def test_public_outputs_show_officers_as_roles() -> None:
    opened = open_assessment(ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml")
    assert "@birmingham.gov.uk" in str(opened.assessment.header["task_group_manager"])
    shown = public_copy(opened.form, opened.assessment).header
    assert shown["task_group_manager"] == "Task Group Manager"
    assert shown["senior_officer"] == "Senior Officer"
    assert shown["ea_name"] == opened.assessment.header["ea_name"]


def test_a_hard_summary_is_measured_against_the_forms_targets(tmp_path: Path) -> None:
    assert findings(LIBRARY, "EQ029") == []
    doc = tomlkit.parse(LIBRARY.read_text(encoding="utf-8"))
    doc["header"]["public_summary"] = (
        "Notwithstanding considerable budgetary constraints, the authority's reconfiguration of library "
        "provision necessitates reductions in staffed opening hours, accompanied by the introduction of "
        "technologically mediated self-service accessibility arrangements at designated branches."
    )
    path = tmp_path / "library.toml"
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    (finding,) = findings(path, "EQ029")
    assert finding["key"] == "header.public_summary" and finding["severity"] == "warning"
    message = finding["message"]
    assert message.startswith("Summary for the public: it reads at a reading age of about 34 ")
    assert "(target 9 or under;" in message and "its longest sentence has 29 words (target 15" in message


def test_the_summary_exports_on_its_own(tmp_path: Path) -> None:
    result = run("export", LIBRARY, "--format", "summary-html,summary-docx", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("*.summary.html")).read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html and "<h1" in html and "Library opening hours" in html
    assert "<h2" in html and "Summary for the public" in html and "None of them will close." in html
    assert "Full assessment" not in html
    from docx import Document

    words = "\n".join(p.text for p in Document(str(next(tmp_path.glob("*.summary.docx")))).paragraphs)
    assert "None of them will close." in words and "Summary for the public" in words


def test_public_outputs_show_an_officer_owning_an_action_by_job_title() -> None:
    opened = open_assessment(ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml")
    owners = [item.owner for item in opened.assessment.actions]
    assert "Rachel Dunn, Senior Commissioning Manager, Community Services" in owners
    shown = public_copy(opened.form, opened.assessment)
    assert shown.header["lead_officer"] == "Assessment lead"
    assert "Senior Commissioning Manager, Community Services" in [item.owner for item in shown.actions]
    assert not any("Rachel Dunn" in item.owner for item in shown.actions)
