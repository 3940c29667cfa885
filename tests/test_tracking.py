"""Action-plan tracking: latest grades, actions across a folder, what falls due, and the progress report.

The progress report is checked against a real council progress update: recommendations
1-3 of Stockton-on-Tees Borough Council's scrutiny review of Care at Home (action plan
agreed February 2023, progress at March 2024), one action per agreed action.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pytest

from eqia.document.actions import GRADES, is_due, is_overdue, latest_grade
from eqia.document.dates import show as uk_date
from eqia.document.form import FormSpec
from eqia.document.model import ActionItem, Assessment, ProgressUpdate
from eqia.files.store import dumps, load
from eqia.report.progress import build_progress_report, short_title
from eqia.report.render_md import escape
from eqia.report.tree import FieldTable, Heading, Table
from eqia.usecases.export import renderer
from eqia.usecases.tracking import (
    actions_csv,
    collect_actions,
    due,
    due_text,
    filter_actions,
)

ROOT = Path(__file__).resolve().parent.parent
CARE_AT_HOME = ROOT / "assessments" / "EA002401-care-at-home-review.toml"
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

TODAY = dt.date(2027, 1, 2)
MARCH_2024 = dt.date(2024, 3, 31)

# -- seed 001, recommendations 1-3: one entry per agreed action (column), in the seed's words --------

REC1 = (
    "Stockton-on-Tees Borough Council (SBC) ensures all registered Care at Home providers across the "
    "Borough are visible within the Stockton Information Directory (indicating if they are included in "
    "the SBC Framework Agreement), and that this list is accessible via the Council website."
)
REC2 = (
    "A regular feature is included within Stockton News regarding the local Care at Home sector "
    "(i.e. good news story, staffing opportunities, etc.)."
)
REC3 = (
    "SBC / Care at Home providers consider existing, and potentially new, mechanisms to engage with "
    "local colleges / schools to promote opportunities to work in the care sector."
)
# (recommendation, responsibility, date, agreed action, success measure, progress, grade, impact)
SEED = [
    (
        REC1,
        "Catherine Buller",
        dt.date(2023, 7, 31),
        "Support the Communication Team to re-launch SID as required.",
        "Provider information is current and valid on SID post re-launch.",
        "Discussions completed with the SID team around support for the launch and it has been agreed "
        "that a soft launch is being undertaken to test the functionality of the site. Support to be "
        "provided via Transformation Team when the site is ready for a more proactive promotion. New SID "
        "went live week commencing 12.2.24 Framework information requires updating following award of "
        "the new tender in October 2024.",
        1,
        "N/A.",
    ),
    (
        REC1,
        "Karen Shaw",
        dt.date(2023, 12, 31),
        "Review specification for 2024-2029 Care at Home contract to ensure there are relevant obligations "
        "for keeping SID (and other relevant websites) current and accurate.",
        "Revised specification with appropriate clauses included.",
        "Completed. Specification for the Care at Home 2024-29 contract includes an obligation for "
        "providers to include their information on SID and to ensure it is regularly reviewed and updated.",
        1,
        "N/A",
    ),
    (
        REC2,
        "Catherine Buller",
        dt.date(2023, 3, 31),
        "Establish regular item at the Care at Home and Leadership and Peer Support Network to identify "
        "and develop good new stories across the network.",
        "Regular articles / good news stories in SID.",
        "Care at Home and Care Homes added to the comms plan in March 2023.\n\n"
        "2 Care at Home stories have been showcased in Stockton News.\n\n"
        "A regional campaign funded by ADASS and working alongside the Department of Health and Social "
        "care was undertaken in 2023 and showcased case studies from Providers in Stockton. In "
        "conjunction with the ICB and regional NHS and Social Care colleagues as part of the Widening "
        "Participation programme has been running since November 2023 which promotes and show cases the "
        "sector.",
        2,
        "Providers have been asked to feedback on the impact of media and recruitment campaigns however "
        "feedback has been minimal. 12 Providers uploaded vacancies across the sector to the DOHSC website "
        "through the course of the campaign.",
    ),
    (
        REC2,
        "Catherine Buller",
        dt.date(2023, 3, 31),
        "Quarterly catch-up with Communications to identify potential stories and ensure these are agreed, "
        "developed and promoted through Stockton News as per procedure.",
        "Communications reps to attend Strategy Team meeting on quarterly basis.",
        "Strategy team meetings scheduled in the diary for 24/25 and comms colleagues are invited to "
        "attend these on a quarterly basis.",
        1,
        "",
    ),
    (
        REC3,
        "Catherine Buller / Julie Nisbet",
        dt.date(2023, 12, 31),
        "Include partnership working with local Schools / Colleges as part of the Recruitment and "
        "Retention Programme for Care homes / Care at Home. Opportunities available via Shout Out Portal.",
        "Implementation of Recruitment and Retention Programme as per plan. Numbers of School and College "
        "leavers who are supported into jobs with local Care at Home Providers.",
        "The Employment and Training Hub have attended 3 events at schools and colleges via the Shout out "
        "Portal since March 2023.\n\n"
        "There have been 5 recruitment events held at the Employment and training Hub which are attended "
        "by 400-700 members of the Public. At each event Adult Social Care services have an allocated "
        "space \u201ccare corner\u201d to promote roles within the Care sector. These events are done in "
        "conjunction with Stockton Riverside college who bring learners from their Health and Social Care "
        "courses to meet with Providers and access opportunities to work within the sector.\n\n"
        "Two Care at Home providers support the colleges Health and social care courses (Level 1, 2 . T "
        "Levels and access to H&SC) by providing speakers who inform learners about the sector and promote "
        "opportunities to work for their organisations. The Transformation Team continues to promote the "
        "development of I Care ambassadors and are working with Skills for Care around their development "
        "and promotion of future engagement opportunities.",
        1,
        "Conversion of learners into employees in the sector continues to remain low. Evaluation of the "
        "impact on children of school age cannot be assessed at this time.",
    ),
]


def seed_actions() -> list[ActionItem]:
    return [
        ActionItem(
            issue=rec,
            characteristics=["age"],
            action=action,
            owner=owner,
            target_date=date,
            success_measure=measure,
            updates=[
                ProgressUpdate(
                    date=MARCH_2024, evidence_of_progress=progress, grade=grade, evidence_of_impact=impact
                )
            ],
        )
        for rec, owner, date, action, measure, progress, grade, impact in SEED
    ]


def _in_order(text: str, parts: list[str], start: int = 0) -> int:
    """Assert each part occurs in text after the one before; return where the last one ends."""
    pos = start
    for part in parts:
        found = text.find(part, pos)
        assert found >= 0, f"{part[:60]!r} missing after position {pos}"
        pos = found + len(part)
    return pos


def _seed_fields(fmt: str, issue_label: str) -> list[list[str]]:
    """Per action, its heading, then each field label and value in the seed's order, as fmt prints them."""

    def value(text: str) -> str:
        # Markdown table cells escape user text and hold line breaks as <br>.
        return "<br>".join(escape(line) for line in text.split("\n")) if fmt == "md" else text

    out = []
    for n, (rec, owner, date, action, measure, progress, grade, impact) in enumerate(SEED, start=1):
        out.append(
            [
                f"Action {n}: {value(short_title(action))}",
                issue_label,
                value(rec),
                "Responsibility",
                value(owner),
                "Date",
                uk_date(date, "%d/%m/%y"),
                "Agreed Action",
                value(action),
                "Agreed Success Measure",
                value(measure),
                "Evidence of Progress (31/03/24)",
                value(progress),
                "Assessment of Progress (31/03/24)",
                f"{grade} ({GRADES[grade]})",
                "Evidence of Impact (31/03/24)",
                *([value(impact)] if impact else []),
            ]
        )
    return out


