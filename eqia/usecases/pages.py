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
MISSING_RULES = frozenset({"EQ004", "EQ005", "EQ009", "EQ024", "EQ025"})
"""Findings that say work is still to do (an answer, a decision, a reason not given yet), not that
something is wrong: a page with only these is not started or in progress, never "has problems"."""


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
    elif key_path[:1] == ("characteristics",) and len(key_path) == 3:
        # All of a characteristic's answers (none given yet, say): its first page of questions,
        # not the relevance test, which was answered as it should be.
        first = _first_page_of(all_pages, key_path)
        if first is not None:
            return first
    for length in (4, 2, 1):
        prefix = tuple(key_path[:length])
        for page in all_pages:
            if prefix in page.owns:
                return page
    return None


def _first_page_of(all_pages: list[Page], answers: KeyPath) -> Page | None:
    """The first page that owns answers under a characteristic's answers key path."""
    for page in all_pages:
        if any(key[:3] == answers for key in page.owns):
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
            if len(key) == 2 and (rec.relevant is not None or rec.full_assessment is not None or rec.reason):
                return True
            if len(key) == 4 and key[3] in rec.answers:
                return True
        if key[0] == "actions" and a.actions:
            return True
        if key[0] == "include" and a.include:
            return True
    return False


# -- the outline the sidebar shows ------------------------------------------------------

RowKind = Literal["page", "heading", "group", "relevance"]


@dataclass(slots=True)
class OutlineRow:
    """One line of the outline, in report order: a page, a heading with no page of its own (2 Initial
    Assessment), a characteristic's group (3.2 Disability), or its relevance line (3.2.1), which
    takes the user to the relevance test at that characteristic."""

    id: str
    label: str
    """The number and title as the outline shows them; a characteristic's pages without its name."""
    depth: int
    """0 for top-level sections, one more per level of the report's numbering."""
    kind: RowKind
    page_id: str | None = None
    """The page the row goes to: its own, the relevance test's, or a group's first page."""
    characteristic: str | None = None
    key: str | None = None
    """A relevance line: the dotted key path of the answer to put the focus in."""
    state: State | None = None
    """Headings have none; a group has the state of its pages taken together."""


def outline(
    form: FormSpec, assessment: Assessment, all_pages: list[Page], findings: list[Finding]
) -> list[OutlineRow]:
    """The sidebar's outline: every numbered heading of the report, each with the page it goes to."""
    by_id = {p.id: p for p in all_pages}
    by_page = findings_by_page(all_pages, findings)
    states = {p.id: state(p, assessment, by_page[p.id]) for p in all_pages}
    relevance = next((p.id for p in all_pages if p.kind == "relevance"), None)
    rows: list[OutlineRow] = []
    if "header" in by_id:
        rows.append(OutlineRow("header", by_id["header"].label, 0, "page", "header", state=states["header"]))
    for entry in numbered(form, assessment):
        depth = max(entry.level - 2, 0)
        char, section = entry.characteristic, entry.section
        cid = char.id if char is not None else None
        if section is None and char is not None:
            inside = [p for p in all_pages if p.characteristic is not None and p.characteristic.id == cid]
            rows.append(
                OutlineRow(
                    f"group:{cid}",
                    f"{entry.number} {char.label}",
                    depth,
                    "group",
                    inside[0].id if inside else relevance,
                    cid,
                    state=_together([states[p.id] for p in inside]),
                )
            )
            continue
        if section is None:
            continue
        title = _within(entry.title, char)
        if section.kind == "characteristic_relevance" and cid is not None:
            rows.append(
                OutlineRow(
                    f"relevance:{cid}",
                    f"{entry.number} {title}",
                    depth,
                    "relevance",
                    relevance,
                    cid,
                    key=f"characteristics.{cid}.{'reason' if form.relevance.reasons else 'relevant'}",
                    state=_relevance_state(assessment, cid, findings),
                )
            )
            continue
        page_id = section.id if cid is None else f"{section.id}:{cid}"
        label = f"{entry.number} {title}" if entry.number else title
        if page_id in by_id:
            rows.append(OutlineRow(page_id, label, depth, "page", page_id, cid, state=states[page_id]))
        else:
            rows.append(OutlineRow(f"heading:{page_id}", label, depth, "heading"))
    return rows


def _within(title: str, char: Characteristic | None) -> str:
    """A characteristic's page title inside its group: "Disability - Impact" reads "Impact"."""
    if char is None or not title.startswith(char.label):
        return title
    rest = title[len(char.label) :].lstrip(" -\u2013\u2014:,")
    return rest[:1].upper() + rest[1:] if rest else title


def _together(states: list[State]) -> State:
    """The state of a group of pages: has problems if one has, complete if all are, and so on."""
    if not states or all(s == "not started" for s in states):
        return "not started"
    if "has problems" in states:
        return "has problems"
    return "complete" if all(s == "complete" for s in states) else "in progress"


def _relevance_state(assessment: Assessment, cid: str, findings: list[Finding]) -> State:
    """The relevance decision for one characteristic (and its reason), as a page's state."""
    mine = [
        f
        for f in findings
        if f.key_path[:2] == ("characteristics", cid) and (len(f.key_path) < 3 or f.key_path[2] != "answers")
    ]
    decision = Page(f"relevance:{cid}", "", "", "relevance", owns={("characteristics", cid)})
    return state(decision, assessment, mine)
