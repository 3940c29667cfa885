"""Benchmark: batch export to Word and to tagged PDF, per assessment, beside the read floor.

Run: python tests/benchmarks/bench_documents.py [--count 100] [--jobs N]
Prints ms per assessment for docx (goal <= 100 ms) and pdf (goal <= 30 ms) in batch,
and the floor (read + tomllib + pydantic) for the same generated full assessments.

Beside the PDF figure it prints a control, not a goal: Typst alone typesetting the same text
as plain paragraphs (no tables, headings, styles, header or footer; no eqia code in the timed
part), in the same number of processes. The gap from the control to the PDF figure is eqia's
layout and reading; the control itself is what Typst costs for that much text on this machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_export import time_floor
from generate import write_batch

from eqia.report.tree import ActionRow, FieldTable, Heading, Paragraph, QuestionAnswer, Report, Table
from eqia.usecases.export import run

GOALS = {"docx": 100.0, "pdf": 30.0}

# Every string of the report, each as a plain paragraph, in the default style.
CONTROL_TEMPLATE = """#let data = json(bytes(sys.inputs.at("data")))
#set document(title: data.doc_title)
#set text(font: "Noto Sans", lang: "en")
#for t in data.texts { par(t) }
"""


def control_data(report: Report) -> str:
    """The control's input: the report's title and every text of its tree, in order (headings,
    paragraphs, questions, answers, comments, header block, actions, table cells), so the control
    typesets the same text whatever shape the renderer's own data takes."""
    texts: list[str] = []
    for block in report.blocks:
        if isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, QuestionAnswer):
            texts += [block.question, block.answer]
            if block.comment:
                texts += [block.comment_label, block.comment]
        elif isinstance(block, FieldTable):
            texts += [t for f in block.rows for t in (f.label, f.value)]
        elif isinstance(block, ActionRow):
            texts += [block.title, *(t for f in block.fields for t in (f.label, f.value))]
        elif isinstance(block, Table):
            texts += [*block.columns, *(c for row in block.rows for c in row)]
    shown = [t for t in texts if t.strip()]
    return json.dumps({"doc_title": report.title, "texts": shown}, ensure_ascii=False)


def _control_compile(data: str) -> int:
    import typst

    from eqia.report import render_pdf

    compiler = getattr(_control_compile, "compiler", None)
    if compiler is None:
        folder = Path(tempfile.mkdtemp())
        (folder / "control.typ").write_text(CONTROL_TEMPLATE, encoding="utf-8")
        fonts = render_pdf._fonts()
        compiler = typst.Compiler(str(folder / "control.typ"), root=str(folder), font_paths=fonts)
        _control_compile.compiler = compiler  # type: ignore[attr-defined]
    return len(compiler.compile(sys_inputs={"data": data}, pdf_standards=[render_pdf.PDF_STANDARD]))


def time_control(paths: list[Path], jobs: int) -> float:
    """Typst alone on the same text as plain paragraphs; the data is prepared before the clock starts."""
    from eqia.files.opening import form_for
    from eqia.files.store import read
    from eqia.report.tree import build_report

    data = []
    for path in paths:
        loaded = read(path)
        report = build_report(form_for(loaded.assessment, path)[0], loaded.assessment)
        data.append(control_data(report))
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_control_compile, data[: jobs * 2], chunksize=1)  # each worker's first document
        start = time.perf_counter()
        pool.map(_control_compile, data, chunksize=max(1, len(data) // (jobs * 4)))
        return time.perf_counter() - start


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
        figures = {}
        for fmt, goal in GOALS.items():
            time_format(paths[:4], fmt, Path(tmp) / "warm", args.jobs)
            ms = figures[fmt] = time_format(paths, fmt, Path(tmp) / fmt, args.jobs) / args.count * 1000
            verdict = "OK" if ms <= goal else "OVER GOAL"
            print(f"{fmt:4s}: {ms:7.2f} ms per assessment in batch (goal <= {goal:.0f} ms) {verdict}")
        control = time_control(paths, args.jobs) / args.count * 1000
        print(
            f"control, Typst alone on the same text as plain paragraphs: {control:.2f} ms per assessment "
            f"(pdf is {figures['pdf'] / control:.2f}x the control)"
        )


if __name__ == "__main__":
    main()
