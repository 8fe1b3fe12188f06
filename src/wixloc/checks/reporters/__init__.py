"""Reporters: a check's Report as text for people or as a file a CI system reads.

Each module offers ``chunks(report)``, the report as pieces of text in order, and
``render(report) -> str``, their join; :data:`FORMATS` names them for ``--format``.
:func:`batches` gathers the pieces into batches to write as they are made, so a big report
is never held whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from wixloc.checks.report import Report
from wixloc.checks.reporters import github, html, json, junit, sarif, text
from wixloc.errors import UsageError

__all__ = ["FORMATS", "batches", "chunks", "encoded", "render"]

FORMATS: dict[str, Callable[[Report], Iterator[str]]] = {
    "text": text.chunks,
    "json": json.chunks,
    "junit": junit.chunks,
    "github": github.chunks,
    "sarif": sarif.chunks,
    "html": html.chunks,
}

_BATCH = 1 << 16  # characters encoded and written at a time


def chunks(report: Report, fmt: str = "text") -> Iterator[str]:
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown report format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}"
        ) from None
    return renderer(report)


def encoded(
    report: Report, fmt: str = "text", jobs: int = 1, errors: str = "strict"
) -> Iterator[bytes]:
    """The report in *fmt*, encoded in UTF-8 (with the codec error handler *errors*), in
    batches to write as they come; a large text report is rendered in up to *jobs* worker
    processes (:func:`text.encoded`)."""
    if fmt == "text":
        return text.encoded(report, jobs, errors)
    return (batch.encode("utf-8", errors) for batch in batches(chunks(report, fmt)))


def render(report: Report, fmt: str = "text") -> str:
    return "".join(chunks(report, fmt))


def batches(pieces: Iterable[str]) -> Iterator[str]:
    """*pieces* joined into batches of about 64 K characters (a piece is never split)."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            yield "".join(batch)
            batch.clear()
            size = 0
    if batch:
        yield "".join(batch)
