"""Provides FormSpec: the schema of a form (questions, wording, order) and its cross-reference checks.

Pure: reading a form file is eqia.files.forms's job."""

from __future__ import annotations

import string
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eqia.document.keypath import KeyPath
from eqia.document.rules import FormRule, check_rules, options_of
from eqia.document.wording import TEXT_DEFAULTS, TEXT_PLACEHOLDERS

QuestionKind = Literal["text", "line", "yes_no", "date", "choice", "repeat"]
FieldKind = Literal["text", "line", "yes_no", "date", "choice"]
HeaderKind = Literal["text", "line", "date", "activity_type"]
SectionKind = Literal[
    "questions", "group", "activity_type", "relevance", "characteristic_relevance", "options", "action_plan"
]

#: Placeholders a question or title template may use, and where.
ASSESSMENT_PLACEHOLDERS = frozenset({"activity", "activity_lower", "activity_type", "a_activity_type"})
CHARACTERISTIC_PLACEHOLDERS = frozenset({"characteristic", "group", "reason"})
EACH_PLACEHOLDERS = frozenset({"item", "theme"})

DEFAULT_FORM = "birmingham-ea"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    question: str
    """The id of a question in the same scope."""
    equals: str
    """The answer that makes the condition hold."""


class RepeatField(_Strict):
    """One column of a repeating group: each row the author adds has one of these."""

    id: str
    label: str
    kind: FieldKind = "line"
    options: tuple[str, ...] = ()


class Question(_Strict):
    id: str
    text: str
    """The question as asked, a template (see the form file's header)."""
    kind: QuestionKind = "text"
    required: bool = False
    comment: bool = True
    """Whether the assessor may add an optional comment."""
    print_question: bool = True
    """False where the report shows only the answer under the section title."""
    options: tuple[str, ...] = ()
    show_if: tuple[Condition, ...] = ()
    applies_to: tuple[str, ...] = ()
    """Characteristic ids this question is asked for; empty means all."""
    each: str | None = None
    """Ask the question once for each item of a list: "themes" or the id of one of the form's [[lists]]."""
    item_text: str = "{item}"
    fields: tuple[RepeatField, ...] = ()
    """The columns of a repeating group (kind = "repeat"): the author adds rows of these."""
    if_blank: str = ""
    """Printed in the report as the answer while the question is unanswered (a sign-off: "Not
    signed"), so a reader sees what is missing; without it an unanswered question is left out."""
    help: str = ""
    offers_action: bool = False
    """Answering Yes offers to add an action-plan item for the characteristic."""


class Section(_Strict):
    id: str
    title: str
    kind: SectionKind = "questions"
    parent: str | None = None
    scope: Literal["assessment", "characteristic"] = "assessment"
    intro: str = ""
    characteristic_heading: str = ""
    help: str = ""
    optional: bool = False
    """Shown only when the author switches it on (on the page of kind "options")."""
    option_label: str = ""
    """What the options page calls an optional section, where its title is a template."""
    questions: tuple[Question, ...] = ()

    def asks_for(self, form: FormSpec, characteristic: str) -> bool:
        """Whether a per-characteristic section asks anything of this characteristic: one whose every
        question or grid item leaves it out (the aims s149(7) does not apply to it) is not shown."""
        if self.kind != "questions" or not self.questions:
            return True
        return any(
            (not q.applies_to or characteristic in q.applies_to)
            and (not q.each or bool(form.items(q.each, characteristic)))
            for q in self.questions
        )


class HeaderField(_Strict):
    id: str
    label: str
    kind: HeaderKind = "line"
    required: bool = False
    help: str = ""
    report_if_empty: bool = True
    """False for fields the published report shows only once they are filled in."""
    officer: bool = False
    """The field names an officer: the name is looked for in free text before publication (EQ028)."""
    public_as: str | None = None
    """In public outputs: None shows the value, "" leaves it out, other words replace it (a role)."""


class ActivityType(_Strict):
    value: str
    noun: str
    article: str = "a"


class Theme(_Strict):
    id: str
    label: str