# -- the progress report ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_progress_report_prints_seed_fields_in_order(form: FormSpec, fmt: str) -> None:
    a = load(CARE_AT_HOME)
    a.actions = seed_actions()
    text = renderer(fmt)(build_progress_report(form, [a]))
    assert isinstance(text, str)
    assert text.startswith("Progress Update" if fmt == "txt" else "# Progress Update")
    assert "Care at Home Review (EA002401)" in text
    pos = 0
    for fields in _seed_fields(fmt, form.action_label("issue")):
        pos = _in_order(text, fields, pos)
    # The grading key comes after the last action, and ends the report.
    key = ["Assessment of Progress Gradings", "Grade", "Meaning"]
    if fmt == "txt":
        key += [f"{g}\t{meaning}" for g, meaning in GRADES.items()]
    else:
        key += [f"| {g} | {meaning} |" for g, meaning in GRADES.items()]
    _in_order(text, key, pos)
    assert text.rstrip().endswith("Not Achieved" if fmt == "txt" else "| 4 | Not Achieved |")


def test_shipped_example_is_the_seed_action_plan(form: FormSpec) -> None:
    a = load(CARE_AT_HOME)
    assert a.form == form.id and a.form_version == form.version
    got = [
        (
            i.issue,
            i.owner,
            i.target_date,
            i.action,
            i.success_measure,
            i.updates[0].evidence_of_progress,
            i.updates[0].grade,
            i.updates[0].evidence_of_impact,
        )
        for i in a.actions
    ]
    assert got == SEED
    assert all(len(i.updates) == 1 and i.updates[0].date == MARCH_2024 for i in a.actions)
    assert isinstance(a.value("review_date"), dt.date) and a.value("review_date") > dt.date(2026, 12, 31)


