"""Merge corpus: `eqia merge` run on pairs of edits made to each worked example in assessments/.

Run: python tests/benchmarks/merge_corpus.py [--verbose]
For each example, five cases: edits to different answers on each side; the same answer edited
differently; the actions reordered on one side and one edited on the other; a progress update added on
each side; review history added on each side. Each merged file is checked on disk: it opens, `eqia check`
finds no schema problem (EQ001, EQ002), it reports EQ030 exactly at the expected conflicts, and the
edits of both sides are in it. Prints "cases N, clean merges C, conflicts K, failures F" and exits 1
when anything failed. tests/test_merge.py runs the same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The eqia beside this script rather than an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from click.testing import CliRunner

from eqia.cli import main as eqia_main
from eqia.document.model import ActionItem, Answer, Assessment, HistoryEntry, ProgressUpdate
from eqia.files import store
from eqia.files.opening import open_assessment

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "assessments").glob("*.toml"))
KINDS = ("separate-answers", "same-answer", "actions-reordered", "progress-updates", "history")

Edit = Callable[[Assessment], None]
Expect = Callable[[Assessment], list[str]]


@dataclass
class Case:
    """One merge of the corpus: how base, ours and theirs are made, and what the merged file must hold."""

    example: Path
    kind: str
    prepare: Edit
    """Applied to the example to make the base (the example itself when it changes nothing)."""
    ours: Edit
    theirs: Edit
    expect: Expect
    conflicts: list[str] = field(default_factory=list)
    """The dotted keys where EQ030 must be reported, and nothing else."""

    @property
    def id(self) -> str:
        return f"{self.example.stem}:{self.kind}"


@dataclass
class Outcome:
    case: Case
    exit_code: int
    problems: list[str]
    output: str = ""


# -- choosing what to edit in an example ---------------------------------------------------


def text_answers(a: Assessment) -> list[tuple[str, ...]]:
    """Key paths (without the last "answer") of every single text answer, in the file's order."""
    out: list[tuple[str, ...]] = []
    for qid, entry in a.answers.items():
        if isinstance(entry, Answer) and isinstance(entry.answer, str) and len(entry.answer) > 40:
            out.append(("answers", qid))
    for cid, rec in a.characteristics.items():
        for qid, entry in rec.answers.items():
            if isinstance(entry, Answer) and isinstance(entry.answer, str) and len(entry.answer) > 40:
                out.append(("characteristics", cid, "answers", qid))
    return out


def answer_at(a: Assessment, path: tuple[str, ...]) -> Answer:
    entry = a.answers[path[1]] if path[0] == "answers" else a.characteristics[path[1]].answers[path[3]]
    assert isinstance(entry, Answer)
    return entry


def dotted_answer(path: tuple[str, ...]) -> str:
    return ".".join(path) + ".answer"


def with_actions(a: Assessment) -> None:
    """Make sure the base has at least three actions (EA002326 has none): add plain ones if need be."""
    cid = next(iter(a.characteristics), "age")
    for n in range(len(a.actions), 3):
        a.actions.append(
            ActionItem(
                issue=f"Corpus issue {n + 1}: the effect on this group is not measured since the change.",
                characteristics=[cid],
                action=f"Corpus action {n + 1}: survey the people affected and report the results.",
                owner=f"Officer {n + 1}, Service Manager",
                target_date=dt.date(2027, 3, 31),
                success_measure=f"Survey {n + 1} reported to the management team.",
            )
        )


def nothing(a: Assessment) -> None:
    return None


# -- the five kinds of case ----------------------------------------------------------------


