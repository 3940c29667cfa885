"""Provides the published register's pages, laid out from the listings of eqia.report.site_data: the
index (a table of assessments with filters and sortable columns worked by site.js, and search.json
for it), one page per assessment (summary, downloads, action plan, history, then its full report
as render_html lays it out) and one per protected characteristic. One style sheet, the reports'
own with the register's parts added, serves every page.

Pages link to each other by relative address (`a/<stem>/index.html`, `c/<name>.html`), so the
site works from any folder of any web server, and read from disk. Nothing here depends on the
time or on where the site is written: the same listings give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from eqia.document.wording import SITE_LABELS, TEXT_DEFAULTS
from eqia.report.render_html import report_body, text_html
from eqia.report.site_data import Finding, Listing, long_date
from eqia.report.tree import Report, visible_report

_TEMPLATES = Path(__file__).parent / "templates"
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")
REPORT_ANCHORS = "report-"
"""Every anchor of the full report on an assessment's page starts with this, so none is one of the page's."""
ASSESSMENTS = "a"
CHARACTERISTICS = "c"


@dataclass(frozen=True)
class Entry:
    """A published assessment in the register: its listing and the folder its page is written in."""

    listing: Listing
    stem: str

    @property
    def url(self) -> str:
        """Its page, from the site's root."""
        return f"{ASSESSMENTS}/{self.stem}/index.html"

    @property
    def title(self) -> str:
        item = self.listing
        return ": ".join(t for t in (item.reference, item.name) if t) or self.stem


@dataclass
class CharacteristicPage:
    """A protected characteristic's page: every published assessment that found it relevant."""

    cid: str
    label: str
    name: str
    """The page's file name in c/ (without .html)."""
    found: list[tuple[Entry, Finding]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{CHARACTERISTICS}/{self.name}.html"


@lru_cache(maxsize=1)
def _env() -> Environment:
    """The templates, compiled once per process; every value escaped unless marked safe."""
    return Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=True, keep_trailing_newline=True)


def site_words(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The wording of the register's shared pages (the index, the characteristics' pages, every page's
    title and way home): eqia's SITE_LABELS, with any overrides."""
    return {**SITE_LABELS, "skip": TEXT_DEFAULTS["skip_link"], **(overrides or {})}


def in_order(entries: list[Entry]) -> list[Entry]:
    """The register's order: the most recent decision first, those without a date last; then by
    reference and name."""
    ordered = sorted(entries, key=lambda e: (e.listing.reference, e.listing.name, e.stem))
    return sorted(ordered, key=lambda e: e.listing.decision_date, reverse=True)


def language(entries: list[Entry]) -> str:
    """The language of the register's shared pages: its assessments' forms' most common one."""
    counts = Counter(e.listing.language for e in entries)
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else "en-GB"


def characteristic_pages(entries: list[Entry]) -> list[CharacteristicPage]:
    """One page per characteristic id any of the forms asks about (grouped across forms), titled
    with the label most of them give it; each with the assessments that found it relevant."""
    labels: dict[str, Counter[str]] = {}
    for entry in entries:
        for cid, label in entry.listing.characteristics:
            labels.setdefault(cid, Counter())[label] += 1
    pages: dict[str, CharacteristicPage] = {}
    taken: set[str] = set()
    for cid in sorted(labels):
        base = _NOT_NAME.sub("-", cid).strip("-")[:80] or "characteristic"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        counts = labels[cid]
        label = min(counts, key=lambda text: (-counts[text], text))
        pages[cid] = CharacteristicPage(cid, label, name)
    for entry in in_order(entries):
        for finding in entry.listing.findings:
            pages[finding.cid].found.append((entry, finding))
    return sorted(pages.values(), key=lambda p: (p.label.casefold(), p.cid))


def stylesheet() -> str:
    """site.css: the reports' style sheet and the register's additions."""
    return _env().get_template("site/site.css.j2").render(running="")


def script() -> str:
    """site.js: the index's filters, search and sorting."""
    return (_TEMPLATES / "site" / "site.js").read_text(encoding="utf-8")


def index_page(entries: list[Entry], pages: list[CharacteristicPage], words: dict[str, str]) -> str:
    """index.html: the table of every published assessment."""
    entries = in_order(entries)
    lang = language(entries)
    rows = [_row(e, lang) for e in entries]
    full = {cid for entry in entries for cid, _ in entry.listing.full}
    by_cid = {p.cid: p for p in pages}
    return (
        _env()
        .get_template("site/index.html.j2")
        .render(
            lang=lang,
            title=words["title"],
            root="",
            page="index",
            skip=words["skip"],
            site=words,
            trail="",
            count=words["count"].format(count=len(entries)),
            rows=rows,
            directorates=sorted(
                {e.listing.directorate for e in entries if e.listing.directorate},
                key=lambda text: (text.casefold(), text),
            ),
            characteristics=sorted(
                ((c, by_cid[c].label) for c in full), key=lambda p: (p[1].casefold(), p[0])
            ),
            years=sorted({e.listing.year for e in entries if e.listing.year}, reverse=True),
            characteristic_pages=[
                {
                    "url": p.url,
                    "label": p.label,
                    "count": words["characteristic_count"].format(count=len(p.found)),
                }
                for p in pages
            ],
        )
    )