def test_shipped_example_checks_clean(form: FormSpec) -> None:
    from eqia.quality.checks import run_checks

    findings = run_checks(form, load(CARE_AT_HOME), dt.date(2026, 11, 1))
    assert [f for f in findings if f.severity == "error"] == []


def test_progress_report_earlier_updates_missing_updates_and_overdue(form: FormSpec) -> None:
    a = load(CARE_AT_HOME)
    a.actions = [
        ActionItem(
            issue="Leaflets in community languages",
            action="Translate the leaflet",
            owner="A. Officer",
            target_date=dt.date(2026, 12, 1),
            updates=[
                # Listed out of date order: the newest is the latest, whatever the order.
                ProgressUpdate(date=dt.date(2026, 9, 30), evidence_of_progress="Quotes received.", grade=3),
                ProgressUpdate(date=dt.date(2026, 6, 30), evidence_of_progress="Supplier sought.", grade=2),
                ProgressUpdate(date=dt.date(2026, 10, 31), evidence_of_progress="Awaiting budget."),
            ],
        ),
        ActionItem(action="Train reception staff", owner="B. Officer", closed=True),
    ]
    report = build_progress_report(form, [a], today=dt.date(2026, 12, 2))
    tables = [b for b in report.blocks if isinstance(b, FieldTable)]
    first = {f.label: f.value for f in tables[1].rows}
    assert first["Date"] == "01/12/26 (overdue)"
    assert first["Evidence of Progress (31/10/26)"] == "Awaiting budget."
    assert first["Assessment of Progress (30/09/26)"] == "3 (Slipped)"  # the newest update with a grade
    earlier = next(b for b in report.blocks if isinstance(b, Table) and b.columns[0] == "Date")
    assert [r[:3] for r in earlier.rows] == [
        ("30/06/26", "2 (On-Track)", "Supplier sought."),
        ("30/09/26", "3 (Slipped)", "Quotes received."),
    ]
    second = {f.label: f.value for f in tables[2].rows}
    assert second["Evidence of Progress"].startswith("No progress update has been recorded")
    assert second["Assessment of Progress"] == "Not graded yet"
    assert second["Date"] == "No target date" and second["Status"] == "Closed"
    headings = [h.text for h in report.blocks if isinstance(h, Heading)]
    assert headings[:3] == [
        "Progress Update",
        "Action 1: Translate the leaflet",
        "Action 2: Train reception staff",
    ]
    assert headings[-1] == "Assessment of Progress Gradings"
    text = renderer("txt")(report)
    assert isinstance(text, str) and "Reported on 02/12/26." in text
    assert "2026-" not in text  # every date in UK form


