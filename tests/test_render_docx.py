"""Word renderer: EA002326 read back with python-docx (headings, tables, answers, footer); literal text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from eqia.files import store
from eqia.files.opening import form_for
from eqia.report.progress import build_progress_report
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
    tmp_path.mkdir(parents=True, exist_ok=True)
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


def test_header_block_is_label_and_value_lines_not_a_table(rendered):
    _, document = rendered
    assert not any(t.rows[0].cells[0].text == "EA Name" for t in document.tables)
    fields = [p for p in document.paragraphs if p.style.name == "Field"]
    texts = [p.text for p in fields]
    assert texts[0] == "EA Name\tAdult Social Care Commissioning Strategy"
    assert "Reference Number\tEA002326" in texts
    assert "Task Group Member\t" in texts  # an empty value keeps its label
    first = fields[0]
    assert first.runs[0].bold and first.runs[0].text == "EA Name"
    assert not first.runs[1].bold
    # The values line up: the label's tab stop is the hanging indent every wrapped line returns to.
    p_pr = first._p.pPr
    ind = p_pr.find(qn("w:ind"))
    tab = p_pr.find(f"{qn('w:tabs')}/{qn('w:tab')}")
    assert ind.get(qn("w:hanging")) == ind.get(qn("w:left")) == tab.get(qn("w:pos"))
    assert len({p._p.pPr.find(qn("w:ind")).get(qn("w:left")) for p in fields}) == 1


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
    # The first column labels the rows: bold, where the other cells are not.
    assert all(row.cells[0].paragraphs[0].runs[0].bold for row in table.rows[1:])
    assert not table.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert table.style.name == "Report Table"
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
    # A short answer is a paragraph of its own under its question, then the comment under its label.
    at = paragraphs.index("Will the policy have an impact on employees?")
    styled = [(p.style.name, p.text) for p in document.paragraphs[at : at + 4]]
    assert styled[:3] == [
        ("Question", "Will the policy have an impact on employees?"),
        ("Normal", "Yes"),
        ("Comment Label", "Comment:"),
    ]
    assert styled[3][0] == "Comment"
    assert styled[3][1].startswith(
        "Skills for Care have estimated that there are over 25,000 adult social care jobs"
    )
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
    assert "EA Name\t" + "\n".join(HOSTILE_LINES) in paragraphs
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
        ActionRow((Field("Action", "Do it"), Field("Owner", "")), "Action 1"),
        ActionRow((Field("Action", "Then this"),), "Action 2"),
        Table(("X", "Y"), (("only x",), ("a", "b", "extra"))),
    )
    document = _open(render_docx(report), tmp_path)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 4", "1.1.1.1 Deep") in paragraphs
    assert ("Heading 9", "9 Deeper than Word goes") in paragraphs
    assert ("Normal", "one") in paragraphs
    assert ("Normal", "two\nthree\tfour\nfive") in paragraphs
    # Questions and answers are paragraphs, in order, never a table.
    at = paragraphs.index(("Question", "Short one?"))
    assert paragraphs[at : at + 13] == [
        ("Question", "Short one?"),
        ("Normal", "Yes"),
        ("Question", "Short two?"),
        ("Normal", "No"),
        ("Question", "Short three?"),
        ("Normal", "Yes"),
        ("Comment Label", "Note:"),
        ("Comment", "Because."),
        ("Question", "Long?"),
        ("Normal", "First."),
        ("Normal", "Second."),
        ("Comment Label", "Comment:"),
        ("Comment", "Only a comment."),
    ]
    assert ("Question", "") not in paragraphs
    assert ("Field", "A\t1") in paragraphs
    # Two actions and the table: adjacent tables stay separate (Word would merge them), each
    # action headed by its number across both columns; ragged rows are padded.
    assert len(document.tables) == 3
    first, second, grid = document.tables
    assert [[c.text for c in r.cells] for r in first.rows] == [
        ["Action 1", "Action 1"],  # one cell spanning both columns, as python-docx reads it
        ["Action", "Do it"],
        ["Owner", ""],
    ]
    assert first.rows[0]._tr.tc_lst[0].grid_span == 2
    assert second.rows[0].cells[0].text == "Action 2"
    assert [[c.text for c in r.cells] for r in grid.rows] == [
        ["X", "Y", ""],
        ["only x", "", ""],
        ["a", "b", "extra"],
    ]


# --- the house style: every shipped example, and a progress report ----------------------------

EXAMPLES = sorted((ROOT / "assessments").glob("*.toml"))
TRACKED = ROOT / "assessments" / "EA002401-care-at-home-review.toml"


def _shipped(path: Path):
    f = store.read(path)
    form = form_for(f.assessment)[0]
    return form, f.assessment


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """(name, report tree, document read back) for each shipped example and a progress report."""
    out = []
    folder = tmp_path_factory.mktemp("shipped")
    for path in EXAMPLES:
        form, assessment = _shipped(path)
        report = build_report(form, assessment)
        out.append((path.stem, report, _open(render_docx(report), folder / path.stem)))
    form, assessment = _shipped(TRACKED)
    report = build_progress_report(form, [assessment], today=dt.date(2024, 4, 1))
    out.append(("progress", report, _open(render_docx(report), folder / "progress")))
    return out


def _wcag(colour: str, background: str = "FFFFFF") -> float:
    def luminance(value: str) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(int(value[i : i + 2], 16) / 255) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _run_property(document, style, tag: str):
    """The value a style gives a run property (w:sz, w:color, w:b, w:rFonts), following basedOn to
    the document defaults; None if nothing sets it."""
    while style is not None:
        r_pr = style.element.find(qn("w:rPr"))
        found = r_pr.find(qn(tag)) if r_pr is not None else None
        if found is not None:
            return found
        style = style.base_style
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return defaults.find(qn(tag))


def _size(document, style) -> float:
    return int(_run_property(document, style, "w:sz").get(qn("w:val"))) / 2


def _body_styles(document) -> list:
    """Each paragraph style the body uses, once."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return list({p.style.style_id: p.style for p in paragraphs}.values())


