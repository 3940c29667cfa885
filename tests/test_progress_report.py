"""The progress report as a council publishes it: labels not ids, "Action N: short title", folders.

Made with `eqia progress-report` and read back from what it prints or writes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from eqia.cli import main
from eqia.report.progress import short_title

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "assessments"
CARE_AT_HOME = SHIPPED / "EA002401-care-at-home-review.toml"
PHLEBOTOMY = SHIPPED / "EX-nhs-community-phlebotomy.toml"
LIBRARY = SHIPPED / "EX-psed-library-opening-hours.toml"


def run(*args: str):
    return CliRunner().invoke(main, ["progress-report", *args])


def test_a_folder_is_accepted_like_eqia_export(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(CARE_AT_HOME, folder / "care.toml")
    shutil.copy(LIBRARY, folder / "nested" / "library.toml")
    result = run(str(folder))
    assert result.exit_code == 0, result.output
    assert "EA002401: Care at Home Review" in result.stdout
    assert "EQIA-2026-041" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = run(str(empty))
    assert refused.exit_code == 2 and "no assessment files" in refused.stderr


def test_each_assessment_prints_its_own_forms_labels_never_ids() -> None:
    # The Birmingham form first: the others' characteristics are not in it.
    result = run(str(CARE_AT_HOME), str(PHLEBOTOMY), str(LIBRARY))
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "most_deprived" not in text and "inclusion_health" not in text and "rural, Age" not in text
    assert "People living in the most deprived areas, Inclusion health groups" in text
    assert "Rural communities, Age, Disability" in text
    whole = run(str(SHIPPED)).stdout  # the whole folder, the Birmingham ones first
    assert whole.startswith(f"Progress Update\n\n{len(list(SHIPPED.glob('*.toml')))} assessments")
    assert "most_deprived" not in whole and "Rural communities, Age, Disability" in whole


def _action_headings(text: str) -> list[str]:
    return re.findall(r"^Action \d+.*$", text, re.M)


def test_each_action_is_headed_action_n_and_a_short_title() -> None:
    text = run(str(CARE_AT_HOME)).stdout
    headings = _action_headings(text)
    assert headings[0] == "Action 1: Support the Communication Team to re-launch SID as required"
    assert headings[1] == "Action 2: Review specification for 2024-2029 Care at Home contract to…"
    assert len(headings) == 5 and len(set(headings)) == 5  # two pairs share an issue; no heading repeats
    assert all(len(h) <= len("Action 10: ") + 61 for h in headings)
    # The whole issue is still printed, once per action, under the form's label for it.
    issue = (
        "Stockton-on-Tees Borough Council (SBC) ensures all registered Care at Home providers across "
        "the Borough are visible within the Stockton Information Directory"
    )
    assert text.count("Issue or adverse impact\t" + issue) == 2


def test_pdf_bookmarks_are_the_short_headings(tmp_path: Path) -> None:
    out = tmp_path / "progress.pdf"
    assert run(str(CARE_AT_HOME), "-f", "pdf", "-o", str(out)).exit_code == 0
    reader = PdfReader(out)

    def titles(items) -> list[str]:
        found = []
        for item in items:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    bookmarks = [t for t in titles(reader.outline) if t.startswith("Action")]
    assert bookmarks == _action_headings(run(str(CARE_AT_HOME)).stdout)


def test_short_title() -> None:
    assert short_title("Translate the leaflet.") == "Translate the leaflet"
    assert short_title("Leaflets first. Then the rest of it.") == "Leaflets first"
    long = "Include a regular item (i.e. news, jobs) in Stockton News about the Care at Home sector and more"
    assert short_title(long) == "Include a regular item (i.e. news, jobs) in Stockton News…"
    assert short_title("x" * 80) == "x" * 60 + "…"
    assert short_title("  spread\nover\tlines ") == "spread over lines"
    assert short_title("") == ""


def test_the_labels_are_the_forms_own_wording_never_the_birmingham_template() -> None:
    """Each form's own action labels head the rows; Birmingham's form keeps its published wording."""
    library = run(str(LIBRARY)).stdout
    assert "\nLead officer\tTom Reyes" in library
    assert "\nHow we will know it has worked\tAudit completed" in library
    assert "Responsibility" not in library and "Agreed Action" not in library
    care = run(str(CARE_AT_HOME)).stdout
    assert care.startswith("Progress Update\n") and "\nResponsibility\t" in care
    assert "\nAgreed Success Measure\t" in care and "Assessment of Progress Gradings" in care


def test_a_form_sets_every_word_of_the_progress_report() -> None:
    from eqia.document.wording import PROGRESS_LABELS
    from eqia.files.forms import load_form
    from eqia.files.store import read
    from eqia.report.progress import build_progress_report
    from eqia.report.render_text import render_text

    form = load_form("psed-england")
    welsh = {f"progress_{key}": f"W-{key}" for key in PROGRESS_LABELS}
    welsh["progress_reported_on"] = "W-on {date}."
    welsh["progress_earlier"] = "W-earlier {action}:"
    welsh["action_item"] = "Cam"
    form = form.model_copy(update={"text": {**form.text, **welsh}})
    text = render_text(build_progress_report(form, [read(LIBRARY).assessment]))
    assert text.startswith("W-title\n")
    assert "\nCam 1: " in text and "Action 1" not in text
    for key in ("owner", "target_date", "action", "success_measure", "evidence", "grade", "grading_key"):
        assert f"W-{key}" in text, key
    for english in ("Lead officer", "Evidence of progress", "Not graded yet", "Grade\tMeaning"):
        assert english not in text, english