def test_progress_report_over_several_assessments(form: FormSpec) -> None:
    a, b = load(CARE_AT_HOME), load(CARE_AT_HOME)
    b.header["reference"], b.header["ea_name"], b.actions = "EA000002", "Nothing to do", []
    report = build_progress_report(form, [a, b])
    levels = [(h.level, h.text) for h in report.blocks if isinstance(h, Heading)]
    assert (2, "EA002401: Care at Home Review") in levels and (2, "EA000002: Nothing to do") in levels
    assert (3, f"Action 1: {short_title(a.actions[0].action)}") in levels
    assert report.reference == "" and report.subtitle == "2 assessments"
    assert form.wording("no_actions") in renderer("txt")(report)  # type: ignore[operator]


# -- grades and dates ---------------------------------------------------------------------


def test_latest_grade_is_the_newest_graded_update() -> None:
    item = ActionItem(action="x")
    assert latest_grade(item) is None
    item.updates = [
        ProgressUpdate(date=dt.date(2024, 3, 31), grade=2),
        ProgressUpdate(date=dt.date(2023, 9, 30), grade=3),
        ProgressUpdate(date=dt.date(2024, 6, 30)),  # newest, but no grade
    ]
    assert latest_grade(item) == 2
    item.updates.append(ProgressUpdate(date=dt.date(2024, 3, 31), grade=1))  # same day, listed later
    assert latest_grade(item) == 1


def test_dates_near_today() -> None:
    def item(days: int, grade: int | None = None, closed: bool = False) -> ActionItem:
        updates = [ProgressUpdate(date=TODAY, grade=grade)] if grade else []
        return ActionItem(target_date=TODAY + dt.timedelta(days=days), closed=closed, updates=updates)

    assert is_overdue(item(-1), TODAY) and is_due(item(-1), TODAY)
    assert not is_overdue(item(0), TODAY) and is_due(item(0), TODAY)  # today is due, not overdue
    assert not is_due(item(1), TODAY) and is_due(item(1), TODAY, 1)
    assert not is_overdue(item(-1, grade=1), TODAY) and not is_due(item(-1, grade=1), TODAY)
    assert is_overdue(item(-1, grade=3), TODAY)
    assert not is_overdue(item(-1, closed=True), TODAY)
    assert not is_overdue(ActionItem(), TODAY) and not is_due(ActionItem(), TODAY, 1000)
    assert uk_date(dt.date(2027, 1, 2)) == "02/01/2027" and uk_date(None) == ""


# -- a folder of assessments ----------------------------------------------------------------


def _action(days: int, owner: str, grade: int | None = None, closed: bool = False) -> ActionItem:
    updates = [ProgressUpdate(date=TODAY - dt.timedelta(days=10), grade=grade)] if grade else []
    return ActionItem(
        issue=f"Issue due in {days} days",
        characteristics=["age", "disability"],
        action=f"Action due in {days} days",
        owner=owner,
        target_date=TODAY + dt.timedelta(days=days),
        closed=closed,
        updates=updates,
    )


@pytest.fixture
def folder(tmp_path: Path, form: FormSpec) -> Path:
    """Three generated assessments (review dates 01/01/2027, 02/01/2027, 03/01/2027) and a broken file."""
    from generate import full_assessment

    plans = [
        [_action(-1, "Jane Smith", grade=3), _action(-1, "Raj Patel", grade=1), _action(0, "jane smith")],
        [_action(5, "Ann Lee", grade=2), _action(40, "Jane Smithson", grade=3)],
        [_action(-30, "Raj Patel", closed=True), _action(3, "Raj Patel", grade=1)],
    ]
    target = tmp_path / "assessments"
    target.mkdir()
    for i, plan in enumerate(plans):
        a: Assessment = full_assessment(form, i, words=5)
        a.actions = plan
        (target / f"generated-{i}.toml").write_text(dumps(a, form), encoding="utf-8")
    (target / "broken.toml").write_text("schema_version = 1\nform = [\n", encoding="utf-8")
    (target / "notes.txt").write_text("not an assessment", encoding="utf-8")
    return target


