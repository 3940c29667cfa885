"""Benchmark: `eqia site` over a folder of published assessments, against plain exports of the same files.

Run: python tests/benchmarks/bench_site.py [--count 1000] [--jobs N]
Generates COUNT published assessments (copies of the four shipped examples with their own
references, names, directorates and decision dates), then, in the same run and with the same
number of processes:
  - control: `eqia export --format html` of the same files (one report each),
  - control: `eqia export --format html,docx,pdf` (the three files the site makes of each),
  - the site, built from nothing, then built again from the same files (nothing changes).
Prints the time of each, per assessment and in total, the ratios of the site to the controls, and
the site's sizes: index.html, search.json, the median assessment page, the largest characteristic
page and the whole site.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from eqia.usecases.export import run
from eqia.usecases.parallel import cores
from eqia.usecases.site import build

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "assessments").glob("*.toml"))
DIRECTORATES = ("People", "Place", "Adults, Health and Wellbeing", "Children and Families", "Resources")
HISTORY = """status = "published"

[[review.history]]
status = "submitted"
by = "Author {i}"
at = {day}T09:30:00

[[review.history]]
status = "approved"
by = "Checker {i}"
at = {day}T14:00:00

[[review.history]]
status = "published"
by = "Publisher {i}"
at = {day}T16:00:00
"""


def generate(folder: Path, count: int) -> list[Path]:
    """COUNT published copies of the shipped examples, each with its own reference, name, directorate,
    decision date and history; in a folder per directorate."""
    texts = [p.read_text(encoding="utf-8") for p in SHIPPED]
    paths = []
    for i in range(count):
        text = texts[i % len(texts)]
        year, month, day = 2020 + i % 8, 1 + i % 12, 1 + i % 28
        decided = f"{year}-{month:02d}-{day:02d}"
        directorate = DIRECTORATES[i % len(DIRECTORATES)]
        text = re.sub(r"(?m)^decision_date = .*\n", "", text, count=1)
        text = re.sub(
            r'(?m)^reference = ".*"$', f'reference = "REG-{i:05d}"\ndecision_date = {decided}', text, count=1
        )
        text = re.sub(r'(?m)^ea_name = "(.*)"$', rf'ea_name = "\1 ({i})"', text, count=1)
        text = re.sub(r'(?m)^(directorate|department|team) = ".*"$', rf'\1 = "{directorate}"', text, count=1)
        text = re.sub(r'(?m)^status = "draft"\n', HISTORY.format(i=i, day=decided), text, count=1)
        path = folder / re.sub(r"\W+", "-", directorate.lower()) / f"REG-{i:05d}.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def export(paths: list[Path], formats: tuple[str, ...], out: Path, jobs: int) -> None:
    failed = [r for r in run(paths, formats, out, jobs) if r.error is not None]
    assert not failed, failed[0].error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=cores())
    args = parser.parse_args()
    n, jobs = args.count, args.jobs
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = generate(base / "in", n)
        print(f"{n} published assessments, {jobs} processes")
        html = timed(lambda: export(paths, ("html",), base / "html", jobs))
        three = timed(lambda: export(paths, ("html", "docx", "pdf"), base / "three", jobs))
        built: list[object] = []
        first = timed(lambda: built.append(build([str(base / "in")], base / "site", jobs=jobs)))
        again = timed(lambda: built.append(build([str(base / "in")], base / "site", jobs=jobs)))
        site = base / "site"
        rows = [
            ("control: export --format html", html),
            ("control: export --format html,docx,pdf", three),
            ("eqia site (from nothing)", first),
            ("eqia site (again, unchanged)", again),
        ]
        for label, seconds in rows:
            print(f"{label:42} {seconds:8.1f} s total {seconds / n * 1000:8.1f} ms per assessment")
        print(f"site / export html:           {first / html:.2f}x")
        print(f"site / export html,docx,pdf:  {first / three:.2f}x")
        print(f"rebuild / export html:        {again / html:.2f}x")
        print(f"changed on the rebuild: {built[1].changes} files")  # type: ignore[attr-defined]
        pages = [p.stat().st_size for p in (site / "a").glob("*/index.html")]
        characteristic = max((site / "c").glob("*.html"), key=lambda p: p.stat().st_size)
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(f"index.html                    {(site / 'index.html').stat().st_size:>12,} bytes")
        print(f"search.json                   {(site / 'search.json').stat().st_size:>12,} bytes")
        print(f"median assessment page        {int(statistics.median(pages)):>12,} bytes")
        size = characteristic.stat().st_size
        print(f"largest characteristic page   {size:>12,} bytes ({characteristic.name})")
        print(
            f"whole site                    {total:>12,} bytes in {sum(1 for _ in site.rglob('*.*'))} files"
        )
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
