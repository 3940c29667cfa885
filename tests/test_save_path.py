"""The save path cannot lose an update: compare-and-swap at the moment of replacing, under a lock;
unique temp files that follow no planted link and keep the file's permissions; symlinks kept."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eqia.document.model import ActionItem
from eqia.errors import ConflictError, SaveError
from eqia.files import atomic, store
from eqia.files.opening import open_assessment
from eqia.usecases.session import EditSession

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "assessments" / "EA002326-adult-social-care-commissioning.toml"

#: One writer: add an action per round, saving over what it read; on a conflict, read again and retry.
WRITER = """
import sys
from pathlib import Path
from eqia.document.model import ActionItem
from eqia.errors import ConflictError
from eqia.files.opening import open_assessment
from eqia.files.store import save

path, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
saved = conflicts = 0
while saved < rounds:
    opened = open_assessment(path)
    a = opened.assessment.model_copy(deep=True)
    a.actions.append(ActionItem(issue=f"{name}-{saved}"))
    try:
        save(a, path, opened.form, base=opened.file)
    except ConflictError:
        conflicts += 1
        continue
    saved += 1
print(saved, conflicts)
"""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ea.toml"
    shutil.copy(EXAMPLE, target)
    return target


def _issues(path: Path) -> list[str]:
    return [a.issue for a in store.load(path).actions]


def test_two_processes_saving_at_once_lose_no_update(copy: Path) -> None:
    before = len(_issues(copy))
    rounds = 100
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(copy), name, str(rounds)], stdout=subprocess.PIPE, text=True
        )
        for name in ("A", "B")
    ]
    results = [w.communicate(timeout=300)[0].split() for w in writers]
    assert all(w.returncode == 0 for w in writers)
    issues = _issues(copy)  # the file parses and validates
    assert len(issues) == before + 2 * rounds, "an update was lost without its writer being told"
    for name in ("A", "B"):
        assert [i for i in issues if i.startswith(f"{name}-")] == [f"{name}-{n}" for n in range(rounds)]
    assert sum(int(conflicts) for _, conflicts in results) > 0, "the writers never overlapped: no test"


def test_two_threads_saving_at_once_lose_no_update(copy: Path) -> None:
    before = len(_issues(copy))
    rounds, conflicts = 60, []

    def writer(name: str) -> None:
        saved = 0
        while saved < rounds:
            opened = open_assessment(copy)
            a = opened.assessment.model_copy(deep=True)
            a.actions.append(ActionItem(issue=f"{name}-{saved}"))
            try:
                store.save(a, copy, opened.form, base=opened.file)
            except ConflictError:
                conflicts.append(name)
                continue
            saved += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert len(_issues(copy)) == before + 2 * rounds


def test_a_save_over_a_file_changed_since_it_was_read_is_refused(copy: Path) -> None:
    opened = open_assessment(copy)
    theirs = opened.assessment.model_copy(deep=True)
    theirs.review.status = "submitted"
    store.save(theirs, copy, opened.form, base=opened.file)
    mine = opened.assessment.model_copy(deep=True)
    mine.header["ea_name"] = "Mine"
    with pytest.raises(ConflictError):
        store.save(mine, copy, opened.form, base=opened.file)
    assert store.load(copy).review.status == "submitted"


def test_one_sessions_saves_run_one_at_a_time_and_never_go_back(copy: Path) -> None:
    session = EditSession.open(copy)
    snapshots = []
    for n in range(20):
        session.change(("header", "ea_name"), f"Name {n}")
        snapshots.append(session.snapshot())
    threads = [threading.Thread(target=session.save, args=(snap,)) for snap in reversed(snapshots)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert store.load(copy).header["ea_name"] == "Name 19"  # the newest typing, never an older snapshot
    assert not session.dirty


@pytest.mark.skipif(os.name != "posix", reason="file modes and symlinks")
def test_a_private_file_stays_private_and_no_temp_file_is_ever_world_readable(copy: Path) -> None:
    copy.chmod(0o600)
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for temp in copy.parent.glob(f"*{atomic.TEMP_SUFFIX}"):
                with contextlib.suppress(OSError):
                    seen.add(stat.S_IMODE(temp.stat().st_mode))

    watcher = threading.Thread(target=watch)
    watcher.start()
    opened = open_assessment(copy)
    for n in range(30):
        a = opened.assessment.model_copy(deep=True)
        a.header["ea_name"] = f"Name {n}"
        opened.file = store.save(a, copy, opened.form, base=opened.file)
    stop.set()
    watcher.join()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert all(mode & 0o077 == 0 for mode in seen), seen


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_planted_symlink_is_never_followed(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # where the old, predictable temp name was
        (copy.parent / f".{copy.name}.{pid}.tmp").symlink_to(outside)
    opened = open_assessment(copy)
    store.save(opened.assessment, copy, opened.form, base=opened.file)
    assert outside.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_saving_through_a_symlink_keeps_the_link_and_updates_the_original(copy: Path, tmp_path: Path) -> None:
    link = tmp_path / "shared" / "link.toml"
    link.parent.mkdir()
    link.symlink_to(copy)
    opened = open_assessment(link)
    a = opened.assessment.model_copy(deep=True)
    a.header["ea_name"] = "Through the link"
    store.save(a, link, opened.form, base=opened.file)
    assert link.is_symlink()
    assert store.load(copy).header["ea_name"] == "Through the link"


def test_temp_files_left_by_a_crash_are_removed_when_the_file_is_opened(copy: Path) -> None:
    old = copy.parent / f".{copy.name}.abc123{atomic.TEMP_SUFFIX}"
    new = copy.parent / f".{copy.name}.def456{atomic.TEMP_SUFFIX}"
    for temp in (old, new):
        temp.write_text("half", encoding="utf-8")
    hour_ago = time.time() - atomic.STALE_TEMP_SECONDS - 60
    os.utime(old, (hour_ago, hour_ago))
    EditSession.open(copy)
    assert not old.exists() and new.exists()  # a temp file of a save in progress elsewhere stays


def test_save_as_never_overwrites_without_being_told(copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text("precious", encoding="utf-8")
    session = EditSession.open(copy)
    with pytest.raises(SaveError, match="already exists"):
        session.save_as(other)
    assert other.read_text(encoding="utf-8") == "precious"
    session.save_as(other, overwrite=True)
    assert store.load(other).header == store.load(copy).header


def test_an_answer_full_of_quotes_reads_back_exactly_and_escapes_them_all(copy: Path) -> None:
    """Readers rescan a multi-line string at each bare quote, which made saving quadratic in quotes
    (1.6 MB: 9.5 s); past tomlwrite.BARE_QUOTES every quote is escaped, so saving stays linear."""
    text = 'He said "yes".\n' * 5000
    opened = open_assessment(copy)
    a = opened.assessment.model_copy(deep=True)
    a.answers["purpose"].answer = text
    first = store.save(a, copy, opened.form, base=opened.file)
    assert '"yes"' not in first.text and '\\"yes\\"' in first.text
    a.header["ea_name"] = "Saved again"
    store.save(a, copy, opened.form, base=first)
    assert store.load(copy).value("purpose") == text
    few = 'A "short" quote.'
    a.answers["purpose"].answer = few + "\n" + few
    again = store.save(a, copy, opened.form, base=store.read(copy))
    assert 'A "short" quote.' in again.text  # a few quotes stay bare, as a person would write them


def test_comments_typed_beside_an_arrays_items_survive_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    shutil.copy(ROOT / "assessments" / "EX-psed-library-opening-hours.toml", path)
    text = path.read_text(encoding="utf-8")
    hand = (
        'include = [\n  "carers",  # after the consultation\n  "rural",\n  "human_rights",  # legal advice\n]'
    )
    path.write_text(text.replace('include = ["carers", "rural", "human_rights"]', hand), encoding="utf-8")
    opened = open_assessment(path)
    a = opened.assessment.model_copy(deep=True)
    a.include = ["carers", "human_rights", "armed_forces"]
    saved = store.save(a, path, opened.form, base=opened.file).text
    assert '"carers",  # after the consultation' in saved and '"human_rights",  # legal advice' in saved
    assert store.load(path).include == ["carers", "human_rights", "armed_forces"]
    a.include = ["human_rights", "carers"]  # a new order cannot keep them: the array is written anew
    store.save(a, path, opened.form, base=store.read(path))
    assert store.load(path).include == ["human_rights", "carers"]


def test_a_huge_file_is_refused_with_its_size_and_the_limit(copy: Path) -> None:
    """A 30 MB answer took `show` 464 s and the PDF 4.8 GB; now every command refuses it at once."""
    from click.testing import CliRunner

    from eqia.cli import main
    from eqia.files.tomlfile import MAX_FILE_BYTES

    text = copy.read_text(encoding="utf-8")
    huge = "x" * (MAX_FILE_BYTES + 1)
    copy.write_text(
        text.replace('[answers.purpose]\nanswer = """', f'[answers.purpose]\nanswer = """{huge}', 1)
    )
    for command in (
        ["show", str(copy)],
        ["check", str(copy)],
        ["export", str(copy), "--out", str(copy.parent)],
    ):
        started = time.perf_counter()
        result = CliRunner().invoke(main, command)
        assert result.exit_code in (1, 2) and "MB; eqia reads files up to 10 MB" in result.output
        assert time.perf_counter() - started < 30  # a ceiling for a hang, not a speed goal
