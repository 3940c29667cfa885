"""Provides the consistency rules a form states as data ([[rules]]; forms/README.md, "Rules"): their
model, their wording in plain English, and the checks that refuse a rule naming what the form lacks.

Evaluating a rule against an assessment is eqia.quality.checks.form_rules's job."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from eqia.document.keypath import KeyPath

if TYPE_CHECKING:
    from eqia.document.form import FormSpec, Question

#: The answers a yes_no question stores, whatever words the form shows for them.
YES_NO = ("Yes", "No")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleTest(_Strict):
    """One test of an answer in a `when` rule: exactly one of equals, not_equals, answered, commented."""

    question: str
    equals: str | None = None
    not_equals: str | None = None
    answered: bool | None = None
    """True: the question has an answer; false: it has none."""
    commented: bool | None = None
    """True: the answer's comment is filled in; false: it is empty."""

    @property
    def tests(self) -> list[str]:
        return [k for k in ("equals", "not_equals", "answered", "commented") if getattr(self, k) is not None]

    @property
    def compares(self) -> bool:
        return self.equals is not None or self.not_equals is not None

    def state(self) -> str:
        """What the test asks of the answer, in words: "is Negative", "has a comment"."""
        if self.equals is not None:
            return f"is {self.equals}"
        if self.not_equals is not None:
            return f"is not {self.not_equals}"
        if self.answered is not None:
            return "is answered" if self.answered else "is left blank"
        return "has a comment" if self.commented else "has no comment"

    def wording(self, text: str) -> str:
        """The test with its question: “Could … at a disadvantage?” is Yes."""
        return f"\u201c{text}\u201d {self.state()}"


class FormRule(_Strict):
    """A consistency rule the form states as data, checked by `eqia check` (EQ026 for errors, EQ027
    for warnings)."""

    kind: Literal["date_order", "row_needs", "when"]
    message: str
    """What the finding says, in the form's own words."""
    severity: Literal["error", "warning"] = "error"
    first: str = ""
    """date_order: the date that must come first (an assessment question or a header field)."""
    then: str = ""
    """date_order: the date it must be no later than."""
    question: str = ""
    """row_needs: the repeating group (kind = "repeat") whose rows are held to `fields`."""
    fields: tuple[str, ...] = ()
    """row_needs: the fields every row that is started must have."""
    when: RuleTest | None = None
    """when: the answer that brings the rule into force."""
    require: tuple[RuleTest, ...] = ()
    """when: what must then hold, each test on its own."""

    def condition(self) -> str:
        """What the rule holds, by the ids of the questions it names (for form authors)."""
        if self.kind == "date_order":
            return f"{self.first} is no later than {self.then}"
        if self.kind == "row_needs":
            return f"each started row of {self.question} has {', '.join(self.fields)}"
        assert self.when is not None
        held = "; ".join(f"{t.question} {t.state()}" for t in self.require)
        return f"when {self.when.question} {self.when.state()}: {held}"

    def governs(self, per_characteristic: set[str]) -> list[str]:
        """The questions a finding of this rule is reported at, to show the rule beside them."""
        if self.kind == "date_order":
            return [self.first]
        if self.kind == "row_needs":
            return [self.question]
        assert self.when is not None
        wide = self.when.question not in per_characteristic
        out = (
            [self.when.question]
            if wide and any(t.question in per_characteristic for t in self.require)
            else []
        )
        out += [t.question for t in self.require if not (wide and t.question in per_characteristic)]
        return list(dict.fromkeys(out))


def options_of(question: Question) -> tuple[str, ...]:
    """The answers a question can have that a rule may compare with."""
    return YES_NO if question.kind == "yes_no" else question.options


def check_rules(form: FormSpec) -> None:
    """Each rule names questions, fields, options and dates the form has, and compares what can be
    compared; a problem raises FormProblem with the rule's key path."""
    from eqia.document.form import FormProblem  # form.py imports this module: import when first used

    dates = {h.id for h in form.header if h.kind == "date"}
    named = {h.id for h in form.header}
    questions: dict[str, Question] = {}
    for section in form.sections:
        for q in section.questions:
            questions.setdefault(q.id, q)
            if section.scope == "assessment":
                named.add(q.id)
                if q.kind == "date":
                    dates.add(q.id)
    for i, rule in enumerate(form.rules):
        at: KeyPath = ("rules", i)
        if rule.kind == "date_order":
            for end in ("first", "then"):
                qid = getattr(rule, end)
                if qid not in named:
                    raise FormProblem(
                        f"`{qid}` is not a header field or a question of the assessment", (*at, end)
                    )
                if qid not in dates:
                    raise FormProblem(f"`{qid}` is not a date, so it cannot be compared as one", (*at, end))
        elif rule.kind == "row_needs":
            q = questions.get(rule.question)
            if q is None:
                raise FormProblem(f"`{rule.question}` is not a question of the form", (*at, "question"))
            if q.kind != "repeat":
                raise FormProblem(
                    f'`{rule.question}` is not kind = "repeat": it has no rows', (*at, "question")
                )
            known = {f.id for f in q.fields}
            for j, fid in enumerate(rule.fields):
                if fid not in known:
                    raise FormProblem(f"`{fid}` is not a field of `{rule.question}`", (*at, "fields", j))
            if not rule.fields:
                raise FormProblem("a row_needs rule lists no fields", (*at, "fields"))
        else:
            _check_when(rule, questions, at, FormProblem)


def _check_when(rule: FormRule, questions: dict[str, Question], at: KeyPath, problem: type) -> None:
    if rule.when is None:
        raise problem("a when rule needs `when`, the answer that brings it into force", (*at, "when"))
    if not rule.require:
        raise problem("a when rule needs `require`, what must then hold", (*at, "require"))
    tests = [((*at, "when"), rule.when)] + [((*at, "require", j), t) for j, t in enumerate(rule.require)]
    for path, test in tests:
        q = questions.get(test.question)
        if q is None:
            raise problem(f"`{test.question}` is not a question of the form", (*path, "question"))
        if len(test.tests) != 1:
            raise problem(
                "give exactly one of equals, not_equals, answered or commented"
                + (f" (this has {', '.join(test.tests)})" if test.tests else ""),
                path,
            )
        key = test.tests[0]
        if test.compares:
            options = options_of(q)
            if not options:
                raise problem(
                    f"`{test.question}` is a {q.kind} question, so its answer cannot be compared with "
                    f"{key}: only choice and yes_no answers can",
                    (*path, key),
                )
            value = getattr(test, key)
            if value not in options:
                raise problem(
                    f"`{value}` is not an option of `{test.question}` (its options: {', '.join(options)})",
                    (*path, key),
                )
        if test.commented is not None and not q.comment:
            raise problem(
                f"`{test.question}` takes no comment (comment = false), so it cannot be tested for one",
                (*path, "commented"),
            )
    for j, test in enumerate(rule.require):
        if test.question == rule.when.question and test.compares and rule.when.compares:
            raise problem(
                f"the rule compares `{test.question}`'s answer with itself: it holds always or never",
                (*at, "require", j),
            )