def cases_for(example: Path) -> list[Case]:
    a = open_assessment(example).assessment
    answers = text_answers(a)
    first, last = answers[0], answers[-1]
    ours_text = "Ours: rewritten after the team meeting on 3 March."
    theirs_text = "Theirs: rewritten after the consultation closed."
    out: list[Case] = []

    def edit_answer(path: tuple[str, ...], text: str) -> Edit:
        def edit(x: Assessment) -> None:
            answer_at(x, path).answer = text

        return edit

    def holds(*pairs: tuple[tuple[str, ...], str]) -> Expect:
        def expect(m: Assessment) -> list[str]:
            return [f"{dotted_answer(p)} is not {t!r}" for p, t in pairs if answer_at(m, p).answer != t]

        return expect

    out.append(
        Case(
            example,
            "separate-answers",
            nothing,
            edit_answer(first, ours_text),
            edit_answer(last, theirs_text),
            holds((first, ours_text), (last, theirs_text)),
        )
    )

    def same_expect(m: Assessment) -> list[str]:
        problems = holds((first, ours_text))(m)
        texts = [(c.key, c.ours, c.theirs) for c in m.conflicts]
        if texts != [(dotted_answer(first), ours_text, theirs_text)]:
            problems.append(f"conflicts are {texts}")
        return problems

    out.append(
        Case(
            example,
            "same-answer",
            nothing,
            edit_answer(first, ours_text),
            edit_answer(first, theirs_text),
            same_expect,
            [dotted_answer(first)],
        )
    )

    def reorder(x: Assessment) -> None:
        x.actions.reverse()

    def edit_first_action(x: Assessment) -> None:
        x.actions[0].owner = "Ours: Jo Patel, Head of Service"
        x.actions[-1].success_measure = "Ours: reported to Cabinet in the annual equality report."

    def actions_expect(m: Assessment) -> list[str]:
        base = open_assessment(example).assessment
        with_actions(base)
        issues = [i.issue for i in reversed(base.actions)]
        problems = []
        if [i.issue for i in m.actions] != issues:
            problems.append("the actions are not in theirs' order")
        first_issue, last_issue = base.actions[0].issue, base.actions[-1].issue
        by_issue = {i.issue: i for i in m.actions}
        if by_issue[first_issue].owner != "Ours: Jo Patel, Head of Service":
            problems.append("ours' owner is not on the action it was typed on")
        if by_issue[last_issue].success_measure != "Ours: reported to Cabinet in the annual equality report.":
            problems.append("ours' success measure is not on the action it was typed on")
        return problems

    out.append(Case(example, "actions-reordered", with_actions, edit_first_action, reorder, actions_expect))

    june = ProgressUpdate(
        date=dt.date(2027, 6, 30), evidence_of_progress="Ours: survey sent.", grade=2, by="A"
    )
    april = ProgressUpdate(date=dt.date(2027, 4, 15), evidence_of_progress="Theirs: survey drafted.", grade=2)
    both = ProgressUpdate(
        date=dt.date(2027, 9, 30), evidence_of_progress="Both: results in.", grade=1, by="C"
    )

    def update_ours(x: Assessment) -> None:
        x.actions[0].updates += [june.model_copy(), both.model_copy()]

    def update_theirs(x: Assessment) -> None:
        x.actions[0].updates += [april.model_copy(), both.model_copy()]

    def updates_expect(m: Assessment) -> list[str]:
        got = [u for u in m.actions[0].updates if u in (june, april, both)]
        return [] if got == [april, june, both] else [f"updates are {[u.date for u in got]}"]

    out.append(Case(example, "progress-updates", with_actions, update_ours, update_theirs, updates_expect))

    t = dt.datetime
    ours_entry = HistoryEntry(status="submitted", by="Ours Author", at=t(2027, 1, 10, 10, 0), note="ready")
    theirs_first = HistoryEntry(status="submitted", by="Theirs Author", at=t(2027, 1, 9, 15, 0))
    theirs_last = HistoryEntry(status="returned", by="QC Officer", at=t(2027, 1, 11, 9, 30), note="see 2.1")

    def history_ours(x: Assessment) -> None:
        x.review.history.append(ours_entry.model_copy())
        x.review.status = "submitted"

    def history_theirs(x: Assessment) -> None:
        x.review.history += [theirs_first.model_copy(), theirs_last.model_copy()]
        x.review.status = "returned"

    def history_expect(m: Assessment) -> list[str]:
        problems = []
        if m.review.history[-3:] != [theirs_first, ours_entry, theirs_last]:
            problems.append(f"history is {[(e.by, e.at.isoformat()) for e in m.review.history]}")
        if m.review.status != "returned":
            problems.append(f"status is {m.review.status}, not the later change (returned)")
        return problems

    out.append(Case(example, "history", nothing, history_ours, history_theirs, history_expect))
    return out


CORPUS: list[Case] = [case for example in EXAMPLES for case in cases_for(example)]


# -- running a case ------------------------------------------------------------------------


def write_version(example: Path, target: Path, *edits: Edit) -> None:
    """The example with edits, saved as eqia saves (into the example's text, its comments kept)."""
    opened = open_assessment(example)
    a = opened.assessment.model_copy(deep=True)
    for edit in edits:
        edit(a)
    target.write_text(store.dumps(a, opened.form, opened.file.text), encoding="utf-8")


def build(case: Case, folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base, ours, theirs = folder / "base.toml", folder / "ours.toml", folder / "theirs.toml"
    write_version(case.example, base, case.prepare)
    write_version(case.example, ours, case.prepare, case.ours)
    write_version(case.example, theirs, case.prepare, case.theirs)
    return base, ours, theirs


def eqia(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(eqia_main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def run(case: Case, folder: Path) -> Outcome:
    """Merge one case with `eqia merge BASE OURS THEIRS` (into OURS) and check the file on disk."""
    base, ours, theirs = build(case, folder)
    code, output = eqia("merge", base, ours, theirs)
    problems = []
    if code != (1 if case.conflicts else 0):
        problems.append(f"exit code {code}")
    try:
        merged = open_assessment(ours).assessment
    except Exception as exc:
        return Outcome(case, code, [*problems, f"the merged file does not open: {exc}"], output)
    problems += case.expect(merged)
    _, checked = eqia("check", "--json", "--severity", "info", ours)
    entry = json.loads(checked)["files"][0]
    if "error" in entry:
        return Outcome(
            case, code, [*problems, f"eqia check cannot read it: {entry['error']['text']}"], output
        )
    findings = entry["findings"]
    schema = [f"{f['rule']} {f['key']}" for f in findings if f["rule"] in ("EQ001", "EQ002")]
    problems += [f"schema finding {s}" for s in schema]
    reported = sorted(f["key"] for f in findings if f["rule"] == "EQ030")
    if reported != sorted(case.conflicts):
        problems.append(f"EQ030 reported at {reported}, expected {sorted(case.conflicts)}")
    return Outcome(case, code, problems, output)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every case, not only failures")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="eqia-merge-corpus-"))
    try:
        outcomes = [run(case, folder / f"{n:02d}") for n, case in enumerate(CORPUS)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for o in outcomes:
        if o.problems or args.verbose:
            status = "FAILED" if o.problems else "ok"
            print(f"{status:<7} {o.case.id:<60} exit {o.exit_code} {'; '.join(o.problems)}")
    clean = sum(1 for o in outcomes if o.exit_code == 0 and not o.problems)
    conflicted = sum(1 for o in outcomes if o.exit_code == 1 and not o.problems)
    failures = sum(1 for o in outcomes if o.problems)
    print(f"cases {len(outcomes)}, clean merges {clean}, conflicts {conflicted}, failures {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