def test_every_table_is_a_data_table_with_a_repeating_header_row(shipped):
    for name, report, document in shipped:
        data_tables = sum(isinstance(b, (Table, ActionRow)) for b in report.blocks)
        assert len(document.tables) == data_tables, name  # no layout tables: questions are paragraphs
        for table in document.tables:
            assert table.style.name == "Report Table", name
            header = table.rows[0]._tr.trPr
            assert header is not None and header.find(qn("w:tblHeader")) is not None, name
            assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:]), name
            assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs), name
            assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows), name


def test_actions_are_numbered_and_kept_on_one_page(shipped):
    _, report, document = next(s for s in shipped if s[0] == TRACKED.stem)
    form, _ = _shipped(TRACKED)
    word = form.wording("action_item")
    actions = [t for t in document.tables if t.rows[0].cells[0].text.startswith(word)]
    count = sum(isinstance(b, ActionRow) for b in report.blocks)
    assert count == 5
    assert [t.rows[0].cells[0].text for t in actions] == [f"{word} {n}" for n in range(1, count + 1)]
    for table in actions:
        assert table.rows[0]._tr.tc_lst[0].grid_span == 2  # the number heads both columns
        assert table.rows[1].cells[0].text == form.action_label("issue")
        keeps = [
            all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in table.rows
        ]
        assert keeps == [True] * (len(keeps) - 1) + [False]


def test_a_long_table_keeps_its_header_with_its_first_row_and_never_leaves_a_last_row_alone(tmp_path):
    rows = tuple((f"Group {n}", f"Finding {n}") for n in range(30))
    document = _open(render_docx(_report(Table(("Group", "Finding"), rows))), tmp_path)
    keeps = [
        bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in document.tables[0].rows
    ]
    assert keeps[:2] == [True, False]  # the header row stays with the first row
    assert keeps[-2:] == [True, False]  # the last row never starts a page alone
    assert not any(keeps[2:-2])  # the rest breaks where the page ends, leaving no half-empty page


def test_a_column_of_prose_keeps_a_readable_width(shipped):
    _, _, document = shipped[0]
    table = _find_table(document, "Protected Characteristics")
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == 11906 - 2 * 1440
    # The reasons: 25 characters of 11 pt Arial (0.44 em each, about 97 twips) and the cell margins.
    assert widths[3] >= 25 * 97 + 216
    # Short columns keep their longest word on one line ("Relevant", in bold in the header).
    assert widths[1] >= len("Relevant") * 6 * 20 * 0.48 * 11 / 6 + 216


