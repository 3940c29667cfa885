"""Benchmark: batch export to md+html against the floor of reading + tomllib + pydantic.

Run: python tests/benchmarks/bench_export.py [--count 2000] [--jobs N]
Prints the cost per file of the floor and of the export, and their ratio (goal: at most 1.5x).
Both are measured in the same run, over the same generated files, with the same number of processes,
back to back in each round; the figure is the median of the rounds' ratios, by wall clock and by
CPU time (all processes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import write_batch

from eqia.export import run
from eqia.model import Assessment

GOAL = 1.5


def floor_one(path: str) -> int:
    """Reading + tomllib parsing + pydantic validation: what any export must do at least."""
    with open(path, "rb") as handle:
        data = tomllib.loads(handle.read().decode("utf-8"))
    return len(Assessment.model_validate(data).characteristics)


def time_floor(paths: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    if jobs <= 1:
        for p in paths:
            floor_one(str(p))
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            list(
                pool.imap_unordered(
                    floor_one, [str(p) for p in paths], chunksize=max(1, len(paths) // (jobs * 4))
                )
            )
    return time.perf_counter() - start


def time_export(paths: list[Path], out: Path, jobs: int) -> float:
    start = time.perf_counter()
    results = list(run(paths, ("md", "html"), out, jobs))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.error]
    if failed:
        raise SystemExit(f"export failed: {failed[0].error}")
    return elapsed


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers), user + system."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(step: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one step; its pool is closed (its workers reaped) when it returns."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    step()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--rounds", type=int, default=5, help="rounds of floor then export, back to back")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "assessments"
        paths = write_batch(folder, args.count, words=17)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(
            f"{args.count} generated full assessments (nine characteristics), {size / 1024:.1f} KB each, "
            f"{args.jobs} processes"
        )
        time_floor(paths, args.jobs)  # warm the page cache and imports
        floors, exports = [], []
        for n in range(args.rounds):
            floors.append(measure(lambda: time_floor(paths, args.jobs)))
            # A new folder each round: the figure is a first export, writing every file.
            exports.append(measure(lambda n=n: time_export(paths, Path(tmp) / f"exports-{n}", args.jobs)))
        # Shared machines speed up and slow down over seconds, so each round's export is compared
        # with the floor measured just before it, and the median round is the figure. CPU time,
        # summed over the processes, leaves out the time spent waiting for a core.
        for label, pick in (("wall clock", 0), ("CPU time", 1)):
            ratios = [e[pick] / f[pick] for f, e in zip(floors, exports, strict=True)]
            floor_ms = statistics.median(f[pick] for f in floors) / args.count * 1000
            export_ms = statistics.median(e[pick] for e in exports) / args.count * 1000
            ratio = statistics.median(ratios)
            verdict = "OK" if ratio <= GOAL else "OVER GOAL"
            print(f"{label}: floor (read + tomllib + pydantic) {floor_ms:.3f} ms per file, ", end="")
            print(f"export md+html {export_ms:.3f} ms per file")
            print(f"  ratio per round: {' '.join(f'{r:.2f}x' for r in ratios)}")
            print(f"  ratio (median round): {ratio:.2f}x (goal <= {GOAL}x) {verdict}")


if __name__ == "__main__":
    main()