def test_collect_actions_reads_every_file_and_reports_broken_ones(folder: Path) -> None:
    rows, errors = collect_actions(folder, TODAY)
    assert len(rows) == 7
    assert [e.file for e in errors] == [str(folder / "broken.toml")]
    assert "broken.toml" in errors[0].message and "line" in errors[0].message
    first = rows[0]
    assert (first.reference, first.name, first.index) == ("EA900000", "Generated service review 0", 1)
    assert first.characteristics == ("Age", "Disability")
    assert (first.owner, first.grade, first.overdue, first.closed) == ("Jane Smith", 3, True, False)
    assert [r.index for r in rows[:3]] == [1, 2, 3]
    data = json.loads(json.dumps([r.as_json() for r in rows]))
    assert data[0]["target_date"] == "2027-01-01" and data[0]["target_date_uk"] == "01/01/27"
    assert data[0]["grade_text"] == "3 (Slipped)"


def test_filter_actions(folder: Path) -> None:
    rows, _ = collect_actions(folder, TODAY)
    overdue = filter_actions(rows, overdue=True)
    # Yesterday and graded 3 is overdue; yesterday but achieved (1), today, and closed are not.
    assert [(r.owner, r.target_date) for r in overdue] == [("Jane Smith", dt.date(2027, 1, 1))]
    jane = filter_actions(rows, owner="JANE smith")
    assert [r.owner for r in jane] == ["Jane Smith", "jane smith", "Jane Smithson"]
    assert [r.owner for r in filter_actions(rows, grade=3)] == ["Jane Smith", "Jane Smithson"]
    assert [r.owner for r in filter_actions(rows, owner="raj", grade=1)] == ["Raj Patel", "Raj Patel"]
    assert filter_actions(rows, owner="jane", overdue=True, grade=1) == []
    assert filter_actions(rows) == rows
    with pytest.raises(ValueError):
        filter_actions(rows, grade=5)
    text = actions_csv(rows)
    assert "2027-01-01" in text and "01/01/2027" not in text  # CSV dates are ISO 8601


def test_due_today_and_within_days(folder: Path) -> None:
    today = due(folder, TODAY, 0)
    assert [(e["reference"], e["overdue"], e["days"]) for e in today["assessments"]] == [
        ("EA900000", True, -1),  # review date yesterday: overdue
        ("EA900001", False, 0),  # review date today: due, not overdue
    ]
    assert [(e["owner"], e["overdue"], e["days"]) for e in today["actions"]] == [
        ("Jane Smith", True, -1),
        ("jane smith", False, 0),
    ]
    assert today["any_overdue"] is True
    assert [e["file"] for e in today["errors"]] == [str(folder / "broken.toml")]

    week = due(folder, TODAY, 7)
    assert [e["reference"] for e in week["assessments"]] == ["EA900000", "EA900001", "EA900002"]
    # In 5 days (graded 2) is due within a week; in 3 days but achieved, and in 40 days, are not.
    assert [e["owner"] for e in week["actions"]] == ["Jane Smith", "jane smith", "Ann Lee"]
    assert [e["owner"] for e in due(folder, TODAY, 40)["actions"]][-1] == "Jane Smithson"

    text = due_text(week)
    assert "today is 02/01/2027" in text and "review date 01/01/27, overdue by 1 day" in text
    assert "review date 02/01/27, due today" in text and "target date 07/01/27, due in 5 days" in text
    assert "latest grade 2 (On-Track)" in text and "broken.toml" in text
    assert "2027-01" not in text
    with pytest.raises(ValueError):
        due(folder, TODAY, -1)


def test_due_with_nothing_overdue(tmp_path: Path, form: FormSpec) -> None:
    shutil.copy(CARE_AT_HOME, tmp_path / CARE_AT_HOME.name)
    # Before the action plan's first target date, nothing is due; after it, the On-Track action is.
    assert due(tmp_path, dt.date(2023, 1, 1), 30)["any_overdue"] is False
    later = due(tmp_path, dt.date(2024, 4, 1), 0)
    assert [(e["index"], e["grade"], e["overdue"]) for e in later["actions"]] == [(3, 2, True)]
    rows, errors = collect_actions(tmp_path, dt.date(2024, 4, 1))
    assert errors == [] and [r.index for r in filter_actions(rows, overdue=True)] == [3]
