"""The Birmingham form: it loads, has the nine protected characteristics, reproduces the published
report's headings and questions in order, and a broken form file is a clear error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eqia.document.form import FormSpec
from eqia.errors import FormError
from eqia.files import store
from eqia.files.forms import load_form_file
from eqia.report.render_text import render_text
from eqia.report.tree import build_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
FORM_FILE = ROOT / "forms" / "birmingham-ea.toml"
# The published Birmingham report EA002326 as text (kept outside the repository).
SEED = Path(__file__).parent / "fixtures" / "seed-EA002326.txt"  # the published report, as text

NINE = [
    "Age",
    "Disability",
    "Gender",
    "Gender Reassignment",
    "Marriage and Civil Partnership",
    "Pregnancy and Maternity",
    "Race",
    "Religion or Belief",
    "Sexual Orientation",
]


def test_form_file_loads(form: FormSpec) -> None:
    assert form.id == "birmingham-ea"
    assert form.version
    assert form.form.title == "Equality Analysis"


def test_form_has_the_nine_protected_characteristics_with_group_wording(form: FormSpec) -> None:
    assert [c.label for c in form.characteristics] == NINE
    for c in form.characteristics:
        assert c.group.strip() and c.group != c.label, c.id
        assert c.reason.strip(), c.id
    assert sorted(c.id for c in form.full_assessment_order()) == sorted(c.id for c in form.characteristics)


# -- the report reproduces the published one ------------------------------------------

STRAY_LINES = {"will the policy have an impact on wider community?\t163"}  # OCR noise in the seed
# Questions the report prints that end with a full stop rather than a question mark.
STATEMENT_QUESTIONS = {
    "For each strategy, please decide whether it is going to be significantly aided by the Function.",
    "Please explain how individuals may be impacted.",
}
HEADING = re.compile(r"\d+(?:\.\d+)* \S.*")


def _seed_lines() -> list[str]:
    out = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line in STRAY_LINES:
            continue
        line = line.replace("Νο", "No").replace("Туре", "Type")  # Greek and Cyrillic look-alikes
        line = re.sub(r"</?u>", "", line)
        if re.fullmatch(r"[-\s]*-[-\s]*", line):  # table ruling
            continue
        out.append(line)
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def seed_headings_and_questions() -> list[str]:
    """The numbered headings and the questions of the published report, in order.

    The report's two-column tables wrap a long question over several rows, the answer in the
    first row's second cell: those pieces are joined back into one question.
    """
    items: list[str] = []
    wrapped: list[str] = []
    for line in _seed_lines():
        cell = line.split("\t")[0].strip()
        if not cell:
            wrapped = []
        elif HEADING.fullmatch(cell):
            items.append(cell)
            wrapped = []
        elif "?" in cell:
            items.append(" ".join([*wrapped, cell[: cell.index("?") + 1]]))
            wrapped = []
        elif cell in STATEMENT_QUESTIONS:
            items.append(cell)
            wrapped = []
        elif "\t" in line:
            wrapped.append(cell)
        else:
            wrapped = []
    return items


def _example_report_text(form: FormSpec) -> str:
    return render_text(build_report(form, store.load(EXAMPLE)))


def assert_in_order(expected: list[str], text: str) -> None:
    flat = _squash(text)
    at = 0
    for item in expected:
        found = flat.find(_squash(item), at)
        assert found >= 0, f"not found after position {at}: {item!r}\n(context: ...{flat[at : at + 300]}...)"
        at = found + len(_squash(item))


def test_seed_questions_were_found() -> None:
    """The seed parsing itself: enough items, wrapped questions joined, artefacts gone."""
    items = seed_headings_and_questions()
    assert len([i for i in items if HEADING.fullmatch(i)]) == 35  # 1, 2, 2.1-2.4, 3, 3.1-3.5.4, 3.6, 4, 5
    assert len([i for i in items if not HEADING.fullmatch(i)]) >= 60
    assert (
        "You may have evidence from more than one source. If so, does it present a consistent view?" in items
    )
    assert (
        "Have you obtained the views of relevant stakeholders on the impact of the Policy on Individuals "
        "from different ethnic backgrounds?" in items
    )
    assert "3 Full Assessment" in items
    assert not any("163" in i or "<u>" in i for i in items)


def test_report_has_every_seed_heading_and_question_in_order(form: FormSpec) -> None:
    assert_in_order(seed_headings_and_questions(), _example_report_text(form))


def test_report_numbered_headings_are_exactly_the_seeds(form: FormSpec) -> None:
    ours = [line for line in _example_report_text(form).splitlines() if HEADING.fullmatch(line)]
    theirs = [i for i in seed_headings_and_questions() if HEADING.fullmatch(i)]
    assert ours == theirs


def _seed_rows(first: str, last: str) -> list[str]:
    lines = _seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i, line in enumerate(lines) if line.startswith(last))
    return [line for line in lines[start : end + 1] if line.strip()]


def test_report_header_block_matches_the_seed(form: FormSpec) -> None:
    assert_in_order(_seed_rows("EA Name\t", "Quality Control Officer\t"), _example_report_text(form))


def test_report_relevance_table_matches_the_seed(form: FormSpec) -> None:
    assert_in_order(
        _seed_rows("Protected Characteristics\t", "Sexual Orientation\t"), _example_report_text(form)
    )


def test_report_review_date_and_action_plan_match_the_seed(form: FormSpec) -> None:
    lines = [line for line in _seed_lines() if line.strip()]
    tail = lines[lines.index("4 Review Date") :]
    assert_in_order(tail, _example_report_text(form))
    assert _example_report_text(form).rstrip().endswith(tail[-1])


# -- broken form files ----------------------------------------------------------------

IMPACT_EVIDENCE = 'id = "evidence"\ntext = "Do you have evidence to support the assessment?"\nkind = "yes_no"'


def _break(tmp_path: Path, old: str, new: str, *, count: int = 1) -> tuple[Path, str]:
    text = FORM_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, count)
    path = tmp_path / "broken-form.toml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def _line(text: str, line: str, nth: int = 1) -> int:
    numbers = [i for i, candidate in enumerate(text.splitlines(), start=1) if candidate == line]
    return numbers[nth - 1]


def _load_error(path: Path) -> str:
    with pytest.raises(FormError) as caught:
        load_form_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}"), message
    assert "\n" not in message
    return message


def test_unknown_placeholder(tmp_path: Path) -> None:
    path, _ = _break(tmp_path, "meets the needs of {group}?", "meets the needs of {grop}?")
    message = _load_error(path)
    assert "{grop}" in message and "meets_needs" in message


def test_duplicate_question_id(tmp_path: Path) -> None:
    path, _ = _break(tmp_path, 'id = "evidence_source"', 'id = "evidence"')
    message = _load_error(path)
    assert "`evidence`" in message and "twice" in message


def test_show_if_naming_a_missing_question(tmp_path: Path) -> None:
    path, _ = _break(
        tmp_path,
        'show_if = [{ question = "views_of_group", equals = "Yes" }]',
        'show_if = [{ question = "views_of_groop", equals = "Yes" }]',
    )
    message = _load_error(path)
    assert "views_of_groop" in message and "views_of_group_how" in message


def test_malformed_toml(tmp_path: Path) -> None:
    path, text = _break(
        tmp_path, 'subtitle = "Birmingham City Council Analysis Report"', 'subtitle = "Birmingham'
    )
    message = _load_error(path)
    assert f"{path}, line {_line(text, 'subtitle = ' + chr(34) + 'Birmingham')}:" in message
    assert "not valid TOML" in message


def test_unknown_key(tmp_path: Path) -> None:
    path, text = _break(tmp_path, 'language = "en-GB"\n', 'language = "en-GB"\ncolour = "red"\n')
    message = _load_error(path)
    assert f"{path}, line {_line(text, 'colour = ' + chr(34) + 'red' + chr(34))}:" in message
    assert "key `form.colour`" in message and "unknown key" in message


def test_unknown_key_in_a_question(tmp_path: Path) -> None:
    """A typo in the first question of the first section with questions."""
    path, text = _break(tmp_path, 'comment = false\nhelp = "Say what', 'coment = false\nhelp = "Say what')
    message = _load_error(path)
    assert "key `sections[3].questions[1].coment`" in message
    assert f"line {_line(text, 'coment = false')}:" in message


def test_wrong_value_deep_in_the_file_names_its_line(tmp_path: Path) -> None:
    """The impact section is the 9th [[sections]]; its 2nd question's kind has a typo."""
    path, text = _break(tmp_path, IMPACT_EVIDENCE, IMPACT_EVIDENCE.replace('"yes_no"', '"yesno"'))
    message = _load_error(path)
    assert "key `sections[9].questions[2].kind`" in message
    assert f"{path}, line {_line(text, 'kind = ' + chr(34) + 'yesno' + chr(34))}:" in message


def test_missing_key_names_the_table_line(tmp_path: Path) -> None:
    """Gender (the 3rd [[characteristics]]) without its group wording."""
    path, text = _break(tmp_path, 'group = "Men and women"\n', "")
    message = _load_error(path)
    assert "key `characteristics[3].group`" in message and "missing" in message
    assert f"{path}, line {_line(text, '[[characteristics]]', nth=3)}:" in message


def test_missing_form_file(tmp_path: Path) -> None:
    message = _load_error(tmp_path / "no-such-form.toml")
    assert "does not exist" in message
