"""Provides the walkthrough's pages: the order a policy officer answers in, and each page's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from eqia.document.form import Characteristic, FormSpec, Section
from eqia.document.keypath import KeyPath
from eqia.document.model import Assessment
from eqia.document.outline import numbered, slots
from eqia.quality.checks import Finding

State = Literal["not started", "in progress", "complete", "has problems"]
MISSING_RULES = frozenset({"EQ004", "EQ005", "EQ024"})
"""Findings that say something is still to be filled in: the page is in progress, not in trouble."""


@dataclass(slots=True)
class Page:
    id: str
    number: str
    title: str
    kind: str
    """header, activity_type, questions, relevance, options or action_plan."""
    section: Section | None = None
    characteristic: Characteristic | None = None
    values: dict[str, str] = field(default_factory=dict)
    owns: set[KeyPath] = field(default_factory=set)
    """Key-path prefixes whose findings belong to this page."""

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


def pages(form: FormSpec, assessment: Assessment) -> list[Page]:
    """Header, then every numbered section that asks something, in report order."""
    header_owns = {("header", h.id) for h in form.header if h.kind != "activity_type"}
    out = [Page("header", "", "Header details", "header", owns=header_owns)]
    for entry in numbered(form, assessment):
        section = entry.section
        if section is None or section.kind in ("group", "characteristic_relevance"):
            continue
        char = entry.characteristic
        page_id = section.id if char is None else f"{section.id}:{char.id}"
        page = Page(page_id, entry.number, entry.title, section.kind, section, char, entry.values)
        if section.kind == "activity_type":
            page.owns = {("header", h.id) for h in form.header if h.kind == "activity_type"}
        elif section.kind == "relevance":
            page.owns = {("characteristics", c.id) for c in form.characteristics}
        elif section.kind == "action_plan":
            page.owns = {("actions",)}
        elif section.kind == "options":
            page.owns = {("include",)}
        else:
            page.kind = "questions"
            for slot in slots(form, assessment, section, char, shown_only=False, values=entry.values):
                page.owns.add(slot.key_path[:4] if char else slot.key_path[:2])
        out.append(page)
    return out


def page_of(all_pages: list[Page], key_path: KeyPath) -> Page | None:
    """The page a key path (of a finding) belongs to."""
    if key_path[:1] == ("characteristics",) and len(key_path) >= 3 and key_path[2] != "answers":
        key_path = key_path[:2]
    for length in (4, 2, 1):
        prefix = tuple(key_path[:length])
        for page in all_pages:
            if prefix in page.owns:
                return page
    return None


def findings_by_page(all_pages: list[Page], findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {p.id: [] for p in all_pages}
    for finding in findings:
        page = page_of(all_pages, finding.key_path)
        if page is not None:
            out[page.id].append(finding)
    return out


def state(page: Page, assessment: Assessment, findings: list[Finding]) -> State:
    """not started / in progress / complete / has problems, from answers and findings."""
    if any(f.rule not in MISSING_RULES and f.severity in ("error", "warning") for f in findings):
        return "has problems"
    missing = any(f.rule in MISSING_RULES for f in findings)
    if not missing:
        return "complete"
    return "in progress" if _answered_something(page, assessment) else "not started"


def _answered_something(page: Page, a: Assessment) -> bool:
    for key in page.owns:
        if key[0] == "header" and a.header.get(str(key[1])):
            return True
        if key[0] == "answers" and key[1] in a.answers:
            return True
        if key[0] == "characteristics":
            rec = a.characteristics.get(str(key[1]))
            if rec is None:
                continue
            if len(key) == 2 and (rec.relevant is not None or rec.full_assessment is not None):
                return True
            if len(key) == 4 and key[3] in rec.answers:
                return True
        if key[0] == "actions" and a.actions:
            return True
        if key[0] == "include" and a.include:
            return True
    return False
