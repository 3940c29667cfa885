"""A sign-off not yet given is printed as the form words it ("Not signed"), never left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from eqia.document.model import Answer
from eqia.files.forms import load_form
from eqia.files.store import read
from eqia.report.render_html import render_html
from eqia.report.render_md import render_md
from eqia.report.render_text import render_text
from eqia.report.tree import build_report

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "assessments" / "EX-psed-library-opening-hours.toml"
PHLEBOTOMY = ROOT / "assessments" / "EX-nhs-community-phlebotomy.toml"


def test_an_unsigned_psed_sign_off_says_so_in_every_text_format() -> None:
    form = load_form("psed-england")
    assessment = read(LIBRARY).assessment
    assert "due_regard_confirmed" not in assessment.answers and "sign_off_date" not in assessment.answers
    report = build_report(form, assessment)
    text = render_text(report)
    assert "in reaching the decision.\tNot confirmed" in text
    assert "Date signed off\tNot signed" in text
    assert "Not signed" in render_md(report) and "Not confirmed" in render_md(report)
    assert "Not signed" in render_html(report)


def test_a_signed_sign_off_prints_what_was_given() -> None:
    form = load_form("psed-england")
    assessment = read(LIBRARY).assessment
    assessment.answers["due_regard_confirmed"] = Answer(answer="Yes")
    assessment.answers["sign_off_date"] = Answer(answer=dt.date(2027, 2, 3))
    text = render_text(build_report(form, assessment))
    assert "Not signed" not in text and "Not confirmed" not in text
    assert "Date signed off\t03/02/2027" in text


def test_the_words_are_the_forms_own() -> None:
    form = load_form("nhs-ehia")
    text = render_text(build_report(form, read(PHLEBOTOMY).assessment))
    assert "Date approved\tNot approved" in text
