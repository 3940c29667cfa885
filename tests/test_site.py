"""eqia site: the public register of published assessments, as a reader and a web server see it. Only
published assessments are on it, with their pages, downloads, action plans, history (names only when
asked) and characteristics' pages; a rebuild of the same files changes no byte; an assessment no longer
published is removed; bad input or a blocked assessment changes nothing. In headless Chromium, every
page passes axe-core at 1280 and 390 px, and the index's filters, search and sorting work."""

from __future__ import annotations

import datetime as dt
import html.parser
import itertools
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import tomlkit
from browser import axe_script, chromium, dump_dom, launched, probe, served
from click.testing import CliRunner, Result

from eqia.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "assessments"
CARE = "EA002401-care-at-home-review.toml"
LIBRARY = "EX-psed-library-opening-hours.toml"
WORKED = "EA002326-adult-social-care-commissioning.toml"
PHLEBOTOMY = "EX-nhs-community-phlebotomy.toml"
CARE_STEM = "EA002401-care-at-home-review"
LIBRARY_STEM = "EQIA-2026-041-library-opening-hours-and-library-plus-access"
PEOPLE = ("Alice Author", "Quentin Checker", "Pat Publisher")
STEPS = {
    "published": [
        ("submitted", PEOPLE[0], dt.datetime(2027, 1, 5, 9, 30)),
        ("approved", PEOPLE[1], dt.datetime(2027, 1, 20, 14, 0)),
        ("published", PEOPLE[2], dt.datetime(2027, 2, 12, 10, 0)),
    ],
    "returned": [
        ("submitted", PEOPLE[0], dt.datetime(2027, 1, 5, 9, 30)),
        ("returned", PEOPLE[1], dt.datetime(2027, 1, 9, 11, 0)),
    ],
    "draft": [],
}
RACE_REASON = "Readers whose first language is not English rely on staffed help more than most."


