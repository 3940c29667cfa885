"""The PDF renderer: the worked example's text and tags, hostile answers kept literal, Unicode, batching."""

from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from itertools import pairwise
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
    assert tags["/Table"] == 1  # the relevance table; the header block is laid out, not a table
    assert tags["/TH"] == 4  # its header row, with the reasons' column


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


# ---------------------------------------------------------------------------------------------
# Structure and layout of the shipped examples

ASSESSMENTS = sorted((Path(__file__).resolve().parent.parent / "assessments").glob("*.toml"))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Report, PdfReader]]:
    """Each shipped example's report and its PDF, by file stem."""
    folder = tmp_path_factory.mktemp("shipped")
    out = {}
    for path in ASSESSMENTS:
        loaded = store.read(path)
        report = build_report(form_for(loaded.assessment)[0], loaded.assessment)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PdfUaWarning)
            (folder / f"{path.stem}.pdf").write_bytes(render_pdf(report))
        out[path.stem] = (report, PdfReader(folder / f"{path.stem}.pdf"))
    return out


def _elements(reader: PdfReader) -> list[tuple[str, object]]:
    """Every structure element (type, node) in reading order."""
    found: list[tuple[str, object]] = []

    def walk(node: object) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append((str(node["/S"]), node))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def _types_under(node: object) -> Counter[str]:
    counts: Counter[str] = Counter()
    kids = node.get("/K")  # type: ignore[attr-defined]
    if kids is None:
        return counts
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get") and "/S" in kid:
            counts[str(kid["/S"])] += 1
            counts += _types_under(kid)
    return counts


def _list_blocks(report: Report) -> int:
    """How many lists (nested ones too) the report tree holds."""
    from eqia.report.lists import ListBlock
    from eqia.report.tree import Paragraph

    def count(pieces: tuple) -> int:
        total = 0
        for piece in pieces:
            if isinstance(piece, ListBlock):
                total += 1 + sum(count(item.children) for item in piece.items)
        return total

    total = 0
    for block in report.blocks:
        if isinstance(block, Paragraph):
            total += count(block.flow)
        elif isinstance(block, QuestionAnswer):
            total += count(block.answer_flow) + count(block.comment_flow)
    return total


@pytest.mark.parametrize("stem", [p.stem for p in ASSESSMENTS])
def test_shipped_examples_are_tagged_for_assistive_technology(shipped, stem: str) -> None:
    report, reader = shipped[stem]
    elements = _elements(reader)
    tables = [node for kind, node in elements if kind == "/Table"]
    assert tables, "each example has at least its relevance table"
    for table in tables:  # every table has header cells
        assert _types_under(table)["/TH"] >= 1
    lists = [node for kind, node in elements if kind == "/L"]
    assert len(lists) == _list_blocks(report) > 0  # each list of the report tree is a tagged list
    for tagged in lists:
        assert _types_under(tagged)["/LI"] >= 1
    levels = [int(kind[2:]) for kind, _ in elements if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in pairwise(levels):
        assert after <= before + 1, f"a heading jumps from H{before} to H{after}"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == report.language
    assert report.name and report.name in (reader.metadata.title or "")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]


