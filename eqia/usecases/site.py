"""Provides `eqia site`: a public register of every published assessment in a folder, built as plain
files (an index with filters, a page per assessment with its PDF and Word report, a page per
protected characteristic) that any web server can serve.

The build runs in two passes over the files, in parallel. The first opens every assessment (one
unreadable file stops the build: the register must not silently leave one out), keeps the published
ones and asks blockers() of each whether it may be published; the second renders each published
assessment's page, PDF and Word document. Every file is staged beside the site and only the files
whose bytes changed are moved in (eqia.files.staging), so the same input changes no file, an error
at any point changes none, and files of assessments no longer published are removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eqia.document.public import public_copy
from eqia.errors import EqiaError
from eqia.files import staging
from eqia.files.opening import Opened, expand_paths, open_assessment
from eqia.report.site_data import Listing, listing, published_at
from eqia.report.site_pages import (
    ASSESSMENTS,
    CharacteristicPage,
    Entry,
    assessment_page,
    characteristic_page,
    characteristic_pages,
    index_page,
    language,
    script,
    search_index,
    site_words,
    stylesheet,
)
from eqia.report.tree import build_report
from eqia.usecases.export import plan_names
from eqia.usecases.publishing import blockers as personal_data_blockers

# Deferred imports: the Word and PDF renderers load python-docx and Typst, slow to import, only when a
# build has something to render; multiprocessing only for a build run in parallel.
MANIFEST = ".eqia-site.json"
"""The files the last build wrote, kept in the site: only these are ever removed."""
GENERATOR = "eqia site"
PUBLISHED = "published"
_NO_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
"""A PDF's creation date when neither its publication nor its decision date is recorded."""
Progress = Callable[[int, int], None]
_RENDERERS = ("eqia.report.render_pdf", "eqia.report.render_docx")


def blockers(opened: Opened) -> list[str]:
    """Why a published assessment may not go on the public register yet: one message per reason, [] when
    nothing stands in the way. Asked of every published assessment before anything is written; any
    message stops the build: personal data left in the text (EQ028), until edited out or kept."""
    return [
        f"line {line}: {message}" if line else message for _, line, message in personal_data_blockers(opened)
    ]


