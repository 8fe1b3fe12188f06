"""The JSON report: a summary per language and the list of findings."""

from __future__ import annotations

import json

from wixloc.checks.report import Report

__all__ = ["render"]


def render(report: Report) -> str:
    data = {
        "summary": {
            "files": report.files,
            "errors": report.errors,
            "warnings": report.warnings,
            "min_coverage": report.min_coverage,
            "languages": {c.language: c.as_dict() for c in report.coverage},
            "notes": report.notes,
        },
        "findings": [f.as_dict() for f in report.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