def _row(entry: Entry, lang: str) -> dict[str, Any]:
    item = entry.listing
    return {
        "url": entry.url,
        "reference": item.reference,
        "name": item.name or entry.stem,
        "directorate": item.directorate,
        "year": item.year,
        "cids": json.dumps([cid for cid, _ in item.full], ensure_ascii=False, separators=(",", ":")),
        "decision_date": item.decision_date,
        "decision_shown": long_date(item.decision_date),
        "review_date": item.review_date,
        "review_shown": long_date(item.review_date),
        "full": ", ".join(label for _, label in item.full),
        "open_actions": item.open_actions,
        "lang": item.language if item.language != lang else "",
    }


def search_index(entries: list[Entry]) -> str:
    """search.json: what the index's search and filters read, one record per assessment."""
    records = [
        {
            "url": e.url,
            "reference": e.listing.reference,
            "name": e.listing.name,
            "directorate": e.listing.directorate,
            "year": e.listing.year,
            "characteristics": [cid for cid, _ in e.listing.full],
            "text": e.listing.summary,
        }
        for e in in_order(entries)
    ]
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    return f'{{"assessments":[\n{lines}\n]}}\n'  # a record a line: a rebuild's change reads in a diff


def assessment_page(
    entry: Entry,
    report: Report,
    downloads: list[tuple[str, str, int]],
    pages: dict[str, str],
    words: dict[str, str],
    *,
    show_names: bool = False,
) -> str:
    """An assessment's page, a/<stem>/index.html: its summary, downloads (file name, kind, bytes:
    "pdf" or "docx"), action plan with the latest grades, history of its status (names only with
    show_names), then its full report, every heading under the page's h1. pages: each
    characteristic's page by id, from the site's root."""
    item = entry.listing
    mine = item.words
    report = visible_report(report)
    links = {cid: f"../../{url}" for cid, url in pages.items()}
    findings = [
        {"url": links[f.cid], "label": f.label, "full": f.full, "decision": f.decision}
        for f in item.findings
        if f.cid in links
    ]
    return (
        _env()
        .get_template("site/assessment.html.j2")
        .render(
            lang=item.language,
            title=f"{entry.title} – {words['title']}",
            root="../../",
            page="assessment",
            skip=mine["skip_link"],
            site={**words, **{k: mine[k] for k in ("home", "breadcrumb") if k in mine}},
            trail=item.name or entry.title,
            item=item,
            words=mine,
            summary=Markup(text_html(item.summary)) if item.summary else "",
            findings=findings,
            downloads=[_download(name, kind, size, mine) for name, kind, size in downloads],
            links=links,
            show_names=show_names,
            report_title=report.title,
            report=Markup(report_body(report, shift=1, prefix=REPORT_ANCHORS)),
        )
    )


def _download(name: str, kind: str, size: int, words: dict[str, str]) -> dict[str, str]:
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    return {"href": name, "type": types[kind], "text": f"{words[kind]} ({file_size(size)})"}


def file_size(size: int) -> str:
    """A download's size as people read it: "152 KB", "1.4 MB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def characteristic_page(page: CharacteristicPage, words: dict[str, str], lang: str) -> str:
    """A characteristic's page, c/<name>.html: each published assessment that found it relevant, with
    its decision and reason, what a full assessment found (its yes/no and choice answers) and the
    actions for it with their latest grades; each in its own form's words."""
    entries = []
    for number, (entry, finding) in enumerate(page.found, start=1):
        own = entry.listing.language
        entries.append(
            {
                "anchor": f"assessment-{number}",
                "url": f"../{entry.url}",
                "title": entry.title,
                "finding": finding,
                "words": entry.listing.words,
                "lang": own if own != lang else "",
            }
        )
    return (
        _env()
        .get_template("site/characteristic.html.j2")
        .render(
            lang=lang,
            title=f"{page.label} – {words['title']}",
            root="../",
            page="characteristic",
            skip=words["skip"],
            site=words,
            trail=page.label,
            label=page.label,
            intro=words["characteristic_intro"].format(count=len(page.found)),
            entries=entries,
        )
    )
