"""Lists in reports: typed lists come out as each format's real lists; tabs and undrawable text in the PDF.

The exports are made with `eqia export` and read back from disk: the HTML's <ul>/<ol>, the
Markdown's lists (rendered with markdown-it), the Word list paragraphs and their numbering, the
PDF's L/LI tags and text, and the plain text's hanging indent.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import tomlkit
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfReader

from eqia.cli import main
from eqia.report.lists import ListBlock, Para, join_text, split_text, words

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
STEM = "EA002326-adult-social-care-commissioning-strategy"

LISTS = """The plan has three parts:
- Impact on older people,
who use home support
- Consultation
  a) with providers
  b) with citizens
- Additional Work

Steps:
1. Publish the strategy
2. Tender the contract

(a) first lettered
(b) second lettered"""


def _assessment(tmp_path: Path, answer: str, name: str = "lists.toml") -> Path:
    """A copy of the worked example whose Age "meets needs" answer is `answer`."""
    doc = tomlkit.parse(EXAMPLE.read_text(encoding="utf-8"))
    doc["characteristics"]["age"]["answers"]["meets_needs"]["answer"] = answer
    path = tmp_path / name
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return path


def _export(source: Path, out: Path, formats: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", str(source), "-f", formats, "-o", str(out), "-j", "1"])
    return result.exit_code, result.stderr


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("lists")
    code, stderr = _export(_assessment(tmp, LISTS), tmp / "out", "all")
    assert code == 0, stderr
    return tmp / "out"


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


# -- the parser -----------------------------------------------------------------------


def test_double_markers_are_one_item_of_the_inner_kind() -> None:
    (intro, numbered) = split_text("aims to;\n\n- 1. Outcomes\n- 2. quality\n- 3. resilience")
    assert intro == Para("aims to;")
    assert isinstance(numbered, ListBlock) and numbered.kind == "number"
    assert [i.text for i in numbered.items] == ["Outcomes", "quality", "resilience"]
    (bullets,) = split_text("- . Improve outcomes\n- . Improve quality")
    assert isinstance(bullets, ListBlock) and bullets.kind == "bullet"
    assert [i.text for i in bullets.items] == ["Improve outcomes", "Improve quality"]


def test_items_spaced_by_blank_lines_are_one_list_and_a_nested_list_hangs_under_its_item() -> None:
    (spaced, after) = split_text("• one\n\n• two\n\n• three\n\nAfter.")
    assert isinstance(spaced, ListBlock) and len(spaced.items) == 3
    assert after == Para("After.", "\n\n")
    (outer,) = split_text("- a\n  (a) first\n  (b) second\n- b")
    assert isinstance(outer, ListBlock)
    (inner,) = outer.items[0].children
    assert (inner.kind, inner.style, [i.text for i in inner.items]) == ("letter", "(a)", ["first", "second"])


def test_running_text_that_looks_like_a_marker_is_no_list() -> None:
    assert split_text("b) is the second option\nI) roman") == (Para("b) is the second option\nI) roman"),)
    assert split_text("-5 degrees\n2020. A year") == (Para("-5 degrees\n2020. A year"),)
    (numbers,) = split_text("3) three\n4) four")
    assert isinstance(numbers, ListBlock) and (numbers.start, numbers.style) == (3, "1)")


_LINE_STARTS = [
    "",
    "",
    "- ",
    "* ",
    "• ",
    "1. ",
    "2. ",
    "3) ",
    "a) ",
    "b) ",
    "(a) ",
    "  - ",
    "  a) ",
    "\t1. ",
    "- 1. ",
    "- . ",
    " ",
]
_LINES = st.lists(
    st.tuples(st.sampled_from(_LINE_STARTS), st.text(alphabet="ab 1.)-\t", max_size=8)).map("".join),
    max_size=12,
)
_TEXTS = st.one_of(_LINES.map("\n".join), st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_no_text_is_lost_or_reordered(text: str) -> None:
    pieces = split_text(text)
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    assert "".join(words(pieces).split()) == "".join(flat.split())
    # The plain text puts back every line as typed; only an item's further lines are re-indented.
    joined = join_text(pieces)
    assert [line.lstrip(" \t") for line in joined.split("\n")] == [
        line.lstrip(" \t") for line in flat.split("\n")
    ]


@settings(max_examples=200, deadline=None)
@given(_LINES.map("\n".join))
def test_text_without_further_lines_comes_back_byte_for_byte(text: str) -> None:
    pieces = split_text(text)
    lists = [p for p in pieces if isinstance(p, ListBlock)]
    items = [i for block in lists for i in block.items] + [
        i for block in lists for item in block.items for child in item.children for i in child.items
    ]
    if all("\n" not in i.text for i in items):
        assert join_text(pieces) == text


# -- every format ---------------------------------------------------------------------


def test_html_has_real_lists(exported: Path) -> None:
    page = (exported / f"{STEM}.html").read_text(encoding="utf-8")
    answer = _between(page, "Age - Impact", "Age - Consultation")
    assert "<ul>\n<li>Impact on older people,<br>\nwho use home support</li>" in answer
    assert (
        '<li>Consultation<ol type="a">\n<li>with providers</li>\n<li>with citizens</li>\n</ol>\n</li>'
        in answer
    )
    assert "<ol>\n<li>Publish the strategy</li>\n<li>Tender the contract</li>\n</ol>" in answer
    assert '<ol type="a">\n<li>first lettered</li>' in answer
    assert "- Impact" not in answer and "1. Publish" not in answer
    # The worked example's "- 1." items are one numbered list, without the dash.
    assert "<ol>\n<li>Outcomes for those with health, care and support needs</li>" in page
    assert "- 1." not in page and "- ." not in page


def test_markdown_has_real_lists_without_escapes(exported: Path) -> None:
    md = (exported / f"{STEM}.md").read_text(encoding="utf-8")
    assert "\\- " not in md and "- 1." not in md
    assert "- Impact on older people, \\\n  who use home support\n- Consultation\n" in md
    assert "1. Publish the strategy\n2. Tender the contract" in md
    rendered = MarkdownIt("commonmark").render(md)
    answer = _between(rendered, "Age - Impact", "Age - Consultation")
    assert "<li>Impact on older people, <br />\nwho use home support</li>" in answer
    # Markdown has no letters: a lettered list is numbered, its words all there.
    assert "<li>Consultation\n<ol>\n<li>with providers</li>\n<li>with citizens</li>\n</ol>" in answer
    assert "<li>Publish the strategy</li>" in answer
    assert "<ol>\n<li>first lettered</li>\n<li>second lettered</li>\n</ol>" in answer
    assert "<ol>\n<li>Outcomes for those with health, care and support needs</li>" in rendered


def test_word_lists_are_list_paragraphs_with_their_own_numbering(exported: Path) -> None:
    path = exported / f"{STEM}.docx"
    document = docx.Document(str(path))
    numbering = zipfile.ZipFile(path).read("word/numbering.xml").decode()
    by_text = {p.text: p for p in document.paragraphs}

    def numbered(text: str) -> tuple[str, int, str]:
        p = by_text[text]
        num_pr = p._p.pPr.numPr
        num_id = num_pr.numId.val
        abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>', numbering)
        assert abstract, num_id
        level = num_pr.ilvl.val
        fmt = re.search(
            rf'<w:abstractNum w:abstractNumId="{abstract.group(1)}">.*?<w:lvl w:ilvl="{level}">'
            r'<w:start w:val="1"/><w:numFmt w:val="(\w+)"/>',
            numbering,
        )
        assert fmt, text
        return p.style.name, level, fmt.group(1)

    assert numbered("Impact on older people,\nwho use home support") == ("List Bullet", 0, "bullet")
    assert numbered("with providers") == ("List Number 2", 0, "lowerLetter")
    assert numbered("Publish the strategy") == ("List Number", 0, "decimal")
    assert numbered("first lettered") == ("List Number", 0, "lowerLetter")
    assert numbered("Outcomes for those with health, care and support needs") == ("List Number", 0, "decimal")
    assert not any(p.text.startswith(("- ", "• ", "- 1.")) for p in document.paragraphs)
    # Each list counts from its own start.
    assert numbering.count('<w:startOverride w:val="1"/>') >= 4


def _struct_types(reader: PdfReader) -> list[str]:
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            found.append(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            stack.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_pdf_lists_are_tagged_lists(exported: Path) -> None:
    reader = PdfReader(exported / f"{STEM}.pdf")
    tags = _struct_types(reader)
    # The example's own lists (6) and this answer's four (one nested).
    assert tags.count("/L") >= 10 and tags.count("/LI") >= 30
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "• Impact on older people," in text
    assert "a) with providers" in text and "1. Publish the strategy" in text and "(b) second lettered" in text
    assert "1. Outcomes for those with health" in text
    assert not re.search(r"^(- 1\.|- Impact)", text, re.M)


def test_text_keeps_lists_as_typed_with_hanging_indent(exported: Path) -> None:
    text = (exported / f"{STEM}.txt").read_text(encoding="utf-8")
    expected = LISTS.replace("\nwho use", "\n  who use")
    assert expected in text
    assert "- 1. Outcomes for those with health, care and support needs\n- 2. the quality" in text


def test_a_tab_in_an_answer_is_kept_in_the_pdf(tmp_path: Path) -> None:
    source = _assessment(tmp_path, "Name\tRole\nAmara\tLead officer")
    code, stderr = _export(source, tmp_path / "out", "pdf")
    assert code == 0, stderr
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "out" / f"{STEM}.pdf").pages)
    assert re.search(r"Name {2,}Role", text) and re.search(r"Amara {2,}Lead officer", text)
    assert "NameRole" not in text


def test_text_no_font_can_draw_fails_that_pdf_naming_where_and_what(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "good.toml")
    # Egyptian hieroglyphs: in no shipped font, nor any font a machine usually has.
    bad = _assessment(folder, "Translated: 日本語 and 𓀀𓀁", name="bad.toml")
    doc = tomlkit.parse(bad.read_text(encoding="utf-8"))
    doc["header"]["reference"] = "EA999999"
    bad.write_text(tomlkit.dumps(doc), encoding="utf-8")
    out = tmp_path / "out"
    code, stderr = _export(folder, out, "txt,pdf")
    assert code == 1
    assert "bad.toml" in stderr and "EA999999" in stderr
    assert "3.1.2 Age - Impact" in stderr and "meets the needs of Individuals of different ages?" in stderr
    assert "𓀀 𓀁" in stderr
    written = sorted(p.name for p in out.iterdir())
    assert f"{STEM}.pdf" in written and f"{STEM}.txt" in written
    assert "EA999999-adult-social-care-commissioning-strategy.txt" in written
    assert "EA999999-adult-social-care-commissioning-strategy.pdf" not in written
    assert "Traceback" not in stderr


def test_every_format_of_the_worked_example_reads_the_same_words(tmp_path: Path) -> None:
    """Lists change how text is laid out, never which words are printed."""
    code, stderr = _export(EXAMPLE, tmp_path, "txt,docx")
    assert code == 0, stderr
    txt = (tmp_path / f"{STEM}.txt").read_text(encoding="utf-8")
    body = docx.Document(io.BytesIO((tmp_path / f"{STEM}.docx").read_bytes()))
    listed = [p.text for p in body.paragraphs if p.style.name.startswith("List ")]
    assert len(listed) == 3 + 3 + 3 + 3 + 11 + 7 + 3
    for item in listed:
        assert item in txt
