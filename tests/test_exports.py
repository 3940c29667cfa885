"""Exports: the text report reproduces the seed; md and html keep hostile text literal; batch export."""

from __future__ import annotations

import html.parser
import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from eqia.cli import main
from eqia.files import store
from eqia.files.opening import form_for
from eqia.report.render_html import render_html
from eqia.report.render_md import render_md
from eqia.report.render_text import render_text
from eqia.report.tree import build_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
SEED = ROOT / "tests" / "fixtures" / "seed-EA002326.txt"  # the published report, as text

HOSTILE = [
    "<script>alert(1)</script>",
    "</td></tr></table>",
    "| pipes | in | cells |",
    "# Not a heading",
    "{{ config }} {% if %}",
    "#set text(red) $x^2$",
    "=cmd|' /C calc'!A0",
    "*not bold* _not italic_ [not a link](http://example.com) `not code`",
    "&amp; &lt;b&gt;",
    "- not a list",
    "1. not a numbered list",
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_lines() -> list[str]:
    """The seed's heading, question and answer lines, repaired where the PDF extraction broke them."""
    raw = SEED.read_text(encoding="utf-8")
    raw = raw.replace("Νο", "No").replace("Туре", "Type").replace("<u>", "").replace("</u>", "")
    lines = [line for line in raw.splitlines() if line.strip()]
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if re.fullmatch(r"[-\s]+", line) or line.endswith("\t163"):
            continue  # table rulings and a stray extraction line
        cells = line.split("\t")
        # A table row whose question wrapped: "…, does\tYes" then "it present a consistent view?\t".
        if len(cells) == 2 and cells[1].strip() in ("Yes", "No") and not cells[0].rstrip().endswith("?"):
            question = cells[0]
            while i < len(lines) and lines[i].endswith("\t") and lines[i].count("\t") == 1:
                question += " " + lines[i].strip()
                i += 1
            out.append(f"{question} {cells[1]}")
            continue
        # An empty table cell repeated as the heading of the long answer that follows.
        if line.endswith("\t") and i < len(lines) and lines[i].strip() == line.strip() + ".":
            continue
        out.append(line)
    return [_norm(line) for line in out]


@pytest.fixture(scope="module")
def example():
    loaded = store.read(EXAMPLE)
    return form_for(loaded.assessment)[0], loaded.assessment


def test_text_export_reproduces_every_seed_line_in_order(example):
    form, assessment = example
    text = _norm(render_text(build_report(form, assessment)))
    position = 0
    for line in seed_lines():
        found = text.find(line, position)
        assert found >= 0, f"seed line missing or out of order: {line[:100]!r}"
        position = found + len(line)


def test_text_export_numbering_follows_the_seed(example):
    form, assessment = example
    text = render_text(build_report(form, assessment))
    headings = re.findall(r"^(\d+(?:\.\d+)*) (.+)$", text, flags=re.MULTILINE)
    numbers = [n for n, _ in headings]
    assert numbers[:7] == ["1", "2", "2.1", "2.2", "2.3", "2.4", "3"]
    assert ("3.3", "Religion or Belief - Assessment Questions") in headings
    assert ("3.6", "Concluding Statement on Full Assessment") in headings
    assert numbers[-2:] == ["4", "5"]
    assert text.rstrip().endswith("There are no relevant issues, so no action plans are currently required.")


def _hostile_assessment(example):
    form, assessment = example
    a = assessment.model_copy(deep=True)
    joined = "\n".join(HOSTILE)
    a.characteristics["age"].answers["meets_needs"].answer = joined
    a.characteristics["age"].answers["meets_needs"].comment = " ".join(HOSTILE)
    a.header["ea_name"] = "<b>Name</b> | with # marks"
    return form, a


def test_markdown_keeps_hostile_text_literal(example):
    form, a = _hostile_assessment(example)
    md = render_md(build_report(form, a))
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script>" not in rendered
    text = _TextCollector.collect(rendered)
    for value in HOSTILE:
        assert _norm(value) in _norm(text.text), value
    # The header table still has exactly two cells per row, whatever the name holds.
    assert "<b>" not in rendered
    assert "&lt;b&gt;Name&lt;/b&gt; | with # marks" in rendered
    headings = re.findall(r"<h\d>(.*?)</h\d>", rendered)
    assert not any("Not a heading" in h for h in headings)
    # A line typed as a list item is a list (issue 17), its words literal; nothing else is.
    section = rendered.split("Age - Impact")[1].split("Age - Consultation")[0]
    assert re.findall(r"<li>(.*?)</li>", section) == ["not a list", "not a numbered list"]


class _TextCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data + " "

    @classmethod
    def collect(cls, markup: str) -> _TextCollector:
        parser = cls()
        parser.feed(markup)
        return parser


def test_html_keeps_hostile_text_literal(example):
    form, a = _hostile_assessment(example)
    page = render_html(build_report(form, a))
    parsed = _TextCollector.collect(page)
    assert not any(tag == "script" for tag, _ in parsed.tags)
    assert not any(tag == "b" for tag, _ in parsed.tags)
    for value in HOSTILE:
        assert _norm(value) in _norm(parsed.text), value


def test_html_is_accessible_self_contained_and_printable(example):
    form, assessment = example
    page = render_html(build_report(form, assessment))
    parsed = _TextCollector.collect(page)
    tags = [t for t, _ in parsed.tags]
    assert parsed.tags[0] == ("html", {"lang": "en-GB"})
    assert tags.count("h1") == 1
    levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), "heading levels skip"
    assert all(attrs.get("scope") in ("col", "row") for t, attrs in parsed.tags if t == "th")
    assert not any(t in ("link", "img", "script", "iframe") for t in tags)
    assert "http://" not in page and "https://" not in page
    # Printed, a page breaks where the content runs out, not before every section (issue 17).
    assert "@media print" in page and "break-before: page" not in page
    assert '<meta name="viewport"' in page
    assert "3.1.2 Age - Impact" in parsed.text