def set_status(path: Path, status: str) -> None:
    """Give an assessment a review status and the history that leads to it, as eqia would record it."""
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    review = doc["review"]
    review["status"] = status
    history = tomlkit.aot()
    for step, by, at in STEPS[status]:
        entry = tomlkit.table()
        entry["status"], entry["by"], entry["at"] = step, by, at
        history.append(entry)
    if "history" in review:
        del review["history"]
    if len(history):
        review["history"] = history
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four shipped examples: two published (one Birmingham, one psed-england), one returned, one
    a draft; in folders, as the register searches them."""
    folder = tmp_path_factory.mktemp("assessments")
    (folder / "birmingham").mkdir()
    for name, sub in ((CARE, "birmingham"), (WORKED, "birmingham"), (LIBRARY, ""), (PHLEBOTOMY, "")):
        shutil.copyfile(SHIPPED / name, folder / sub / name)
    set_status(folder / "birmingham" / CARE, "published")
    set_status(folder / LIBRARY, "published")
    set_status(folder / PHLEBOTOMY, "returned")
    set_status(folder / "birmingham" / WORKED, "draft")
    library = folder / LIBRARY
    doc = tomlkit.parse(library.read_text(encoding="utf-8"))
    doc["characteristics"]["race"]["reason"] = RACE_REASON
    library.write_text(tomlkit.dumps(doc), encoding="utf-8")
    return folder


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["site", *args])


@pytest.fixture(scope="module")
def site(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    result = run(str(source), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert (
        result.output == f"Built {out}: 2 published assessments, 12 characteristic pages; 23 files changed\n"
    )
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- what a reader sees -------------------------------------------------------------------------


class Page(html.parser.HTMLParser):
    """A page's headings, links, tables (rows of cell texts) and text, and the elements' attributes."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self._heading: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._cell: list[str] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", [])
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading).strip()))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], "".join(self._link[1]).strip()))
            self._link = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text += data
        for part in (self._heading, self._cell, self._link[1] if self._link else None):
            if part is not None:
                part.append(data)

    def attrs(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def test_only_published_assessments_are_listed_and_have_pages(site):
    index = Page(site / "index.html")
    register = index.tables[0]
    assert [row[0] for row in register[1:]] == ["EQIA-2026-041", "EA002401"]  # newest decision first
    assert sorted(p.name for p in (site / "a").iterdir()) == [CARE_STEM, LIBRARY_STEM]
    for stem in (CARE_STEM, LIBRARY_STEM):
        assert (site / "a" / stem / f"{stem}.pdf").read_bytes().startswith(b"%PDF-")
        assert zipfile.ZipFile(site / "a" / stem / f"{stem}.docx").testzip() is None
    everything = b"".join(files_of(site).values())
    for left_out in (b"EA002326", b"Adult Social Care Commissioning", b"EHIA-2026-017", b"phlebotomy"):
        assert left_out not in everything


def test_the_index_shows_each_assessments_facts(site):
    index = Page(site / "index.html")
    head, library, care = index.tables[0]
    assert head == [
        "Reference",
        "Name",
        "Directorate or department",
        "Decision date",
        "Review date",
        "Full assessment",
        "Open actions",
    ]
    assert library == [
        "EQIA-2026-041",
        "Library opening hours and Library Plus access",
        "Communities Directorate: Libraries and Culture",
        "9 February 2027",
        "1 May 2028",
        "Age, Disability, Marriage and civil partnership, Rural communities",
        "2",
    ]
    assert care[:3] == ["EA002401", "Care at Home Review", "Adults, Health and Wellbeing"]
    assert care[3] == ""  # no decision date recorded
    assert care[5:] == ["Age, Disability", "5"]
    assert (f"a/{LIBRARY_STEM}/index.html", "Library opening hours and Library Plus access") in index.links
    assert ("c/rural.html", "Rural communities") in index.links
    assert "Published assessments: 2." in index.text
    # Without script the filters are hidden: the table reads on its own.
    assert index.attrs("div")[0] == {"class": "filters", "id": "filters", "hidden": None}


def test_search_json_holds_what_the_filters_and_search_read(site):
    data = json.loads((site / "search.json").read_text(encoding="utf-8"))
    library, care = data["assessments"]
    assert library == {
        "url": f"a/{LIBRARY_STEM}/index.html",
        "reference": "EQIA-2026-041",
        "name": "Library opening hours and Library Plus access",
        "directorate": "Communities Directorate: Libraries and Culture",
        "year": "2027",
        "characteristics": ["age", "disability", "marriage_civil_partnership", "rural"],
        "text": library["text"],
    }
    assert library["text"].startswith("The council must save money on its libraries.")
    assert care["year"] == "" and care["directorate"] == "Adults, Health and Wellbeing"


def test_an_assessment_page_puts_its_summary_downloads_actions_and_history_before_its_report(site):
    page = Page(site / "a" / LIBRARY_STEM / "index.html")
    assert page.headings[:6] == [
        (1, "Library opening hours and Library Plus access"),
        (2, "Summary"),
        (2, "Download the report"),
        (2, "Action plan"),
        (2, "History"),
        (2, "Equality Impact Assessment"),  # the report's own title, one level down
    ]
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    summary = page.text.split("Summary", 1)[1]
    assert summary.lstrip().startswith("The council must save money on its libraries.")
    assert any(
        href == f"{LIBRARY_STEM}.pdf" and re.fullmatch(r"PDF \(\d+ KB\)", text) for href, text in page.links
    )
    assert any(
        href == f"{LIBRARY_STEM}.docx" and text.startswith("Word document (") for href, text in page.links
    )
    actions = page.tables[0]
    assert actions[0] == [
        "Item",
        "Action",
        "Characteristics or groups affected",
        "Target date",
        "Latest grade",
    ]
    assert [row[0] for row in actions[1:]] == ["Action 1", "Action 2"]
    assert [row[-1] for row in actions[1:]] == ["Not graded yet", "Not graded yet"]
    assert ("../../c/rural.html", "Rural communities") in page.links
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert all(
        i.startswith("report-")
        for i in ids
        if i not in ("content", "summary", "downloads", "action-plan", "history")
    )


def test_an_action_plan_shows_each_actions_latest_grade(site):
    page = Page(site / "a" / CARE_STEM / "index.html")
    grades = [row[-1] for row in page.tables[0][1:]]
    assert grades == [
        "1 (Fully Achieved)",
        "1 (Fully Achieved)",
        "2 (On-Track)",
        "1 (Fully Achieved)",
        "1 (Fully Achieved)",
    ]
    assert page.headings[3] == (2, "Action Plan")  # the form's own title of its plan


def test_history_shows_dates_and_statuses_but_no_names(site):
    page = Page(site / "a" / LIBRARY_STEM / "index.html")
    history = page.tables[1]
    assert history == [
        ["Date", "Status"],
        ["05/01/2027", "Submitted for review"],
        ["20/01/2027", "Approved"],
        ["12/02/2027", "Published"],
    ]
    for name in PEOPLE:
        assert name.encode() not in b"".join(files_of(site).values())


def test_show_names_adds_who_made_each_change(source, tmp_path):
    out = tmp_path / "site"
    result = run(str(source), "--out", str(out), "--show-names", "--jobs", "1")
    assert result.exit_code == 0, result.output
    history = Page(out / "a" / CARE_STEM / "index.html").tables[1]
    assert history[0] == ["Date", "Status", "By"]
    assert [row[2] for row in history[1:]] == list(PEOPLE)
    assert history[1][0] == "05/01/27"  # the Birmingham form's own date format


def test_a_characteristics_page_lists_the_assessments_that_found_it_relevant(site):
    age = Page(site / "c" / "age.html")
    assert age.headings[0] == (1, "Age")
    assert [h for level, h in age.headings if level == 2] == [
        "EQIA-2026-041: Library opening hours and Library Plus access",
        "EA002401: Care at Home Review",
    ]
    assert (
        f"../a/{LIBRARY_STEM}/index.html",
        "EQIA-2026-041: Library opening hours and Library Plus access",
    ) in (age.links)
    text = " ".join(age.text.split())
    assert "Full assessment needed" in text and "Full Assessment Required" in text  # each form's words
    assert (
        "Could the service put people of different ages at a disadvantage, or treat anyone unfavourably "
        "because of their age? Yes"
    ) in text
    assert "Advance equality of opportunity: Negative" in text  # each aim's effect
    assert "Action 3: Establish regular item" in text and "(Latest grade: 2 (On-Track))" in text
    race = " ".join(Page(site / "c" / "race.html").text.split())
    assert f"Relevance Relevant, no full assessment Reason {RACE_REASON}" in race
    none = Page(site / "c" / "sexual_orientation.html")
    assert "No published assessment found this characteristic relevant." in none.text


# -- rebuilding -----------------------------------------------------------------------------------


def test_a_rebuild_changes_no_file_and_depends_on_no_time_or_place(source, site, tmp_path):
    before = files_of(site)
    mtimes = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    result = run(str(source), "--out", str(site), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("; 0 files changed\n")
    assert files_of(site) == before
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == mtimes
    assert not list(site.parent.glob(".*eqia-build*"))
    # Built elsewhere, from a copy elsewhere, another day: the same bytes, PDF and Word included.
    elsewhere = tmp_path / "copy"
    shutil.copytree(source, elsewhere)
    result = run(str(elsewhere), "--out", str(tmp_path / "other"), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert files_of(tmp_path / "other") == before
    for data in before.values():
        assert str(tmp_path.parent).encode() not in data and str(source).encode() not in data
    assert dt.date.today().isoformat().encode() not in b"".join(before.values())


def test_an_assessment_no_longer_published_is_removed_and_nothing_else(source, site, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "site"
    shutil.copytree(source, folder)
    shutil.copytree(site, out)
    (out / "CNAME").write_text("register.example.org\n")
    (out / "a" / "notes.txt").write_text("kept\n")
    set_status(folder / LIBRARY, "draft")
    result = run(str(folder), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Built {out}: 1 published assessment, 9 characteristic pages;")
    assert not (out / "a" / LIBRARY_STEM).exists()
    assert (out / "a" / CARE_STEM / "index.html").exists()
    assert not (out / "c" / "rural.html").exists()  # only its form asked about rural communities
    assert (out / "CNAME").read_text() == "register.example.org\n" and (out / "a" / "notes.txt").exists()
    assert b"EQIA-2026-041" not in b"".join(files_of(out).values())
    manifest = json.loads((out / ".eqia-site.json").read_text())
    assert sorted(manifest["files"]) == sorted(
        n for n in files_of(out) if n not in ("CNAME", "a/notes.txt", ".eqia-site.json")
    )


def test_bad_toml_stops_the_build_and_changes_nothing(source, site, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "site"
    shutil.copytree(source, folder)
    shutil.copytree(site, out)
    set_status(folder / LIBRARY, "draft")  # a change the build would make, were the input good
    broken = folder / "birmingham" / "broken.toml"
    broken.write_text('schema_version = 1\nform = "birmingham-ea"\nform_version = "1.1.0"\n[header\n')
    before = files_of(out)
    result = run(str(folder), "--out", str(out), "--jobs", "2")
    assert result.exit_code == 2
    assert re.fullmatch(rf"eqia: error: {re.escape(str(broken))}, line 4: .*\n", result.output), result.output
    assert files_of(out) == before
    assert not list(tmp_path.glob(".*eqia-build*"))


def test_nothing_published_is_said_plainly(source, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(source, folder)
    for path in folder.rglob("*.toml"):
        set_status(path, "draft")
    result = run(str(folder), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "is published, so there is nothing to put on the register" in result.output
    assert not (tmp_path / "site").exists()


def test_personal_data_stops_the_build_before_anything_is_written(source, tmp_path):
    path = source / LIBRARY
    text = path.read_text(encoding="utf-8")
    marker = "Legal Services agreed on 3 November 2026."
    assert marker in text
    path.write_text(text.replace(marker, marker + " Ring Jo on 07700 900123."), encoding="utf-8")
    out = tmp_path / "site"
    result = run(str(source), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 1
    assert f"{path}" in result.output and "a UK phone number (\u201c07700 900123\u201d)" in result.output
    assert not out.exists() and not list(tmp_path.glob(".*eqia-build*"))
    kept = CliRunner().invoke(
        main,
        [
            "keep",
            str(path),
            "answers.hr_engaged.comment",
            "07700 900123",
            "--why",
            "Public line",
            "--by",
            "QC",
        ],
    )
    assert kept.exit_code == 0, kept.output
    assert run(str(source), "--out", str(out), "--jobs", "1").exit_code == 0


def test_the_summary_is_the_forms_summary_for_the_public(tmp_path):
    from eqia.files.forms import load_form
    from eqia.files.store import read
    from eqia.report.site_data import directorate, summary

    form = load_form("psed-england")
    assessment = read(SHIPPED / LIBRARY).assessment
    assert summary(form, assessment).startswith("The council must save money on its libraries.")
    doc = tomlkit.parse((SHIPPED / LIBRARY).read_text(encoding="utf-8"))
    del doc["header"]["public_summary"]
    (tmp_path / "a.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
    unwritten = read(tmp_path / "a.toml").assessment
    assert summary(form, unwritten).startswith("The council proposes to reduce")  # the header's summary
    nhs = read(SHIPPED / PHLEBOTOMY)
    assert directorate(load_form("nhs-ehia"), nhs.assessment) == "Strategic Commissioning: Community Services"


# -- in a browser -------------------------------------------------------------------------------------

AXE_AND_WIDTH = """
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  report({violations: r.violations.map(function (v) {
    return [v.id, v.nodes.map(function (n) { return n.target.join(' '); })];
  }), overflow: document.documentElement.scrollWidth - window.innerWidth});
}, function (e) { report({violations: ['axe failed', String(e)], overflow: 0}); });
"""


def test_every_page_passes_axe_core_at_1280_and_390_px(site, tmp_path):
    axe = axe_script()
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert len(pages) == 1 + 2 + 12
    found: dict[tuple[str, int], object] = {}
    with launched() as browser, served(site) as address:
        if browser is None:  # Playwright cannot start Chromium here: each page in an iframe instead
            folder = tmp_path / "copy"
            shutil.copytree(site, folder)
            for name in pages:
                path = folder / name
                for width in (1280, 390):
                    value = probe(
                        chromium(),
                        path.parent,
                        f"probe-{path.stem}",
                        path.read_text(),
                        axe + AXE_AND_WIDTH,
                        width,
                    )
                    found[(name, width)] = value
        else:
            for width in (1280, 390):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for name in pages:
                    page.goto(address + name)
                    page.wait_for_load_state("load")
                    page.evaluate(axe)
                    found[(name, width)] = page.evaluate(
                        "() => axe.run(document, {resultTypes: ['violations']}).then(r => ({"
                        "violations: r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]),"
                        "overflow: document.documentElement.scrollWidth - window.innerWidth}))"
                    )
                context.close()
    for (name, width), value in found.items():
        assert value["violations"] == [], (name, width, value)
        assert value["overflow"] <= 0, (name, width)  # a wide table scrolls in its own region


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#register tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    )


def test_filters_search_and_sorting_work_in_a_browser(site):
    with launched() as browser, served(site) as address:
        if browser is None:
            pytest.skip("Playwright cannot start Chromium here (test_filters_from_a_link covers --dump-dom)")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(address + "index.html")
        page.wait_for_load_state("networkidle")  # search.json read
        page.wait_for_function("document.getElementById('shown').textContent !== ''")
        assert page.is_visible("#filters")
        assert page.text_content("#shown") == "2 of 2 assessments shown"
        page.fill("#q", "library")
        assert _visible_rows(page) == ["EQIA-2026-041"]
        page.wait_for_function("document.getElementById('shown').textContent === '1 of 2 assessments shown'")
        page.fill("#q", "scrutiny review")  # words of a summary, not of a name: search.json was read
        assert _visible_rows(page) == ["EA002401"]
        page.fill("#q", "")
        page.select_option("#characteristic", "rural")
        assert _visible_rows(page) == ["EQIA-2026-041"]
        page.select_option("#characteristic", "age")
        assert _visible_rows(page) == ["EQIA-2026-041", "EA002401"]
        page.select_option("#year", "2027")
        assert _visible_rows(page) == ["EQIA-2026-041"]
        assert page.evaluate("location.hash") == "#c=age&y=2027"  # a filtered view is a link to share
        page.select_option("#year", "")
        page.select_option("#directorate", "Adults, Health and Wellbeing")
        assert _visible_rows(page) == ["EA002401"]
        page.select_option("#directorate", "")
        # Sorting: a button in each column head, its state in aria-sort.
        reference = page.locator("#register thead th", has_text="Reference")
        assert page.get_attribute("#register thead th:nth-child(4)", "aria-sort") == "descending"
        reference.locator("button").click()
        assert reference.get_attribute("aria-sort") == "ascending"
        assert page.get_attribute("#register thead th:nth-child(4)", "aria-sort") is None
        assert _visible_rows(page) == ["EA002401", "EQIA-2026-041"]
        reference.locator("button").click()
        assert reference.get_attribute("aria-sort") == "descending"
        assert _visible_rows(page) == ["EQIA-2026-041", "EA002401"]
        page.locator("#register thead th", has_text="Open actions").locator("button").click()
        assert _visible_rows(page) == ["EQIA-2026-041", "EA002401"]  # 2, then 5
        # Without script: no filters, no buttons, the whole table in its default order.
        plain = browser.new_context(java_script_enabled=False).new_page()
        plain.goto(address + "index.html")
        assert not plain.is_visible("#filters")
        assert plain.locator("#register thead button").count() == 0
        assert plain.eval_on_selector_all("#register tbody tr", "rows => rows.length") == 2


def test_filters_from_a_link_work_read_from_disk(site):
    """Opened from disk (no search.json to fetch), a link's filters still apply, from the rows' own text."""
    dom = dump_dom(chromium(), (site / "index.html").as_uri() + "#q=library%20plus&c=age")
    rows = re.findall(r"<tr data-directorate[^>]*?(hidden=\"\")?>\s*<td>([^<]*)</td>", dom)
    assert sorted(rows) == [("", "EQIA-2026-041"), ('hidden=""', "EA002401")], dom[-3000:]
    assert '<p id="shown" class="shown" role="status"' in dom and "1 of 2 assessments shown" in dom