class BadInput(Exception):
    """Files that could not be read or rendered; nothing was written."""

    def __init__(self, errors: list[EqiaError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class Blocked(Exception):
    """Published assessments that may not go on the register yet (see blockers); nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class NothingPublished(EqiaError):
    """No assessment in the folders is published; nothing was written."""


@dataclass
class Built:
    """What a build did."""

    site: Path
    published: int
    characteristics: int
    files: int
    """Files the site holds that the build wrote."""
    changed: list[str] = field(default_factory=list)
    """Files written because their bytes changed, or new."""
    removed: list[str] = field(default_factory=list)
    """Files of an earlier build that this one no longer has."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Every file's size in bytes, by its name in the site."""

    @property
    def changes(self) -> int:
        return len(self.changed) + len(self.removed)


@dataclass
class _Survey:
    """What the first pass learns of one file."""

    path: str
    error: EqiaError | None = None
    published: bool = False
    header: tuple[str, str] = ("", "")
    listing: Listing | None = None
    created: dt.datetime | None = None
    blocked: list[str] = field(default_factory=list)


def build(
    paths: list[str] | tuple[str, ...],
    out: Path,
    *,
    show_names: bool = False,
    jobs: int = 1,
    words: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Built:
    """Build (or bring up to date) the register in `out` from the assessments under `paths`.

    Raises BadInput, Blocked or NothingPublished, and EqiaError when the site cannot be written;
    in each case the site is as it was."""
    wording = site_words(words)
    inputs = expand_paths(list(paths))
    if not inputs:
        raise EqiaError(f"no assessment files (*.toml) in {', '.join(map(str, paths))}.")
    with _Workers(jobs, len(inputs)) as run:
        surveys = list(run(_survey, [str(p) for p in inputs], 8))
        errors = [s.error for s in surveys if s.error is not None]
        if errors:
            raise BadInput(errors)
        published = [s for s in surveys if s.published]
        if not published:
            raise NothingPublished(
                f"no assessment in {', '.join(map(str, paths))} is published, so there is nothing to put "
                "on the register.",
                hint="Publish one first: eqia publish FILE --by NAME.",
            )
        blocked = [f"{s.path}: {message}" for s in published for message in s.blocked]
        if blocked:
            raise Blocked(blocked)
        stems = plan_names([Path(s.path) for s in published], [s.header for s in published])
        entries = [Entry(s.listing, stem) for s, stem in zip(published, stems, strict=True) if s.listing]
        assert len(entries) == len(published)  # a published file's survey always has its listing
        pages = characteristic_pages(entries)
        urls = {p.cid: p.url for p in pages}
        target = Path(out)
        before = staging.read_manifest(target, MANIFEST)
        stage_dir = staging.start(target)
        try:
            jobs_ = [
                (s.path, e.stem, urls, wording, show_names, s.created, str(target), str(stage_dir))
                for s, e in zip(published, entries, strict=True)
            ]
            sizes: dict[str, int] = {}
            changed: list[str] = []
            failed: list[EqiaError] = []
            for done, result in enumerate(run(_render, jobs_, 1), start=1):
                if isinstance(result, EqiaError):
                    failed.append(result)
                else:
                    for name, size, was_changed in result:
                        sizes[name] = size
                        if was_changed:
                            changed.append(name)
                if progress is not None:
                    progress(done, len(jobs_))
            if failed:
                raise BadInput(failed)
            for name, data in _shared_files(entries, pages, wording).items():
                sizes[name] = len(data)
                if staging.stage(target, stage_dir, name, data):
                    changed.append(name)
            data = staging.manifest_bytes(set(sizes), GENERATOR)
            if staging.stage(target, stage_dir, MANIFEST, data):
                changed.append(MANIFEST)
            removed = staging.commit(target, stage_dir, changed, before - set(sizes), MANIFEST)
        finally:
            staging.discard(stage_dir)
    return Built(target, len(entries), len(pages), len(sizes), sorted(changed), removed, sizes)


def _shared_files(
    entries: list[Entry], pages: list[CharacteristicPage], words: dict[str, str]
) -> dict[str, bytes]:
    """The index, its search data, the style sheet, the script and the characteristics' pages."""
    lang = language(entries)
    files = {
        "index.html": index_page(entries, pages, words),
        "search.json": search_index(entries),
        "site.css": stylesheet(),
        "site.js": script(),
    }
    for page in pages:
        files[page.url] = characteristic_page(page, words, lang)
    return {name: text.encode("utf-8") for name, text in files.items()}


def _survey(path_text: str) -> _Survey:
    """First pass, one file: open it; if published, its listing and what blocks it (runs in a worker)."""
    survey = _Survey(path_text)
    try:
        opened = open_assessment(Path(path_text))
        a = opened.assessment
        if a.review.status != PUBLISHED:
            return survey
        survey.published = True
        ref, name = a.header.get("reference", ""), a.header.get("ea_name", "")
        survey.header = (ref if isinstance(ref, str) else "", name if isinstance(name, str) else "")
        survey.listing = listing(opened.form, public_copy(opened.form, a))
        survey.created = _created(published_at(a), survey.listing.decision_date)
        survey.blocked = list(blockers(opened))
    except EqiaError as exc:
        survey.error = _named(exc, path_text)
    except Exception as exc:  # one odd file must be reported, not crash the build
        survey.error = _unexpected(exc, path_text, "read")
    return survey


def _created(when: dt.datetime | None, decision: str) -> dt.datetime:
    """The creation date written into the PDF: when it was published, else its decision date."""
    if when is not None:
        return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    if decision:
        return dt.datetime.fromisoformat(decision).replace(tzinfo=dt.UTC)
    return _NO_DATE


def _render(job: tuple[Any, ...]) -> list[tuple[str, int, bool]] | EqiaError:
    """Second pass, one published assessment: its page, PDF and Word document, each staged if changed;
    (name, size, staged) of each, or the error (runs in a worker)."""
    path_text, stem, urls, words, show_names, created, target, stage_dir = job
    try:
        # Loaded here: python-docx and Typst are slow to import, and only a build renders them.
        from eqia.report.render_docx import render_docx
        from eqia.report.render_pdf import render_pdf

        opened = open_assessment(Path(path_text))
        shown = public_copy(opened.form, opened.assessment)  # officers as the roles the form gives them
        report = build_report(opened.form, shown)
        entry = Entry(listing(opened.form, shown), stem)
        folder = f"{ASSESSMENTS}/{stem}"
        pdf = render_pdf(report, created=created)
        docx = render_docx(report)
        files = {f"{folder}/{stem}.pdf": pdf, f"{folder}/{stem}.docx": docx}
        downloads = [(f"{stem}.pdf", "pdf", len(pdf)), (f"{stem}.docx", "docx", len(docx))]
        page = assessment_page(entry, report, downloads, urls, words, show_names=show_names)
        files[f"{folder}/index.html"] = page.encode("utf-8")
        return [
            (name, len(data), staging.stage(Path(target), Path(stage_dir), name, data))
            for name, data in files.items()
        ]
    except EqiaError as exc:
        return _named(exc, path_text)
    except Exception as exc:  # one odd file must be reported, not crash the build
        return _unexpected(exc, path_text, "publish")


def _named(exc: EqiaError, path: str) -> EqiaError:
    if exc.file is None:  # a renderer's error (a PDF with no font for some text) names no file
        exc.file = path
    return exc


def _unexpected(exc: Exception, path: str, doing: str) -> EqiaError:
    return EqiaError(
        f"eqia could not {doing} this file ({type(exc).__name__}: {exc}). Please report it.", file=path
    )


class _Workers:
    """map over a pool of worker processes (or in this process for one job), for the two passes."""

    def __init__(self, jobs: int, size: int) -> None:
        self.jobs = max(1, min(jobs, size))
        self.pool: Any = None

    def __enter__(self) -> Callable[..., Iterator[Any]]:
        if self.jobs > 1:
            import multiprocessing  # deferred: only a build run in parallel starts workers

            # Workers start from a fresh process, never a fork of this one: Typst's threads, once a
            # PDF was made here (an earlier build in the same process), do not survive a fork.
            if "forkserver" in multiprocessing.get_all_start_methods():
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__, *_RENDERERS])
            else:
                context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(processes=self.jobs)
        return self.map

    def map(self, fn: Callable[[Any], Any], items: list[Any], chunk: int) -> Iterator[Any]:
        if self.pool is None:
            return map(fn, items)
        return self.pool.imap(fn, items, chunksize=max(1, min(chunk, len(items) // (self.jobs * 4))))

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
