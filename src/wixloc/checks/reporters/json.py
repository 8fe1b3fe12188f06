"""The JSON report: a summary per language and the list of findings."""

from __future__ import annotations

from collections.abc import Iterator

from wixloc.checks.report import Report
from wixloc.checks.reporters._json import Items
from wixloc.checks.reporters._json import chunks as json_chunks

__all__ = ["chunks", "render"]


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    data = {
        "summary": {
            "files": report.files,
            "errors": report.errors,
            "warnings": report.warnings,
            "min_coverage": report.min_coverage,
            "languages": {c.language: c.as_dict() for c in report.coverage},
            "notes": report.notes,
        },
        "findings": Items(f.as_dict() for f in report.findings),
    }
    yield from json_chunks(data)
    yield "\n"
