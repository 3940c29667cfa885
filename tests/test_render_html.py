"""HTML report: its structure for assistive technology (always), and where headless Chromium runs,
axe-core's rules, labels that never break mid-word from 320 to 1280 px wide, and the printed pages."""

from __future__ import annotations

import html.parser
import itertools
import re
import subprocess
from pathlib import Path

import pytest
from browser import AXE_RUN as _AXE_RUN
from browser import axe_script as _axe_script
from browser import chromium as _chromium
from browser import probe as _probe
from click.testing import CliRunner
from pypdf import PdfReader

from eqia.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "assessments").glob("*.toml"))
TRACKED = ROOT / "assessments" / "EA002401-care-at-home-review.toml"
WORKED = "EA002326-adult-social-care-commissioning-strategy"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped example exported as HTML, and the tracked example's progress report."""
    out = tmp_path_factory.mktemp("html")
    runner = CliRunner()
    result = runner.invoke(main, ["export", *map(str, EXAMPLES), "-f", "html", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    progress = out / "progress.html"
    result = runner.invoke(
        main, ["progress-report", str(TRACKED), "--format", "html", "--out", str(progress)]
    )
    assert result.exit_code == 0, result.output
    found = {p.stem: p for p in out.glob("*.html")}
    assert len(found) == len(EXAMPLES) + 1
    return found


# -- structure ------------------------------------------------------------------------


class _Tree(html.parser.HTMLParser):
    """Each element with its attributes, parent and text, in document order."""

    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[dict] = []
        self.stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        node = {
            "tag": tag,
            "attrs": dict(attrs),
            "parent": self.stack[-1] if self.stack else None,
            "text": "",
        }
        node["children"] = []
        if node["parent"] is not None:
            node["parent"]["children"].append(node)
        self.nodes.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for node in self.stack:
            node["text"] += data

    def all(self, tag: str) -> list[dict]:
        return [n for n in self.nodes if n["tag"] == tag]


def _tree(page: Path) -> _Tree:
    tree = _Tree()
    tree.feed(page.read_text(encoding="utf-8"))
    return tree


def _classes(node: dict) -> set[str]:
    return set((node["attrs"].get("class") or "").split())


def test_every_page_has_a_language_a_skip_link_and_headings_in_order(pages):
    for name, page in pages.items():
        tree = _tree(page)
        assert tree.all("html")[0]["attrs"].get("lang") == "en-GB", name
        first_link = tree.all("a")[0]
        target = first_link["attrs"]["href"].removeprefix("#")
        assert first_link["text"] == "Skip to content", name
        assert [n["tag"] for n in tree.nodes if n["attrs"].get("id") == target] == ["main"], name
        assert len(tree.all("main")) == 1 and len(tree.all("h1")) == 1, name
        levels = [int(n["tag"][1]) for n in tree.nodes if re.fullmatch(r"h[1-6]", n["tag"])]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), name


def test_tables_are_data_tables_with_scoped_heads_and_the_rest_is_no_table(pages):
    for name, page in pages.items():
        tree = _tree(page)
        for table in tree.all("table"):
            head, body = (c for c in table["children"] if c["tag"] in ("thead", "tbody"))
            heads = [c for row in head["children"] for c in row["children"]]
            assert heads and all(c["tag"] == "th" and c["attrs"].get("scope") == "col" for c in heads), name
            for row in body["children"]:
                first, *rest = row["children"]
                assert first["tag"] == "th" and first["attrs"].get("scope") == "row", name
                assert all(c["tag"] == "td" for c in rest), name
            # A table that may scroll sideways is a named region a keyboard can reach.
            region = table["parent"]
            assert region["attrs"].get("role") == "region" and region["attrs"].get("tabindex") == "0", name
            assert region["attrs"].get("aria-label"), name
        # The header block and every question are description lists: a label or question (dt),
        # then what answers it (dd), grouped one to a div.
        lists = tree.all("dl")
        assert "fields" in _classes(lists[0]), name
        for dl in lists:
            for group in dl["children"]:
                assert group["tag"] == "div", name
                tags = [c["tag"] for c in group["children"]]
                assert tags[0] == "dt" and len(tags) > 1 and set(tags[1:]) == {"dd"}, (name, tags)


def test_questions_stand_above_their_answers_with_their_comments(pages):
    tree = _tree(pages[WORKED])
    groups = [n for n in tree.all("div") if "qa" in _classes(n)]
    age = next(
        g
        for g in groups
        if g["children"][0]["text"].startswith(
            "Describe how the Policy meets the needs of Individuals of different ages"
        )
    )
    _question, answer, comment = age["children"]
    assert answer["text"].startswith("There have previously been different contracting arrangements")
    assert comment["text"].startswith("Comment:Of the 15,500 citizens")
    # A Yes or No has a column of its own beside every question, whatever the question's length.
    evidence = next(
        g for g in groups if g["children"][0]["text"] == "Do you have evidence to support the assessment?"
    )
    assert "beside" in _classes(evidence) and evidence["children"][1]["text"] == "Yes"


def test_actions_are_numbered_with_the_forms_word(pages):
    tree = _tree(pages["EA002401-care-at-home-review"])
    actions = [n for n in tree.nodes if "action" in _classes(n)]
    assert len(actions) >= 2
    for number, action in enumerate(actions, start=1):
        heading = action["children"][0]
        assert re.fullmatch(r"h[3-6]", heading["tag"]) and heading["text"] == f"Action {number}"
        assert action["children"][1]["tag"] == "dl"


def test_words_break_only_in_long_addresses(pages):
    css = pages[WORKED].read_text(encoding="utf-8").split("<style>")[1].split("</style>")[0]
    assert "word-break" not in css
    assert re.findall(r"([^{}]*)\{[^}]*overflow-wrap: anywhere", css) == ["\n.long "]
    page = pages[WORKED].read_text(encoding="utf-8")
    assert '<span class="long">sharon.d.gentles-garlick@birmingham.gov.uk</span>' in page


def test_the_running_footer_cannot_end_the_style_sheet(tmp_path):
    source = tmp_path / "hostile.toml"
    text = (ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml").read_text(
        encoding="utf-8"
    )
    source.write_text(
        text.replace('reference = "EA002326"', 'reference = "x\\"</style><b>y"'), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["export", str(source), "-f", "html", "-o", str(tmp_path), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    style = page.split("<style>")[1].split("</style>")[0]
    assert "<b>" not in style and "<b>" not in page
    assert '@bottom-left { content: "Equality Analysis \\b7  x\\22 \\3c \\2f style\\3e \\3c b\\3e y"' in style


# -- in a browser ---------------------------------------------------------------------


def test_axe_core_finds_no_violation_in_any_export(pages, tmp_path):
    browser, axe = _chromium(), _axe_script()
    for name, page in pages.items():
        for width in (390, 1280):
            text = page.read_text(encoding="utf-8")
            found = _probe(browser, tmp_path, name, text, axe + _AXE_RUN, width)
            assert found == [], (name, width, found)


def test_axe_core_here_does_find_a_violation(pages, tmp_path):
    """The harness is no test that cannot fail: a page without its language is reported."""
    browser, axe = _chromium(), _axe_script()
    text = pages[WORKED].read_text(encoding="utf-8").replace(' lang="en-GB"', "", 1)
    found = _probe(browser, tmp_path, "no-lang", text, axe + _AXE_RUN)
    assert [rule for rule, _ in found] == ["html-has-lang"]


_LAYOUT = r"""
var broken = [];
document.querySelectorAll('dt, th, h1, h2, h3, h4, h5, h6, .comment-label').forEach(function (el) {
  var walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node;
  while ((node = walk.nextNode())) {
    var word = /[^\s\-\/]+/g, m;
    while ((m = word.exec(node.data))) {
      var range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      var tops = {};
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        if (r.width > 0) tops[Math.round(r.top)] = 1;
      });
      if (Object.keys(tops).length > 1) broken.push(m[0]);
    }
  }
});
report({broken: broken, width: window.innerWidth,
        overflow: document.documentElement.scrollWidth - window.innerWidth});
"""


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_labels_never_break_mid_word_and_nothing_runs_off_the_screen(pages, tmp_path, width):
    browser = _chromium()
    for name, page in pages.items():
        found = _probe(browser, tmp_path, name, page.read_text(encoding="utf-8"), _LAYOUT, width)
        assert found["width"] == width
        assert found["broken"] == [], (name, width)
        assert found["overflow"] <= 0, (name, width)


def test_printed_the_worked_example_takes_15_pages_none_near_empty(pages, tmp_path):
    browser = _chromium()
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", pages[WORKED].as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    printed = PdfReader(pdf).pages
    assert len(printed) <= 15  # it was 23, a page break before every section
    for number, page in enumerate(printed, start=1):
        text = page.extract_text()
        assert f"{number} / {len(printed)}" in text  # the page number in the running footer
        assert len([line for line in text.splitlines() if line.strip()]) >= 20, (number, text)


def test_the_skip_link_speaks_the_forms_words() -> None:
    from eqia.files.forms import load_form
    from eqia.files.store import read
    from eqia.report.render_html import render_html
    from eqia.report.tree import build_report

    assessment = read(ROOT / "assessments" / "EX-psed-library-opening-hours.toml").assessment
    form = load_form("psed-england")
    english = render_html(build_report(form, assessment))
    assert '<a class="skip-link" href="#content">Skip to content</a>' in english
    welsh = form.model_copy(update={"text": {**form.text, "skip_link": "Neidio i'r cynnwys"}})
    page = render_html(build_report(welsh, assessment))
    assert '<a class="skip-link" href="#content">Neidio i&#39;r cynnwys</a>' in page
    assert "Skip to content" not in page
