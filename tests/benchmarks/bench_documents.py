"""Benchmark: batch export to Word and to tagged PDF, per assessment, beside the read floor.

Run: python tests/benchmarks/bench_documents.py [--count 100] [--jobs N]
Prints ms per assessment for docx (goal <= 100 ms) and pdf (goal <= 30 ms) in batch,
and the floor (read + tomllib + pydantic) for the same generated full assessments.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_export import time_floor
from generate import write_batch

from eqia.export import run

GOALS = {"docx": 100.0, "pdf": 30.0}


def time_format(paths: list[Path], fmt: str, out: Path, jobs: int) -> float:
    start = time.perf_counter()
    results = list(run(paths, (fmt,), out, jobs))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r.error]
    if failed:
        raise SystemExit(f"{fmt} export failed: {failed[0].error}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_batch(Path(tmp) / "assessments", args.count, words=17)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(f"{args.count} generated full assessments, {size / 1024:.1f} KB each, {args.jobs} processes")
        floor = time_floor(paths, args.jobs) / args.count * 1000
        print(f"floor (read + tomllib + pydantic): {floor:.2f} ms per assessment")
        for fmt, goal in GOALS.items():
            time_format(paths[:4], fmt, Path(tmp) / "warm", args.jobs)
            ms = time_format(paths, fmt, Path(tmp) / fmt, args.jobs) / args.count * 1000
            verdict = "OK" if ms <= goal else "OVER GOAL"
            print(f"{fmt:4s}: {ms:7.2f} ms per assessment in batch (goal <= {goal:.0f} ms) {verdict}")


if __name__ == "__main__":
    main()
