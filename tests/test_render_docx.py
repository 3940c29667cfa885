"""Word renderer: EA002326 read back with python-docx (headings, tables, answers, footer); literal text."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from eqia.files import store
from eqia.files.opening import form_for
from eqia.report.render_docx import render_docx
from eqia.report.tree import (
    ActionRow,
    Field,
    FieldTable,
    Heading,
    Paragraph,
    QuestionAnswer,
    Report,
    Table,
    build_report,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"

HOSTILE_LINES = [
    "<script>alert(1)</script>",
    "</td>",
    "| pipes |",
    "# Heading",
    "{{ x }}",
    "#set text(red)",
    "$x$",
    "=cmd|' /C calc'!A0",
    "&amp; &lt;b&gt; ]]> <![CDATA[ x",
]
CONTROL = "bell\x07 nul\x00 esc\x1b[0m del\x7f vt\x0bff\x0cend"
HOSTILE = "\n".join(HOSTILE_LINES) + "\n\n" + CONTROL


def _open(data: bytes, tmp_path: Path):
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    return docx.Document(str(path))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _find_table(document, first_cell: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_cell)


@pytest.fixture(scope="module")
def example():
    f = store.read(EXAMPLE)
    form = form_for(f.assessment)[0]
    return f, form


@pytest.fixture(scope="module")
def rendered(example, tmp_path_factory):
    f, form = example
    data = render_docx(build_report(form, f.assessment))
    return data, _open(data, tmp_path_factory.mktemp("docx"))


def test_headings_use_word_heading_styles(rendered):
    _, document = rendered
    found = {(p.style.name, p.text) for p in document.paragraphs}
    assert ("Title", "Equality Analysis") in found
    for expected in [
        ("Heading 1", "1 Activity Type"),
        ("Heading 2", "2.3 Relevance Test"),
        ("Heading 2", "3.1 Age - Assessment Questions"),
        ("Heading 3", "3.1.2 Age - Impact"),
        ("Heading 3", "3.5.4 Race - Additional Work"),
        ("Heading 1", "5 Action Plan"),
    ]:
        assert expected in found


def test_header_block_is_a_two_column_table_with_bold_shaded_labels(rendered):
    _, document = rendered
    table = _find_table(document, "EA Name")
    assert table.style.name == "Table Grid"
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["EA Name"] == "Adult Social Care Commissioning Strategy"
    assert rows["Reference Number"] == "EA002326"
    label = table.rows[0].cells[0]
    assert label.paragraphs[0].runs[0].bold
    assert label._tc.tcPr.find(qn("w:shd")) is not None
    assert not table.rows[0].cells[1].paragraphs[0].runs[0].bold


def test_relevance_table_has_a_repeating_bold_header_row_and_all_characteristics(rendered, example):
    _, form = example
    _, document = rendered
    table = _find_table(document, "Protected Characteristics")
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "Protected Characteristics",
        "Relevant",
        "Full Assessment Required",
        "Reason",
    ]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(c.paragraphs[0].runs[0].bold for c in header.cells)
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    labels = [row.cells[0].text for row in table.rows[1:]]
    assert labels == [c.table_label for c in form.characteristics]
    assert len(labels) == 9
    assert [c.text for c in table.rows[1].cells] == ["Age", "Relevant", "Yes", ""]


def test_answers_and_comments_are_present(rendered):
    _, document = rendered
    paragraphs = [p.text for p in document.paragraphs]
    text = _all_text(document)
    # A long answer: the question in the Question style, then the answer split at its blank lines.
    question = "Describe how the Policy meets the needs of Individuals of different ages?"
    at = paragraphs.index(question)
    assert document.paragraphs[at].style.name == "Question"
    assert paragraphs[at + 1] == (
        "There have previously been different contracting arrangements for citizens of different ages"
        " - 18-64 year, children with a disability and 65+."
    )
    assert paragraphs[at + 2].startswith("The proposal is for the framework arrangements")
    assert "There are no relevant issues, so no action plans are currently required." in paragraphs
    # Short answers sit beside their question in a table row.
    row = next(
        r.cells
        for t in document.tables
        for r in t.rows
        if r.cells[0].text == "Will the policy have an impact on employees?"
    )
    assert row[1].text == "Yes"
    assert "Comment:" in paragraphs
    assert "Skills for Care have estimated that there are over 25,000 adult social care jobs" in text


def test_footer_has_page_fields_and_reference(rendered):
    _, document = rendered
    footer = document.sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer
    assert 'w:instr=" NUMPAGES "' in footer
    assert "EA002326" in footer


def test_properties_language_and_determinism(rendered, example):
    data, document = rendered
    assert document.core_properties.title == "Adult Social Care Commissioning Strategy"
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang.get(qn("w:val")) == "en-GB"
    f, form = example
    assert render_docx(build_report(form, f.assessment)) == data


def test_hostile_text_comes_out_literally(example, tmp_path):
    f, form = example
    a = f.assessment.model_copy(deep=True)
    a.characteristics["age"].answers["meets_needs"].answer = HOSTILE
    a.characteristics["age"].answers["meets_needs"].comment = HOSTILE
    a.header["ea_name"] = HOSTILE
    document = _open(render_docx(build_report(form, a)), tmp_path)
    text = _all_text(document)
    for line in HOSTILE_LINES:
        assert line in text
    # XML-invalid control characters become U+FFFD; vertical tab and form feed become line breaks.
    assert "bell\ufffd nul\ufffd esc\ufffd[0m del\x7f vt\nff\nend" in text
    paragraphs = [p.text for p in document.paragraphs]
    assert "\n".join(HOSTILE_LINES) in paragraphs  # one paragraph, single newlines as line breaks
    assert not any(p.style.name.startswith("Heading") and "# Heading" in p.text for p in document.paragraphs)
    header = _find_table(document, "EA Name")
    assert header.rows[0].cells[1].paragraphs[0].text == "\n".join(HOSTILE_LINES)
    assert document.core_properties.title.startswith("<script>alert(1)</script> </td>")


def _report(*blocks) -> Report:
    return Report("T", "", "en-GB", "EA1", "", list(blocks))


def test_layout_of_blocks(tmp_path):
    report = _report(
        Heading(1, "", "T"),
        Heading(5, "1.1.1.1", "Deep"),
        Heading(12, "9", "Deeper than Word goes"),
        Paragraph("one\n\n\n  \ntwo\nthree\tfour\r\nfive"),
        QuestionAnswer("Short one?", "Yes", short=True),
        QuestionAnswer("Short two?", "No", short=True),
        QuestionAnswer("Short three?", "Yes", "Because.", short=True, comment_label="Note:"),
        QuestionAnswer("Long?", "First.\n\nSecond."),
        QuestionAnswer("", "", "Only a comment."),
        FieldTable(()),
        FieldTable((Field("A", "1"),)),
        ActionRow((Field("Action", "Do it"), Field("Owner", ""))),
        Table(("X", "Y"), (("only x",), ("a", "b", "extra"))),
    )
    document = _open(render_docx(report), tmp_path)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 4", "1.1.1.1 Deep") in paragraphs
    assert ("Heading 9", "9 Deeper than Word goes") in paragraphs
    assert ("Normal", "one") in paragraphs
    assert ("Normal", "two\nthree\tfour\nfive") in paragraphs
    # Consecutive short answers share one table; a comment ends it.
    qa = document.tables[0]
    assert [[c.text for c in r.cells] for r in qa.rows] == [
        ["Short one?", "Yes"],
        ["Short two?", "No"],
        ["Short three?", "Yes"],
    ]
    assert ("Comment Label", "Note:") in paragraphs
    assert ("Normal", "Because.") in paragraphs
    assert ("Question", "Long?") in paragraphs
    assert ("Normal", "Second.") in paragraphs
    assert ("Normal", "Only a comment.") in paragraphs
    assert ("Question", "") not in paragraphs
    # Adjacent tables stay separate tables (Word would merge them) and ragged rows are padded.
    assert len(document.tables) == 4
    assert [c.text for c in document.tables[2].rows[1].cells] == ["Owner", ""]
    assert [[c.text for c in r.cells] for r in document.tables[3].rows] == [
        ["X", "Y", ""],
        ["only x", "", ""],
        ["a", "b", "extra"],
    ]