def _lines(page) -> list[tuple[float, float, float, str]]:
    """The page's text runs as (baseline y, x, font size, text), top of the page first."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((round(cm[5], 1), round(cm[4], 1), size, text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(runs, key=lambda r: (-r[0], r[1]))


def test_body_text_is_11_point_and_header_footer_9(shipped) -> None:
    _, reader = shipped["EA002326-adult-social-care-commissioning"]
    sizes: Counter[float] = Counter()
    for page in reader.pages:
        for _, _, size, text in _lines(page):
            sizes[size] += len(text)
    assert sizes.most_common(1)[0][0] == 11
    assert min(sizes) == 9  # the running header and the footer; nothing smaller
    footer = [r for r in _lines(reader.pages[1]) if "Page 2 of" in r[3]]
    assert footer and footer[0][2] == 9


def test_a_comment_sits_with_its_question_and_apart_from_the_next(shipped) -> None:
    _, reader = shipped["EA002326-adult-social-care-commissioning"]
    margin = 56.7  # 2 cm
    seen = 0
    for page in reader.pages:
        lines = _lines(page)
        for i, (y, x, _, text) in enumerate(lines):
            if text != "Comment:" or i == 0:
                continue
            above = lines[i - 1][0] - y  # from the answer's (or question row's) last line
            end = i
            while end + 1 < len(lines) and lines[end + 1][1] > margin + 2:  # the comment is indented
                end += 1
            if end + 1 >= len(lines) or "Page" in lines[end + 1][3]:
                continue  # the comment ends the page
            below = lines[end][0] - lines[end + 1][0]  # to the next question or heading
            assert x > margin + 2
            assert below > above + 6, (text, lines[end + 1][3])
            seen += 1
    assert seen >= 10


def _page_of(reader: PdfReader, text: str) -> list[int]:
    return [n for n, page in enumerate(reader.pages) if _squash(text) in _squash(page.extract_text())]


def test_actions_are_numbered_headings_kept_on_one_page(shipped) -> None:
    report, reader = shipped["EA002401-care-at-home-review"]
    from eqia.report.tree import ActionRow

    actions = [b for b in report.blocks if isinstance(b, ActionRow)]
    assert [a.title for a in actions] == [f"Action {n}" for n in range(1, len(actions) + 1)]
    # In reading order, each action is a heading one level under the action plan's.
    expected, level = [], 1
    for block in report.blocks:
        if isinstance(block, Heading):
            expected.append(level := block.level)
        elif isinstance(block, ActionRow):
            expected.append(level + 1)
    found = [int(kind[2:]) for kind, _ in _elements(reader) if re.fullmatch(r"/H[1-6]", kind)]
    assert found == expected
    text = _text(reader)
    assert all(f"{a.title}\n{a.fields[0].label}" in text for a in actions)
    for action in actions:  # each starts and ends on the same page (they all fit on one)
        start = _page_of(reader, action.title + action.fields[0].label)
        assert len(start) == 1 and start[0] in _page_of(reader, action.fields[-1].value.splitlines()[-1])


def test_a_long_short_answer_is_not_squeezed_into_a_narrow_column(shipped) -> None:
    _, reader = shipped["EX-psed-library-opening-hours"]
    role = "Cabinet Member for Communities and Culture; the decision is taken by Cabinet"
    lines = [text for page in reader.pages for _, _, _, text in _lines(page)]
    assert role in lines  # one line the width of the page, not a word or two a line


def _sign_off(rows: int, filler: int) -> Report:
    blocks = [Heading(1, "", "Equality Analysis"), Heading(2, "1", "Answers")]
    blocks += [QuestionAnswer(f"Question {i}?", "A long answer " * 40) for i in range(filler)]
    blocks.append(Heading(2, "2", "Sign-off"))
    blocks += [QuestionAnswer(f"Signed by person {i}", f"Name {i}", short=True) for i in range(rows)]
    return Report("Equality Analysis", "", "en-GB", "EA000001", "Sign-off", blocks)


def test_no_page_holds_only_the_last_sign_off_row() -> None:
    broke = 0
    for rows in range(8, 40):
        reader = PdfReader(io.BytesIO(render_pdf(_sign_off(rows, 3))))
        if len(reader.pages) < 2:
            continue
        broke += 1
        last = reader.pages[-1].extract_text()
        assert f"Signed by person {rows - 1}" in last
        assert f"Signed by person {rows - 2}" in last, f"{rows} rows: the last one alone on its page"
    assert broke > 10  # the rows ran onto a second page at every position


def test_an_action_taller_than_a_page_flows_on_instead_of_running_off_it() -> None:
    from eqia.report.tree import ActionRow, Field

    progress = "\n".join(f"Update line {n} on the progress of this action." for n in range(90))
    action = ActionRow((Field("Action", "Run the review"), Field("Latest progress", progress)), "Action 1")
    blocks = [Heading(1, "", "Equality Analysis"), Heading(2, "5", "Action Plan"), action]
    report = Report("Equality Analysis", "", "en-GB", "EA1", "Tall", blocks)
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    assert len(reader.pages) >= 2
    assert _page_of(reader, "Action 1Action") == [0]
    assert _page_of(reader, "Update line 89 on") == [len(reader.pages) - 1]  # not off the first page
