"""Benchmark: batch export to md+html against the floor of reading + tomllib + pydantic.

Run: python tests/benchmarks/bench_export.py [--count 2000] [--jobs N]
Prints the cost per file of the floor and of the export, and their ratio (goal: at most 1.5x).
Both are measured in the same run, over the same generated files, with the same number of processes,
back to back in each round; the figure is the median of the rounds' ratios, by wall clock and by
CPU time (all processes).

Beside it, a control, not a goal: the floor plus writing two files of the sizes each file's
Markdown and HTML have (the same atomic write, no rendering). The gap from the floor to the
control is the file system's; the gap from the control to the export is eqia's report and
renderers.
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

from eqia.document.model import Assessment
from eqia.files.atomic import write_atomic
from eqia.usecases.export import run

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


def control_one(job: tuple[str, str, int, int]) -> int:
    """The floor, then writing two files of the sizes this file's Markdown and HTML have."""
    path, target, md_size, html_size = job
    count = floor_one(path)
    write_atomic(Path(f"{target}.md"), b"x" * md_size, durable=False)
    write_atomic(Path(f"{target}.html"), b"x" * html_size, durable=False)
    return count


def time_control(jobs_list: list[tuple[str, str, int, int]], out: Path, jobs: int) -> float:
    out.mkdir()
    work = [(path, str(out / name), md, html) for path, name, md, html in jobs_list]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        list(pool.imap_unordered(control_one, work, chunksize=max(1, len(work) // (jobs * 4))))
    return time.perf_counter() - start


def output_sizes(paths: list[Path], out: Path, jobs: int) -> list[tuple[str, str, int, int]]:
    """Each input with its output name and the sizes of its exported Markdown and HTML."""
    sizes = []
    for result in run(paths, ("md", "html"), out, jobs):
        md, html = (Path(o) for o in result.outputs)
        sizes.append((result.file, md.stem, md.stat().st_size, html.stat().st_size))
    return sizes


def time_export(paths: list[Path], out: Path, jobs: int) -> float:
    start = time.perf_counter()
    results = list(run(paths, ("md", "html"), out, jobs))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.error]
    if failed:
        raise SystemExit(f"export failed: {failed[0].error}")
    return elapsed


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU time of this process and of its finished children (the pool's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + kids.ru_utime, me.ru_stime + kids.ru_stime


def measure(step: Callable[[], object]) -> tuple[float, float, float]:
    """Wall-clock, CPU and system CPU seconds of one step; its pool's workers are reaped when it returns."""
    wall, (user, system) = time.perf_counter(), cpu_seconds()
    step()
    user_after, system_after = cpu_seconds()
    return time.perf_counter() - wall, user_after - user + system_after - system, system_after - system


def report(label: str, seconds: list[list[float]], count: int) -> None:
    """Print one clock's figures: seconds holds the floor's, the control's and the export's rounds."""
    floors, controls, exports = seconds

    def per_file(rounds: list[float]) -> str:
        return f"{statistics.median(rounds) / count * 1000:.3f} ms per file"

    def ratios(over: list[float], under: list[float]) -> list[float]:
        return [o / u for o, u in zip(over, under, strict=True)]

    ratio = statistics.median(ratios(exports, floors))
    print(f"{label}: floor (read + tomllib + pydantic) {per_file(floors)}, export {per_file(exports)}")
    print(f"  ratio per round: {' '.join(f'{r:.2f}x' for r in ratios(exports, floors))}")
    print(f"  ratio (median round): {ratio:.2f}x (goal <= {GOAL}x) {'OK' if ratio <= GOAL else 'OVER GOAL'}")
    print(f"  control (the floor, then writing files of the export's sizes): {per_file(controls)}")
    print(f"  control beside the floor: {statistics.median(ratios(controls, floors)):.2f}x (median round)")
    print(f"  export beside the control: {statistics.median(ratios(exports, controls)):.2f}x (median round)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--rounds", type=int, default=5, help="rounds of floor, control, export")
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
        sizes = output_sizes(paths, Path(tmp) / "sizes", args.jobs)
        floors, controls, exports = [], [], []
        for n in range(args.rounds):
            floors.append(measure(lambda: time_floor(paths, args.jobs)))
            controls.append(measure(lambda n=n: time_control(sizes, Path(tmp) / f"control-{n}", args.jobs)))
            # A new folder each round: the figure is a first export, writing every file.
            exports.append(measure(lambda n=n: time_export(paths, Path(tmp) / f"exports-{n}", args.jobs)))
        # Shared machines speed up and slow down over seconds, so each round's export is compared
        # with the floor measured in the same round, and the median round is the figure. CPU time,
        # summed over the processes, leaves out the time spent waiting for a core.
        for label, pick in (("wall clock", 0), ("CPU time", 1)):
            report(label, [[m[pick] for m in ms] for ms in (floors, controls, exports)], args.count)
        kernel = [round(e[2] / args.count * 1000, 2) for e in exports]
        print(f"of the export's CPU time, in the kernel (mostly writing files): {kernel} ms per file")


if __name__ == "__main__":
    main()
