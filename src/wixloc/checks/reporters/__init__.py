"""Reporters: a check's Report as text for people or as a file a CI system reads.

Each module offers ``render(report) -> str``; :data:`FORMATS` names them for ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable

from wixloc.checks.report import Report
from wixloc.checks.reporters import github, html, json, junit, sarif, text
from wixloc.errors import UsageError

__all__ = ["FORMATS", "render"]

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json.render,
    "junit": junit.render,
    "github": github.render,
    "sarif": sarif.render,
    "html": html.render,
}


def render(report: Report, fmt: str = "text") -> str:
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown report format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}"
        ) from None
    return renderer(report)
