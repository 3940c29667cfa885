"""Provides batch export: assessments to report files, in parallel, one bad file never stopping the rest."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eqia.errors import EqiaError
from eqia.files.atomic import write_atomic
from eqia.files.opening import open_assessment, read_header
from eqia.report.tree import Report, build_report

# Deferred imports: a renderer is imported when its format is asked for (python-docx and typst are
# slow to load), and multiprocessing only for a batch run in parallel.
FORMATS = ("txt", "md", "html", "docx", "pdf")
#: The summary for the public on its own; not part of "all".
SUMMARY_FORMATS = ("summary-html", "summary-docx")
#: The file name ending of each format.
SUFFIXES = {**{f: f for f in FORMATS}, "summary-html": "summary.html", "summary-docx": "summary.docx"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SLUG = re.compile(r"[^a-z0-9]+")
MAX_STEM = 100


def parse_formats(text: str) -> tuple[str, ...]:
    """`txt,md` or `all` into a tuple of formats, in FORMATS order; ValueError names a bad one."""
    wanted = {p.strip().lower() for p in text.split(",") if p.strip()}
    if "all" in wanted:
        return FORMATS
    unknown = sorted(wanted - set(FORMATS) - set(SUMMARY_FORMATS))
    if unknown or not wanted:
        raise ValueError(f"unknown format {unknown[0]!r}" if unknown else "no format given")
    return tuple(f for f in (*FORMATS, *SUMMARY_FORMATS) if f in wanted)


def renderer(fmt: str) -> Callable[[Report], str | bytes]:
    """The renderer for a format; Word and PDF load their libraries only when asked for."""
    if fmt == "txt":
        from eqia.report.render_text import render_text

        return render_text
    if fmt == "md":
        from eqia.report.render_md import render_md

        return render_md
    if fmt == "html":
        from eqia.report.render_html import render_html

        return render_html
    if fmt == "docx":
        from eqia.report.render_docx import render_docx

        return render_docx
    if fmt == "pdf":
        from eqia.report.render_pdf import render_pdf

        return render_pdf
    if fmt in SUMMARY_FORMATS:
        from eqia.report.render_summary import render_summary_docx, render_summary_html

        return render_summary_html if fmt == "summary-html" else render_summary_docx
    raise ValueError(f"unknown format {fmt!r}")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub("-", ascii_text.lower()).strip("-")


def safe_stem(reference: str, name: str, fallback: str) -> str:
    """A file name stem from reference and title: no separators, no `..`, no control characters."""
    ref = _UNSAFE.sub("-", unicodedata.normalize("NFKD", reference).encode("ascii", "ignore").decode()).strip(
        ".-"
    )
    ref = re.sub(r"\.{2,}", ".", ref)
    parts = [p for p in (ref, slug(name)) if p]
    stem = "-".join(parts) or slug(fallback) or "assessment"
    return stem[:MAX_STEM].rstrip(".-") or "assessment"


def _header_fields(path: Path) -> tuple[str, str]:
    """Reference and name from the file's [header], for naming outputs before export."""
    header = read_header(path)
    ref, name = header.get("reference", ""), header.get("ea_name", "")
    return (ref if isinstance(ref, str) else "", name if isinstance(name, str) else "")


def plan_names(inputs: list[Path], headers: list[tuple[str, str]] | None = None) -> list[str]:
    """One output stem per input, unique in the batch (case-insensitively), stable across runs.

    headers, when given, are the inputs' (reference, name) already read (in parallel by run).
    """
    if headers is None:
        headers = [_header_fields(p) for p in inputs]
    taken: set[str] = set()
    stems = []
    for path, (reference, name) in zip(inputs, headers, strict=True):
        base = safe_stem(reference, name, path.stem)
        stem, n = base, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.lower())
        stems.append(stem)
    return stems


@dataclass
class Result:
    """What happened to one input file."""

    file: str
    outputs: list[str] = field(default_factory=list)
    error: dict[str, object] | None = None

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"file": self.file, "ok": self.error is None}
        if self.error is None:
            data["outputs"] = self.outputs
        else:
            data["error"] = self.error
        return data


def export_one(job: tuple[str, str, tuple[str, ...], str]) -> Result:
    """Read, check the form, build the report once and write every format (runs in a worker)."""
    path_text, stem, formats, out_dir = job
    path = Path(path_text)
    result = Result(path_text)
    try:
        opened = open_assessment(path)
        report = build_report(opened.form, opened.assessment)
        for fmt in formats:
            content = renderer(fmt)(report)
            data = content.encode("utf-8") if isinstance(content, str) else content
            target = Path(out_dir) / f"{stem}.{SUFFIXES[fmt]}"
            write_atomic(target, data, durable=False)
            result.outputs.append(str(target))
    except EqiaError as exc:
        if exc.file is None:  # a renderer's error (a PDF with no font for some text) names no file
            exc.file = path_text
        result.error = {"message": exc.message, "key": exc.key, "line": exc.line, "text": str(exc)}
    except Exception as exc:  # one broken file must not stop a batch of hundreds
        message = f"eqia could not export this file ({type(exc).__name__}: {exc}). Please report it."
        result.error = {"message": message, "key": None, "line": None, "text": f"{path}: {message}"}
    return result


def run(inputs: list[Path], formats: tuple[str, ...], out_dir: Path, jobs: int) -> Iterator[Result]:
    """Export every input, yielding results as they finish (in parallel when jobs > 1)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EqiaError(f"the output folder cannot be created ({exc.strerror}).", file=out_dir) from None
    if jobs <= 1 or len(inputs) <= 1:
        for job in _jobs(inputs, plan_names(inputs), formats, out_dir):
            yield export_one(job)
        return
    import multiprocessing

    _prepare(formats)
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(processes=min(jobs, len(inputs))) as pool:
        # Output names need every header first (two inputs must never share one),
        # so the pool reads the headers, then exports.
        chunk = max(1, min(32, len(inputs) // (jobs * 4)))
        headers = pool.map(_header_fields, inputs, chunksize=chunk)
        work = _jobs(inputs, plan_names(inputs, headers), formats, out_dir)
        yield from pool.imap_unordered(export_one, work, chunksize=chunk)


def _prepare(formats: tuple[str, ...]) -> None:
    """Import the renderers once, before forking, so no worker repeats it (the reader is imported above)."""
    for fmt in formats:
        renderer(fmt)
    if "html" in formats:
        from eqia.report.render_html import template

        template()


def _jobs(
    inputs: list[Path], stems: list[str], formats: tuple[str, ...], out_dir: Path
) -> list[tuple[str, str, tuple[str, ...], str]]:
    return [(str(p), s, formats, str(out_dir)) for p, s in zip(inputs, stems, strict=True)]
