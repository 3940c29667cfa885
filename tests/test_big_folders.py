"""Big folders are read on every core and give exactly what one process gives, broken files included."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from eqia.usecases import parallel
from eqia.usecases.checking import check_files
from eqia.usecases.portfolio import portfolio
from eqia.usecases.tracking import collect_actions, due

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from generate import write_batch

TODAY = dt.date(2027, 1, 2)
GOOD = parallel.PARALLEL_FROM + 12


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big")
    write_batch(path, GOOD)
    (path / "zz-broken.toml").write_text("schema_version = 1\nform = [\n", encoding="utf-8")
    (path / "zz-unknown-form.toml").write_text(
        'schema_version = 1\nform = "no-such-form"\nform_version = "1"\n', encoding="utf-8"
    )
    return path


def _both(monkeypatch: pytest.MonkeyPatch, run):
    """What run() gives across processes, then in this process alone."""
    assert parallel.cores() > 1 or pytest.skip("one core: nothing runs in parallel")
    spread = run()
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    return spread, run()


def test_list_of_a_big_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spread, alone = _both(monkeypatch, lambda: portfolio(folder, TODAY))
    assert spread == alone and len(spread) == GOOD + 2
    assert [r["status"] for r in spread[-2:]] == ["unreadable", "unreadable"]
    assert "zz-broken.toml, line 2" in spread[-2]["error"]


def test_actions_and_due_of_a_big_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spread, alone = _both(monkeypatch, lambda: collect_actions(folder, TODAY))
    assert spread == alone and len(spread[1]) == 2
    spread, alone = _both(monkeypatch, lambda: due(folder, TODAY, 30))
    assert spread == alone and spread["assessments"] and len(spread["errors"]) == 2


def test_check_of_a_big_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(folder.glob("*.toml"))
    spread, alone = _both(monkeypatch, lambda: [r.as_json() for r in check_files(files)])
    assert spread == alone
    assert "no-such-form" in spread[-1]["error"]["text"]  # an error crossed from a worker, whole
