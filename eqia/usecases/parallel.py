"""Provides running one function over the files of a folder on every core, in order, for big folders."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

PARALLEL_FROM = 48
"""Folders with fewer files than this are done in this process: starting workers costs more."""


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_files(fn: Callable[..., T], paths: Sequence[Any], *args: Any) -> list[T]:
    """fn(path, *args) for each path, results in the paths' order; across processes for a big folder.

    fn must be a module-level function and its results picklable; it must not raise for one bad file
    (each folder use case turns a bad file into a row that says so).
    """
    jobs = min(cores(), len(paths))
    if len(paths) < PARALLEL_FROM or jobs <= 1:
        return [fn(path, *args) for path in paths]
    import multiprocessing  # deferred: only big folders start workers

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(processes=jobs) as pool:
        return pool.starmap(fn, [(path, *args) for path in paths], chunksize=max(1, len(paths) // (jobs * 8)))
