"""Provides `eqia export`: batch export of assessments to published reports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from eqia.cli.output import (
    EXIT_FINDINGS,
    EXIT_OK,
    error,
    fail,
    progress_bar,
    toml_files,
)
from eqia.document.plain import visible
from eqia.errors import EqiaError

# Deferred imports: each command imports what it uses, so `eqia --help` and the quick commands
# start without loading pydantic, the forms, rich's tables, the renderers or Textual.


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format",
    "-f",
    "formats",
    default="html",
    show_default=True,
    help="Comma-separated formats: txt, md, html, docx, pdf; or all; and summary-html, summary-docx (the "
    "summary for the public on its own).",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False),
    default="exports",
    show_default=True,
    help="Folder to write the reports to (created if missing).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of cores).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary; errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary: per file, outputs or the error.")
def export(
    paths: tuple[str, ...], formats: str, out_dir: str, jobs: int | None, quiet: bool, as_json: bool
) -> None:
    """Export assessments to published reports laid out like the Birmingham EA.

    PATHS may be files or folders (searched for *.toml). Exit 0 when every file
    was exported, 1 when any failed (the others are still exported), 2 for bad
    arguments.
    """
    from eqia.usecases.export import parse_formats, run

    try:
        wanted = parse_formats(formats)
    except ValueError as exc:
        raise click.BadParameter(
            f"{exc}; choose from txt, md, html, docx, pdf, all, summary-html or summary-docx.",
            param_hint="--format",
        ) from None
    inputs = toml_files(paths)
    if not inputs:
        fail(EqiaError(f"no assessment files (*.toml) in {', '.join(paths)}."))
    out = Path(out_dir)
    show_progress = not quiet and not as_json and sys.stderr.isatty()
    results = []
    failed = 0
    progress = task = None
    if show_progress:
        progress, task = progress_bar("Exporting", len(inputs))
    try:
        for result in run(inputs, wanted, out, jobs or _cores()):
            results.append(result)
            if result.error is not None:
                failed += 1
                if not as_json:
                    message = str(result.error["text"])
                    if progress is not None:
                        progress.console.print(
                            f"eqia: error: {visible(message, one_line=True)}", markup=False, highlight=False
                        )
                    else:
                        error(message)
            if progress is not None and task is not None:
                progress.advance(task)
                progress.refresh()
    except EqiaError as exc:
        if progress is not None:
            progress.stop()
        fail(exc)
    finally:
        if progress is not None:
            progress.stop()
    if as_json:
        results.sort(key=lambda r: r.file)
        click.echo(
            json.dumps(
                {
                    "exported": len(results) - failed,
                    "failed": failed,
                    "files": [r.as_json() for r in results],
                },
                indent=2,
            )
        )
    elif show_progress:
        written = sum(len(r.outputs) for r in results)
        done = f"Exported {len(results) - failed} of {len(results)} assessments ({written} files) to {out}/"
        click.echo(visible(done), err=True)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