class ListItem(_Strict):
    """One row of a per-item grid: a theme, an aim of the duty, a dimension of health inequality."""

    id: str
    label: str
    applies_to: tuple[str, ...] = ()
    """Characteristic ids this item is asked for; empty means all."""
    excludes: tuple[str, ...] = ()
    """Characteristic ids this item is not asked for."""

    def asked_for(self, characteristic: str | None) -> bool:
        if characteristic is None:
            return True
        if self.applies_to and characteristic not in self.applies_to:
            return False
        return characteristic not in self.excludes


class ItemList(_Strict):
    id: str
    title: str = ""
    items: tuple[ListItem, ...]


class Migration(_Strict):
    """What changed in a form version: questions renamed (old id = new id) or removed."""

    version: str
    renamed: dict[str, str] = Field(default_factory=dict)
    removed: tuple[str, ...] = ()
    note: str = ""


class Characteristic(_Strict):
    id: str
    label: str
    label_in_table: str = ""
    group: str
    reason: str
    optional: bool = False
    """A local group (carers, armed forces, ...) that the author switches on."""

    @property
    def table_label(self) -> str:
        return self.label_in_table or self.label


class RelevanceTest(_Strict):
    """How the form asks its relevance test."""

    reasons: bool = False
    """Ask a one-line reason beside each characteristic's decision (text.relevance_reason), print it in
    the relevance table (text.relevance_reason_column), and require it when "not relevant" (EQ025)."""


class FullAssessment(_Strict):
    order: tuple[str, ...] = ()


class FormInfo(_Strict):
    id: str
    version: str
    name: str
    title: str
    subtitle: str = ""
    language: str = "en-GB"
    date_format: str = "%d/%m/%Y"
    min_explanation_length: int = 20


class PublicSummary(_Strict):
    """The plain-English summary for the public: where the form asks it, and its readability targets."""

    field: str
    """A header field or an assessment question of kind text."""
    reading_age: int = 9
    """The highest reading age (Flesch-Kincaid grade + 5) eqia check accepts; GOV.UK aims at 9."""
    sentence_words: int = 15
    """The most words a sentence should have; Easy Read guidance asks for 10 to 15."""


