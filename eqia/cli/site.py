"""Provides `eqia site`: the public register of published assessments, as a static website."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eqia.cli.output import EXIT_BAD_INPUT, EXIT_FINDINGS, error, fail, line, progress_bar
from eqia.errors import EqiaError

# Deferred imports: the build (the renderers, the forms) loads only when the command runs, so
# `eqia --help` stays quick.


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False),
    default="site",
    show_default=True,
    help="Folder to build the site in (created if missing).",
)
@click.option("--show-names", is_flag=True, help="Show who made each change of status in the history.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of cores).",
)
def site(folders: tuple[str, ...], out_dir: str, show_names: bool, jobs: int | None) -> None:
    """Build a public register of the published assessments in FOLDERS as a static website.

    FOLDERS (and their folders) are searched for *.toml. Only assessments whose review status
    is published are included. The site is plain files for any web server: an index with
    filters, a page per assessment with its PDF and Word report, and a page per protected
    characteristic. Building again from the same files changes no file; files of assessments
    no longer published are removed. Exit 0 when built, 1 when nothing is published or an
    assessment may not be published yet, 2 for unreadable files (the site is left as it was).
    """
    from eqia.usecases.parallel import cores
    from eqia.usecases.site import BadInput, Blocked, NothingPublished, build

    out = Path(out_dir)
    progress = task = None
    if sys.stderr.isatty():
        progress, task = progress_bar("Building", None)

    def advance(done: int, total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=total)
            progress.refresh()

    try:
        built = build(folders, out, show_names=show_names, jobs=jobs or cores(), progress=advance)
    except BadInput as exc:
        _stop(progress)
        for problem in exc.errors:
            error(problem)
        sys.exit(EXIT_BAD_INPUT)
    except Blocked as exc:
        _stop(progress)
        for message in exc.messages:
            error(message)
        error("the site was not built: the assessments above may not be published yet.")
        sys.exit(EXIT_FINDINGS)
    except NothingPublished as exc:
        _stop(progress)
        fail(exc, EXIT_FINDINGS)
    except EqiaError as exc:
        _stop(progress)
        fail(exc)
    _stop(progress)
    files = "file" if built.changes == 1 else "files"
    line(
        f"Built {out}: {built.published} published assessment{'s' if built.published != 1 else ''}, "
        f"{built.characteristics} characteristic page{'s' if built.characteristics != 1 else ''}; "
        f"{built.changes} {files} changed"
    )


def _stop(progress: object) -> None:
    if progress is not None:
        progress.stop()  # type: ignore[attr-defined]
