"""The PDF renderer: the worked example's text and tags, hostile answers kept literal, Unicode, batching."""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from eqia.document.model import Assessment
from eqia.files import store
from eqia.files.opening import form_for
from eqia.report.render_pdf import PdfUaWarning, UndrawableTextError, _language, render_pdf, render_pdfs
from eqia.report.tree import Heading, QuestionAnswer, Report, build_report

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "assessments" / "EA002326-adult-social-care-commissioning.toml"
)

HOSTILE = (
    "<script>alert(1)</script> </td> | pipes | \n"
    "# Heading\n"
    "= Heading two\n"
    '{{ x }} #set text(red) $x^2$ =cmd *bold* _under_ `raw` <label> @ref #panic("boom") ] ) }\n'
    "back\\slash \\\\ double \\#escaped\n"
    "שלום עולם مرحبا بالعالم 😀🎉👍"
)
HOSTILE_LITERALS = [
    "<script>alert(1)</script>",
    "</td>",
    "| pipes |",
    "# Heading",
    "= Heading two",
    "{{ x }}",
    "#set text(red)",
    "$x^2$",
    "=cmd",
    "*bold*",
    "_under_",
    "`raw`",
    "<label>",
    "@ref",
    '#panic("boom")',
    "back\\slash",
    "\\\\ double",
    "\\#escaped",
    "😀🎉👍",
]
# pypdf lists right-to-left words in visual order, so look for each word.
RTL_WORDS = ["שלום", "עולם", "مرحبا", "بالعالم"]


@pytest.fixture(scope="module")
def example() -> tuple[object, Assessment]:
    loaded = store.read(EXAMPLE)
    return form_for(loaded.assessment)[0], loaded.assessment


@pytest.fixture(scope="module")
def example_pdf(example, tmp_path_factory: pytest.TempPathFactory) -> Path:
    form, assessment = example
    with warnings.catch_warnings():
        warnings.simplefilter("error", PdfUaWarning)
        pdf = render_pdf(build_report(form, assessment))
    path = tmp_path_factory.mktemp("pdf") / "EA002326.pdf"
    path.write_bytes(pdf)
    return path


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _struct_types(reader: PdfReader) -> Counter[str]:
    """How often each structure type (/H1, /P, /TH, ...) occurs in the tag tree."""
    counts: Counter[str] = Counter()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            counts[str(node["/S"])] += 1
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        stack.extend(kids if isinstance(kids, list) else [kids])
    return counts


def _is_pdf_ua(reader: PdfReader) -> bool:
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return b"pdfuaid" in xmp


def test_example_text(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    text = _text(reader)
    for expected in (
        "Equality Analysis",
        "2.3 Relevance Test",
        "3.1 Age - Assessment Questions",
        "3.1.2 Age - Impact",
        "EA002326",
        "Adult Social Care Commissioning Strategy",
        "Gender Reassignment",
        "There are no relevant issues, so no action plans are currently required.",
    ):
        assert expected in text
    # A sentence from an answer, wrapped over lines in the PDF.
    sentence = "Formal consultation from 5th April to 4th July 2017"
    assert _squash(sentence) in _squash(text)


def test_footer_numbers_pages(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    pages = len(reader.pages)
    assert pages > 1
    assert f"EA002326 — Page 1 of {pages}" in reader.pages[0].extract_text()
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()


def test_tagged_pdf_ua(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert _is_pdf_ua(reader)
    assert reader.metadata is not None
    assert "Adult Social Care Commissioning Strategy" in (reader.metadata.title or "")
    tags = _struct_types(reader)
    assert tags["/H1"] == 1
    assert tags["/H2"] >= 5 and tags["/H3"] >= 5 and tags["/H4"] >= 5
    assert tags["/Table"] >= 2
    assert tags["/TH"] == 4  # the relevance table's header row, with the reasons' column


def test_hostile_answers_stay_literal(example, tmp_path: Path) -> None:
    form, assessment = example
    a = assessment.model_copy(deep=True)
    a.characteristics["age"].answers["meets_needs"].answer = HOSTILE
    a.characteristics["age"].answers["meets_needs"].comment = "#strong[x] \x00nul \x07bell\r\nCRLF"
    report = build_report(form, a)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PdfUaWarning)
        path = tmp_path / "hostile.pdf"
        path.write_bytes(render_pdf(report))
    reader = PdfReader(path)
    text = _squash(_text(reader))
    for literal in HOSTILE_LITERALS:
        assert _squash(literal) in text, literal
    for word in RTL_WORDS:
        assert word in text, word
    # Control characters are shown as U+FFFD, as in every export format; CR LF is a line break.
    assert _squash("#strong[x] \ufffdnul \ufffdbell CRLF") in text
    # Markup-looking lines made no extra headings.
    headings = sum(1 for b in report.blocks if isinstance(b, Heading))
    tags = _struct_types(reader)
    assert sum(tags[f"/H{n}"] for n in range(1, 7)) == headings


def _small_report(*answers: str, name: str = "Small") -> Report:
    blocks = [Heading(1, "", "Equality Analysis"), Heading(2, "1", "Answers")]
    blocks += [QuestionAnswer(f"Question {i}?", answer) for i, answer in enumerate(answers, start=1)]
    return Report("Equality Analysis", "", "en-GB", "EA000001", name, blocks)


def test_scripts_are_drawn_and_extractable() -> None:
    samples = [
        "Łódź café Œuvre",
        "αβγ Жизнь",
        "اردو زبان ہے",
        "فارسی",
        "שלום",
        "বাংলা",
        "ਪੰਜਾਬੀ",
        "हिन्दी",
        "ગુજરાતી",
        "😀 👍 ✅ → £ €",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error", PdfUaWarning)  # every character has a shipped font
        reader = PdfReader(io.BytesIO(render_pdf(_small_report(*samples))))
    assert _is_pdf_ua(reader)
    text = reader.pages[0].extract_text()
    # pypdf reorders neither right-to-left nor Indic text reliably; check what it can read.
    for sample in ("Łódź café Œuvre", "αβγ Жизнь", "فارسی", "שלום", "😀 👍 ✅ → £ €"):
        assert sample in text


def test_undrawable_character_is_an_error_naming_it_and_its_question() -> None:
    # U+0378 is unassigned: no font draws it; the PDF would show an empty box.
    with pytest.raises(UndrawableTextError) as raised:
        render_pdf(_small_report("fine", "before \u0378 after", name="Small policy"))
    message = str(raised.value)
    assert "EA000001 Small policy" in message
    assert "1 Answers, “Question 2?”: U+0378" in message
    assert "Question 1?" not in message


def test_render_pdfs_keeps_order() -> None:
    reports = [_small_report(f"answer number {i}", name=f"Policy {i}") for i in range(4)]
    pdfs = render_pdfs(reports)
    assert len(pdfs) == 4
    for i, pdf in enumerate(pdfs):
        assert f"answer number {i}" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert render_pdfs([]) == []


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-GB", ("en", "gb")),
        ("cy", ("cy", None)),
        ("pt_BR", ("pt", "br")),
        ("", ("en", None)),
        ("english", ("en", None)),
    ],
)
def test_language(tag: str, expected: tuple[str, str | None]) -> None:
    assert _language(tag) == expected