class FormSpec(_Strict):
    """A whole form: header fields, sections with their questions, and wording."""

    schema_version: int = 1
    form: FormInfo
    text: dict[str, str] = Field(default_factory=dict)
    header: tuple[HeaderField, ...]
    activity_types: tuple[ActivityType, ...]
    themes: tuple[Theme, ...] = ()
    lists: tuple[ItemList, ...] = ()
    characteristics: tuple[Characteristic, ...]
    full_assessment: FullAssessment = FullAssessment()
    relevance: RelevanceTest = RelevanceTest()
    sections: tuple[Section, ...]
    migrations: tuple[Migration, ...] = ()
    rules: tuple[FormRule, ...] = ()
    public_summary: PublicSummary | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FormSpec:
        _check_consistency(self)
        return self

    # -- lookups ------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.form.id

    @property
    def version(self) -> str:
        return self.form.version

    def characteristic(self, cid: str) -> Characteristic:
        return self._characteristics[cid]

    @cached_property
    def _characteristics(self) -> dict[str, Characteristic]:
        return {c.id: c for c in self.characteristics}

    @cached_property
    def _children(self) -> dict[str | None, list[Section]]:
        out: dict[str | None, list[Section]] = {}
        for s in self.sections:
            out.setdefault(s.parent, []).append(s)
        return out

    @cached_property
    def _questions(self) -> dict[str, list[tuple[Section, Question]]]:
        out: dict[str, list[tuple[Section, Question]]] = {"assessment": [], "characteristic": []}
        for s in self.sections:
            out.setdefault(s.scope, []).extend((s, q) for q in s.questions)
        return out

    @cached_property
    def outline_cache(self) -> dict[tuple[Any, ...], Any]:
        """outline.numbered's headings per (activity type, characteristics assessed, parts on)."""
        return {}

    @cached_property
    def question_plans(self) -> dict[tuple[Any, ...], Any]:
        """report's questions per (section, activity type, characteristic), filled in."""
        return {}

    @cached_property
    def _full_assessment_order(self) -> list[Characteristic]:
        """Characteristics in the full assessment's order: the form's order, then any left out."""
        by_id = self._characteristics
        ids = list(self.full_assessment.order)
        ids += [c.id for c in self.characteristics if c.id not in ids]
        return [by_id[i] for i in ids]

    def full_assessment_order(self) -> list[Characteristic]:
        """Characteristics in the full assessment's order: the form's order, then any left out."""
        return self._full_assessment_order

    @cached_property
    def _lists(self) -> dict[str, tuple[ListItem, ...]]:
        out = {lst.id: lst.items for lst in self.lists}
        out.setdefault("themes", tuple(ListItem(id=t.id, label=t.label) for t in self.themes))
        return out

    def items(self, list_id: str, characteristic: str | None = None) -> tuple[ListItem, ...]:
        """The items of a list (themes or one of [[lists]]) asked for this characteristic."""
        items = self._lists.get(list_id, ())
        if characteristic is None:
            return items
        return tuple(i for i in items if i.asked_for(characteristic))

    def list_title(self, list_id: str) -> str:
        return next((lst.title for lst in self.lists if lst.id == list_id), "")

    def characteristics_in(self, include: list[str] | tuple[str, ...]) -> list[Characteristic]:
        """The characteristics of an assessment: every required one, and optional ones switched on."""
        return [c for c in self.characteristics if not c.optional or c.id in include]

    def optional_items(self) -> list[tuple[str, str]]:
        """(id, label) of every optional characteristic and section, in form order."""
        out = [(c.id, c.label) for c in self.characteristics if c.optional]
        out += [(s.id, s.option_label or s.title) for s in self.sections if s.optional]
        return out

    def section_included(self, section: Section, include: list[str] | tuple[str, ...]) -> bool:
        """Whether a section is in the assessment: not optional, or switched on (it or its parent)."""
        while True:
            if section.optional and section.id not in include:
                return False
            if section.parent is None:
                return True
            section = self._sections[section.parent]

    @cached_property
    def _sections(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def activity(self, value: str | None) -> ActivityType:
        for item in self.activity_types:
            if item.value == value:
                return item
        # An unset or unknown type still needs readable question text.
        return ActivityType(value=value or "activity", noun="activity", article="an")

    def questions(self, scope: str) -> list[tuple[Section, Question]]:
        return self._questions.get(scope, [])

    def question(self, qid: str, scope: str = "assessment") -> Question | None:
        return self._question_index.get((scope, qid))

    @cached_property
    def _question_index(self) -> dict[tuple[str, str], Question]:
        # Ids are unique within a scope (checked on load), so the first is the only one.
        return {(scope, q.id): q for scope, pairs in self._questions.items() for _, q in pairs}

    def children(self, parent: str | None) -> list[Section]:
        return self._children.get(parent, [])

    def wording(self, key: str, default: str | None = None) -> str:
        """A wording from the form's [text] table, or eqia's default for it (TEXT_DEFAULTS; "" if none)."""
        return self.text.get(key, TEXT_DEFAULTS.get(key, "") if default is None else default)

    def relevance_wording(self, choice: str) -> str:
        """The relevance test's words for a choice: "not", "relevant" or "full" (text.relevance_<choice>)."""
        return self.wording(f"relevance_{choice}")

    @property
    def date_format(self) -> str:
        """How this form prints dates (a strftime pattern); see eqia.document.dates."""
        return self.form.date_format

    def action_label(self, field: str) -> str:
        """The label of an action-plan field (issue, action, owner, ...) from the form's wording."""
        return self.wording(f"action_{field}") or field

    def progress_label(self, key: str) -> str:
        """A wording of the progress update report (text.progress_<key>); for an action field whose
        progress wording is not set, the form's own label of that field."""
        return self.wording(f"progress_{key}") or self.action_label(key)


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def fill(template: str, **values: str) -> str:
    """Fill a form template's placeholders ({activity}, {group}, ...)."""
    return template.format_map(_Fill(values))


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


class FormProblem(ValueError):
    """A cross-reference problem in a form, with the key path where it is."""

    def __init__(self, message: str, key_path: KeyPath) -> None:
        super().__init__(message)
        self.key_path = key_path


def _check_consistency(form: FormSpec) -> None:
    """Cross-references a schema cannot express; each problem raises FormProblem with its key path."""
    section_ids = [s.id for s in form.sections]
    _unique([(s.id, ("sections", i, "id")) for i, s in enumerate(form.sections)], "section id")
    _unique([(h.id, ("header", i, "id")) for i, h in enumerate(form.header)], "header field id")
    _unique(
        [(c.id, ("characteristics", i, "id")) for i, c in enumerate(form.characteristics)],
        "characteristic id",
    )
    _unique([(t.id, ("themes", i, "id")) for i, t in enumerate(form.themes)], "theme id")
    chars = {c.id for c in form.characteristics}
    _unique([(lst.id, ("lists", i, "id")) for i, lst in enumerate(form.lists)], "list id")
    for i, lst in enumerate(form.lists):
        if lst.id == "themes":
            raise FormProblem(
                "`themes` is reserved for the [[themes]] list; choose another id", ("lists", i, "id")
            )
        _unique(
            [(it.id, ("lists", i, "items", j, "id")) for j, it in enumerate(lst.items)],
            f"item id in list `{lst.id}`",
        )
        for j, item in enumerate(lst.items):
            for key in ("applies_to", "excludes"):
                for cid in getattr(item, key):
                    if cid not in chars:
                        raise FormProblem(
                            f"item `{item.id}` of list `{lst.id}` has {key} `{cid}`, "
                            "which is not a characteristic",
                            ("lists", i, "items", j, key),
                        )
    list_ids = {lst.id for lst in form.lists} | {"themes"}
    _check_migrations(form)
    for cid in form.full_assessment.order:
        if cid not in chars:
            raise FormProblem(f"`{cid}` is not a characteristic of this form", ("full_assessment", "order"))
    for scope in ("assessment", "characteristic"):
        ids = [
            (q.id, ("sections", i, "questions", j, "id"))
            for i, s in enumerate(form.sections)
            if s.scope == scope
            for j, q in enumerate(s.questions)
        ]
        _unique(ids, f"{scope} question id")
    check_rules(form)
    if form.public_summary is not None:
        fid = form.public_summary.field
        texts = {h.id for h in form.header if h.kind in ("text", "line")}
        texts |= {q.id for _, q in form.questions("assessment") if q.kind in ("text", "line")}
        if fid not in texts:
            raise FormProblem(
                f"`{fid}` is not a text header field or question of the assessment",
                ("public_summary", "field"),
            )
    for key, fields in TEXT_PLACEHOLDERS.items():
        if key in form.text:
            _placeholders(form.text[key], fields, ("text", key), f"text.{key}")
    for i, section in enumerate(form.sections):
        at = ("sections", i)
        if section.parent is not None and section.parent not in section_ids:
            raise FormProblem(f"the parent `{section.parent}` is not a section", (*at, "parent"))
        allowed = set(ASSESSMENT_PLACEHOLDERS)
        if section.scope == "characteristic":
            allowed |= CHARACTERISTIC_PLACEHOLDERS
        _placeholders(section.title, allowed, (*at, "title"), f"section `{section.id}` title")
        _placeholders(
            section.option_label, set(), (*at, "option_label"), f"section `{section.id}` option_label"
        )
        if section.optional and template_fields(section.title) and not section.option_label:
            raise FormProblem(
                f"the optional section `{section.id}` has a template for its title, so the options page "
                "needs an option_label to name it",
                (*at, "option_label"),
            )
        _placeholders(
            section.characteristic_heading,
            ASSESSMENT_PLACEHOLDERS | CHARACTERISTIC_PLACEHOLDERS,
            (*at, "characteristic_heading"),
            f"section `{section.id}` characteristic_heading",
        )
        scope_ids = {q.id for q in section.questions}
        for j, q in enumerate(section.questions):
            qat = (*at, "questions", j)
            _placeholders(q.text, allowed, (*qat, "text"), f"question `{q.id}`")
            if q.each is not None and q.each not in list_ids:
                raise FormProblem(
                    f"question `{q.id}` has each = `{q.each}`, which is not a list of the form "
                    f"(lists: {', '.join(sorted(list_ids))})",
                    (*qat, "each"),
                )
            if q.kind == "repeat":
                if not q.fields:
                    raise FormProblem(f"question `{q.id}` is a repeat but lists no fields", (*qat, "fields"))
                if q.each:
                    raise FormProblem(
                        f"question `{q.id}` cannot be both a repeat and asked for each item", (*qat, "each")
                    )
                _unique(
                    [(f.id, (*qat, "fields", k, "id")) for k, f in enumerate(q.fields)],
                    f"field id of `{q.id}`",
                )
                for k, f in enumerate(q.fields):
                    if f.kind == "choice" and not f.options:
                        raise FormProblem(
                            f"field `{f.id}` of `{q.id}` is a choice but lists no options",
                            (*qat, "fields", k, "options"),
                        )
            elif q.fields:
                raise FormProblem(
                    f'question `{q.id}` has fields but is not kind = "repeat"', (*qat, "fields")
                )
            if q.each:
                _placeholders(
                    q.item_text, allowed | EACH_PLACEHOLDERS, (*qat, "item_text"), f"question `{q.id}`"
                )
            if q.kind == "choice" and not q.options:
                raise FormProblem(f"question `{q.id}` is a choice but lists no options", (*qat, "options"))
            for cond in q.show_if:
                if cond.question not in scope_ids:
                    raise FormProblem(
                        f"question `{q.id}` has show_if on `{cond.question}`, "
                        f"which is not a question in section `{section.id}`",
                        (*qat, "show_if"),
                    )
                options = options_of(next(o for o in section.questions if o.id == cond.question))
                if options and cond.equals not in options:
                    raise FormProblem(
                        f"question `{q.id}` has show_if `{cond.question}` equals `{cond.equals}`, "
                        f"which is not one of its options ({', '.join(options)})",
                        (*qat, "show_if"),
                    )
            for cid in q.applies_to:
                if cid not in chars:
                    raise FormProblem(
                        f"question `{q.id}` applies_to `{cid}`, which is not a characteristic",
                        (*qat, "applies_to"),
                    )


def version_key(version: str) -> tuple[int, ...]:
    """A form version as numbers, for ordering: "1.10.0" comes after "1.9.2"."""
    parts = []
    for part in version.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _check_migrations(form: FormSpec) -> None:
    questions = {q.id for _, q in form.questions("assessment")} | {
        q.id for _, q in form.questions("characteristic")
    }
    previous: tuple[int, ...] = ()
    for i, m in enumerate(form.migrations):
        at = ("migrations", i)
        key = version_key(m.version)
        if key <= previous:
            raise FormProblem("migrations must be listed oldest first, one per version", (*at, "version"))
        if key > version_key(form.version):
            raise FormProblem(
                f"migration to {m.version} is newer than the form's version {form.version}", (*at, "version")
            )
        previous = key
        is_last = i == len(form.migrations) - 1
        for old, new in m.renamed.items():
            # A later migration may rename the question again; only the last must name a current question.
            if is_last and new not in questions:
                raise FormProblem(
                    f"`{old}` is renamed to `{new}`, which is not a question of the form",
                    (*at, "renamed", old),
                )
            if old in questions:
                raise FormProblem(
                    f"`{old}` is renamed but is still a question of the form", (*at, "renamed", old)
                )
        for j, old in enumerate(m.removed):
            if old in questions:
                raise FormProblem(
                    f"`{old}` is removed but is still a question of the form", (*at, "removed", j)
                )


def _unique(ids: list[tuple[str, KeyPath]], what: str) -> None:
    seen: set[str] = set()
    for item, path in ids:
        if item in seen:
            raise FormProblem(f"the {what} `{item}` is used twice", path)
        seen.add(item)


def _placeholders(template: str, allowed: set[str] | frozenset[str], path: KeyPath, where: str) -> None:
    try:
        unknown = template_fields(template) - allowed
    except ValueError as exc:
        raise FormProblem(f"{where} is not a valid template ({exc})", path) from None
    if unknown:
        raise FormProblem(
            f"{where} uses the unknown placeholder {{{sorted(unknown)[0]}}}; "
            f"allowed here: {', '.join('{' + a + '}' for a in sorted(allowed))}",
            path,
        )