# -- batch export ---------------------------------------------------------------------


def _export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "good.toml")
    text = EXAMPLE.read_text(encoding="utf-8")
    (folder / "good-copy.toml").write_text(text, encoding="utf-8")
    (folder / "malformed.toml").write_text(
        text.replace('directorate = "People"', 'directorate = "People'), encoding="utf-8"
    )
    (folder / "wrong-schema.toml").write_text(
        text.replace("relevant = true", 'relevant = "maybe"', 1), encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_exports_good_files_and_reports_bad_ones(batch, tmp_path, jobs):
    out = tmp_path / "out"
    code, stdout, stderr = _export(str(batch), "--format", "txt,md,html", "--out", str(out), "--jobs", jobs)
    assert code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"EA002326-adult-social-care-commissioning-strategy{suffix}.{ext}"
        for suffix in ("", "-2")
        for ext in ("txt", "md", "html")
    )
    assert "malformed.toml, line 9" in stderr and "not valid TOML" in stderr
    assert "wrong-schema.toml, line" in stderr and "characteristics.age.relevant" in stderr
    assert "Traceback" not in stderr + stdout


def test_batch_json_summary(batch, tmp_path):
    code, stdout, _ = _export(
        str(batch), "--format", "md", "--out", str(tmp_path / "o"), "--json", "--jobs", "1"
    )
    assert code == 1
    summary = json.loads(stdout)
    assert summary["exported"] == 2 and summary["failed"] == 2
    by_name = {Path(f["file"]).name: f for f in summary["files"]}
    assert by_name["good.toml"]["ok"] and by_name["good.toml"]["outputs"][0].endswith(".md")
    assert by_name["malformed.toml"]["error"]["line"] == 9
    assert by_name["wrong-schema.toml"]["error"]["key"] == "characteristics.age.relevant"


def test_rerun_is_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        code, _, _ = _export(str(EXAMPLE), "--format", "txt,md,html", "--out", str(out), "--jobs", "1")
        assert code == 0
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes()


def test_output_names_are_sanitised(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('reference = "EA002326"', 'reference = "../../etc/passwd\\u0007"')
    text = text.replace(
        'ea_name = "Adult Social Care Commissioning Strategy"', 'ea_name = "A/B\\\\C: ..\\n x"'
    )
    source = tmp_path / "evil.toml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = _export(str(source), "--format", "md", "--out", str(out), "--jobs", "1")
    assert code == 0, stderr
    (written,) = list(out.iterdir())
    assert written.parent == out
    assert written.name == "etc-passwd-a-b-c-x.md"
    assert not any(ord(ch) < 32 for ch in written.name)


def test_bad_arguments_exit_2(tmp_path):
    assert _export(str(EXAMPLE), "--format", "pdf,odt", "--out", str(tmp_path))[0] == 2
    assert _export(str(tmp_path / "missing.toml"), "--out", str(tmp_path))[0] == 2
    assert _export("--out", str(tmp_path))[0] == 2


def test_show_renders_the_same_tree(example):
    result = CliRunner().invoke(main, ["show", str(EXAMPLE), "--width", "120"])
    assert result.exit_code == 0
    form, assessment = example
    for heading in build_report(form, assessment).headings():
        assert heading.text in result.stdout


def test_action_plan_lists_actions_instead_of_the_no_actions_sentence(example):
    import datetime as dt

    from eqia.document.model import ActionItem

    form, assessment = example
    a = assessment.model_copy(deep=True)
    a.actions.append(
        ActionItem(
            issue="Few responses from Gypsy and Traveller communities",
            characteristics=["race"],
            action="Run two drop-in sessions on site",
            owner="Jane Smith",
            target_date=dt.date(2027, 3, 31),
            success_measure="Twenty responses",
        )
    )
    report = build_report(form, a)
    text = render_text(report)
    section = text.split("5 Action Plan", 1)[1]
    assert "There are no relevant issues" not in section
    assert "Protected characteristic(s)\tRace" in section
    assert "Responsible officer\tJane Smith" in section
    assert "Target date\t31/03/27" in section
    assert "drop\\-in" not in render_md(report)  # a hyphen inside text needs no escape
    assert "| **Action** | Run two drop-in sessions on site |" in render_md(report)
