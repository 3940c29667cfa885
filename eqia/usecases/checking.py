"""Provides checking files: every finding of every file located by key and line, the exit policy
(0 clean, 1 findings at or above a severity, 2 unreadable input) and the JSON shape scripts read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eqia.document.keypath import dotted
from eqia.errors import EqiaError
from eqia.files.opening import open_assessment
from eqia.files.tomlfile import line_finder
from eqia.quality.checks import CHECKS, SEVERITY_RANK, Finding, run_checks
from eqia.usecases.parallel import map_files

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Located:
    """A finding with where it is in the file: its dotted key and line."""

    finding: Finding
    key: str
    line: int | None

    def as_json(self) -> dict[str, Any]:
        f = self.finding
        return {
            "rule": f.rule,
            "slug": f.slug,
            "severity": f.severity,
            "key": self.key,
            "line": self.line,
            "message": f.message,
        }


@dataclass
class FileCheck:
    """One file's result: its findings, or the error that stopped it being read."""

    path: Path
    findings: list[Located] = field(default_factory=list)
    error: EqiaError | None = None

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.finding.severity == s) for s in SEVERITIES}

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"file": str(self.path)}
        if self.error is not None:
            e = self.error
            entry["error"] = {"message": e.message, "key": e.key, "line": e.line, "text": str(e)}
        else:
            entry["findings"] = [f.as_json() for f in self.findings]
        return entry


def check_file(path: Path, today: dt.date | None = None) -> FileCheck:
    """Open one file and run every check; an unreadable file is a FileCheck with its error."""
    try:
        opened = open_assessment(path)
        findings = run_checks(opened.form, opened.assessment, today)
        text = opened.file.text
        line_of = line_finder(text)
        located = [Located(f, dotted(f.key_path), line_of(f.key_path)) for f in findings]
    except EqiaError as exc:
        return FileCheck(path, error=exc)
    except Exception as exc:  # one odd file must not stop the check of a folder of hundreds
        message = f"eqia could not check this file ({type(exc).__name__}: {exc}). Please report it."
        return FileCheck(path, error=EqiaError(message, file=path))
    return FileCheck(path, located)


def exit_code(results: list[FileCheck], severity: str) -> int:
    """2 when a file could not be read, else 1 when a finding is at or above severity, else 0."""
    if any(r.error is not None for r in results):
        return EXIT_BAD_INPUT
    threshold = SEVERITY_RANK[severity]
    if any(SEVERITY_RANK[f.finding.severity] >= threshold for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def results_json(results: list[FileCheck], severity: str) -> dict[str, Any]:
    return {
        "severity": severity,
        "exit_code": exit_code(results, severity),
        "files": [r.as_json() for r in results],
    }


def rules_json() -> list[dict[str, str]]:
    return [{"id": c.id, "slug": c.slug, "severity": c.severity, "summary": c.summary} for c in CHECKS]


def check_files(paths: list[Path]) -> list[FileCheck]:
    """check_file for each path, in order, across the machine's cores for a big folder."""
    return map_files(check_file, paths)