def test_headings_and_every_text_colour_pass_wcag_aa(shipped):
    _, _, document = shipped[0]
    colours = {}
    for style in document.styles.element.iterfind(qn("w:style")):
        for colour in style.iter(qn("w:color")):
            if colour.getparent().tag == qn("w:rPr") and colour.get(qn("w:val")) != "auto":
                colours[style.get(qn("w:styleId"))] = colour.get(qn("w:val"))
    assert {"Title", "Heading1", "Heading2", "Heading3"} <= set(colours)
    failing = {name: round(_wcag(c), 2) for name, c in colours.items() if _wcag(c) < 4.5}
    assert not failing
    assert _wcag(colours["Heading2"]) >= 4.5 and colours["Heading2"] != "4F81BD"
    # Header rows: black text on their shading.
    fills = {shd.get(qn("w:fill")) for shd in document.element.body.iter(qn("w:shd"))}
    assert fills and all(_wcag("000000", fill) >= 4.5 for fill in fills)


def test_one_readable_font_body_at_least_11_pt_and_a_clear_hierarchy(shipped):
    for name, _, document in shipped:
        fonts = _run_property(document, document.styles["Normal"], "w:rFonts")
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Arial", name
        for style in _body_styles(document):
            assert _size(document, style) >= 11, (name, style.name)
            found = _run_property(document, style, "w:rFonts")
            assert found.get(qn("w:asciiTheme")) is None and found.get(qn("w:ascii")) == "Arial", style.name
    _, _, document = shipped[0]
    sizes = [_size(document, document.styles[n]) for n in ("Title", "Heading 1", "Heading 2", "Heading 3")]
    question = _size(document, document.styles["Question"])
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 4
    assert sizes[-1] > question == _size(document, document.styles["Normal"]) == 11


def test_every_question_is_bold_and_stays_with_its_answer(shipped):
    for name, report, document in shipped:
        questions = [p for p in document.paragraphs if p.style.name == "Question"]
        asked = [b.question for b in report.blocks if isinstance(b, QuestionAnswer) and b.question]
        assert [p.text for p in questions] == asked, name
        for p in questions:
            assert all(r.bold is not False for r in p.runs)
            assert _run_property(document, p.style, "w:b") is not None
        style = document.styles["Question"].paragraph_format
        assert style.keep_with_next and style.keep_together
        assert document.styles["Comment Label"].paragraph_format.keep_with_next
        # More space above a question than between it, its answer and its comment.
        above = style.space_before
        assert (
            above > style.space_after
            and above > document.styles["Comment Label"].paragraph_format.space_before
        )


def test_lists_are_list_paragraphs(shipped):
    for name, _, document in shipped:
        listed = [p for p in document.paragraphs if p.style.name.startswith("List ")]
        assert all(p._p.pPr.numPr is not None for p in listed), name
        plain = [p.text for p in document.paragraphs if not p.style.name.startswith("List ")]
        assert not [t for t in plain if t.startswith(("- ", "• ", "* "))], name
    assert any(p.style.name.startswith("List ") for p in shipped[0][2].paragraphs)


def test_a_list_in_a_comment_is_indented_with_the_comment(tmp_path):
    report = _report(QuestionAnswer("Q?", "Yes", "Because:\n- one\n- two", short=True))
    document = _open(render_docx(report), tmp_path)
    comment = next(p for p in document.paragraphs if p.style.name == "Comment")
    item = next(p for p in document.paragraphs if p.text == "one")
    assert item.style.name == "List Bullet"
    assert item.paragraph_format.left_indent > comment.style.paragraph_format.left_indent > 0


def test_the_header_block_gives_a_label_too_long_for_its_column_a_line_of_its_own(shipped):
    _, _, document = next(s for s in shipped if s[0] == "EX-nhs-community-phlebotomy")
    texts = [p.text for p in document.paragraphs if p.style.name == "Field"]
    assert "Equality and health inequalities reviewer\nJoseph Adeyemi, Health Inequalities Lead" in texts
    assert "Reference\tEHIA-2026-017" in texts
