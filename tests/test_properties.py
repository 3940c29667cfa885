"""Whatever text an assessor types survives a save and a read, in a new file and in the example."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from eqia.document.form import FormSpec
from eqia.document.model import ActionItem, Answer, Assessment, CharacteristicRecord
from eqia.files import store
from eqia.files.forms import load_form_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"
# Loaded here rather than taken as a fixture, so that a failing example prints only the texts.
FORM: FormSpec = load_form_file(ROOT / "forms" / "birmingham-ea.toml")

SETTINGS = settings(max_examples=100, deadline=None)
# Merging into the 60 kB example re-parses it with tomlkit on every save (about 50 ms): fewer examples.
MERGE_SETTINGS = settings(max_examples=40, deadline=None)

# Pieces that are hard to write as TOML: quotes and triple quotes, backslashes and escapes,
# every kind of line break, tabs and control characters, emoji, right-to-left text and marks,
# and text that looks like TOML itself.
AWKWARD = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    '\\"',
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "😀",
    "👩🏽‍⚕️",
    "مرحبا",
    "שלום",
    "\u202e",
    "\u200f",
    "é",
    "e\u0301",
    "£",
    "#",
    "=",
    "[",
    "]",
    "[review]",
    "# comment",
    'answer = "x"',
    " ",
    "a",
    "Yes",
    "\U0010ffff",
]

awkward_text = st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=12).map("".join)
edges = st.sampled_from(["", "\n", "\r\n", "\r", '"', "'", '"""', "\\", " ", "\t"])
long_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(12, 400))

texts = st.one_of(
    st.text(),
    awkward_text,
    st.builds(lambda a, t, b: a + t + b, edges, st.one_of(st.text(), awkward_text), edges),
    long_text,
).filter(lambda s: s.strip() != "")  # blank text is an unanswered question, by design

# Minimal values that must survive; each is its own regression test.
EXAMPLES = [
    "a\r\nb",
    "a\rb",
    '"""',
    'ends with a quote"',
    "\ttab",
    "\x00",
    "x\n",
    "\nx",
    "\\",
    "\u202eright-to-left override",
    "very long line " * 5000,
    "many\nshort\nlines\n" * 2000,
]


def _fill(a: Assessment, text: str, comment: str, line: str) -> None:
    """Put the texts in every kind of place an assessor writes: header, answers, comments, actions."""
    a.header["summary"] = text
    a.header["ea_name"] = line
    a.answers["purpose"] = Answer(answer=text)
    a.answers["themes"] = {"health": Answer(answer="Yes", comment=comment)}
    record = a.characteristics.setdefault("age", CharacteristicRecord())
    record.relevant = True
    record.full_assessment = True
    record.answers["meets_needs"] = Answer(answer=line, comment=text)
    record.answers["evidence"] = Answer(answer="Yes", comment=comment)
    a.actions.append(ActionItem(issue=text, action=comment, owner=line))


def _assert_survives(path: Path, a: Assessment, text: str, comment: str, line: str) -> None:
    back = store.load(path)
    assert back.header["summary"] == text
    assert back.header["ea_name"] == line
    assert back.value("purpose") == text
    assert back.get("themes", item="health") == Answer(answer="Yes", comment=comment)
    assert back.get("meets_needs", "age") == Answer(answer=line, comment=text)
    assert back.get("evidence", "age") == Answer(answer="Yes", comment=comment)
    assert back.actions[-1] == ActionItem(issue=text, action=comment, owner=line)
    assert back == a


@SETTINGS
@given(text=texts, comment=texts, line=texts)
@example(text="a\r\nb", comment="x", line="x")
@example(text='"""', comment="'''", line='end"')
def test_text_survives_in_a_new_file(text: str, comment: str, line: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.toml"
        created = store.create(path, FORM)
        a = created.assessment
        _fill(a, text, comment, line)
        saved = store.save(a, path, FORM, base=created)
        _assert_survives(path, a, text, comment, line)
        # Saving what was read back changes nothing.
        again = store.read(path)
        store.save(again.assessment, path, FORM, base=again)
        assert path.read_text(encoding="utf-8") == saved.text


@MERGE_SETTINGS
@given(text=texts, comment=texts, line=texts)
@example(text="a\r\nb", comment="x", line="x")
@example(text="\n[review]\nstatus = 'approved'\n", comment="# not a comment", line="x")
def test_text_survives_merged_into_the_example(text: str, comment: str, line: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / EXAMPLE.name
        shutil.copyfile(EXAMPLE, path)
        loaded = store.read(path)
        a = loaded.assessment
        _fill(a, text, comment, line)
        # Also a new answer and an edited comment on a multi-line table.
        a.characteristics["gender"].answers["fosters_good_relations"] = Answer(answer="No", comment=text)
        a.characteristics["race"].answers["meets_needs"].comment = comment
        store.save(a, path, FORM, base=loaded)
        _assert_survives(path, a, text, comment, line)
        back = store.load(path)
        assert back.get("fosters_good_relations", "gender") == Answer(answer="No", comment=text)
        assert back.get("meets_needs", "race").comment == comment
        # Everything not touched is as it was.
        assert back.get("views_of_group_how", "disability") == store.load(EXAMPLE).get(
            "views_of_group_how", "disability"
        )


@settings(max_examples=50, deadline=None)
@given(first=texts, second=texts)
@example(first="one line", second="a\r\nb")
def test_text_survives_being_replaced(first: str, second: str) -> None:
    """One answer rewritten again and again (one line, multi-line, back), each save merged into the last."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.toml"
        current = store.create(path, FORM)
        for value in (first, "Two\nlines.", second, "short", first):
            current.assessment.answers["purpose"] = Answer(answer=value, comment=second)
            current = store.save(current.assessment, path, FORM, base=current)
            assert store.load(path).get("purpose") == Answer(answer=value, comment=second)


def test_examples_are_minimal_regressions(tmp_path: Path) -> None:
    """Each short value on its own, in an answer and a comment, so a failure names the value."""
    failures = []
    for value in EXAMPLES:
        path = tmp_path / "one.toml"
        created = store.create(path, FORM, force=True)
        created.assessment.answers["purpose"] = Answer(answer=value, comment=value)
        store.save(created.assessment, path, FORM, base=created)
        back = store.load(path).get("purpose")
        if back != Answer(answer=value, comment=value):
            failures.append((value, back.answer if back else None))
    assert failures == []
