"""The text report: a coverage table per language, then the findings grouped by language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from wixloc import workers
from wixloc.checks.report import Finding, Findings, Report
from wixloc.checks.reporters._common import details, language_name, languages
from wixloc.checks.rules import Severity

__all__ = ["chunks", "encoded", "findings_text", "render"]


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's lines, each with its newline, in pieces: the coverage table, each
    language's heading, its findings :data:`_PIECE` at a time (:func:`findings_text`), the
    notes and the summary line."""
    yield _head(report)
    view = report.view()
    for lang, count in languages(report).items():
        yield _heading(lang, count)
        found = view.of_language(lang)
        while piece := list(islice(found, _PIECE)):
            yield findings_text(piece)
    yield _tail(report)


_PIECE = 1024  # findings rendered into one piece
_SPREAD = 20_000  # findings: fewer are rendered here sooner than workers start
_AHEAD = 4 << 20  # bytes a rendering worker may hold ahead of what is written


def encoded(report: Report, jobs: int = 1, errors: str = "strict") -> Iterator[bytes]:
    """:func:`chunks`, encoded in UTF-8 (with the codec error handler *errors*).

    The findings of a large report are rendered and encoded in *jobs* worker processes where
    workers fork (each starts with the report as it is: nothing is copied to it; elsewhere
    the pieces are rendered here, in the same order and the same bytes), a piece at
    a time (:meth:`Findings.of_piece`: a part of a table), and come back in order. Rendering
    and encoding 200,000 findings took a second in this process alone, after the check,
    while the other cores waited. A worker that cannot start or dies leaves its pieces to
    this process, so the bytes are the same."""
    view = report.view()
    if jobs <= 1 or len(view) < _SPREAD:
        return (text.encode("utf-8", errors) for text in chunks(report))
    return _spread(report, view, jobs, errors)


def _spread(report: Report, view: Findings, jobs: int, errors: str) -> Iterator[bytes]:
    found = languages(report)
    asked = [(view, lang, piece, errors) for lang in found for piece in range(view.pieces(lang))]
    yield _head(report).encode("utf-8", errors)
    with workers.StreamPool(_rendered, asked, jobs, ahead=_AHEAD, fork_only=True) as pool:
        at = 0
        for lang, count in found.items():
            yield _heading(lang, count).encode("utf-8", errors)
            for _ in range(view.pieces(lang)):
                yield from pool.chunks(at)
                at += 1
    yield _tail(report).encode("utf-8", errors)


def _rendered(asked: tuple[Findings, str, int, str]) -> Iterator[bytes]:
    """One piece of a language's findings, rendered and encoded (in a worker process)."""
    view, lang, piece, errors = asked
    found = view.of_piece(lang, piece)
    while some := list(islice(found, _PIECE)):
        yield findings_text(some).encode("utf-8", errors)


def _head(report: Report) -> str:
    return "".join(f"{line}\n" for line in _coverage(report))


def _heading(lang: str, count: int) -> str:
    return f"\n{language_name(lang)}: {count} finding{'s' * (count != 1)}\n"


def _tail(report: Report) -> str:
    return "\n" + "".join(f"note: {note}\n" for note in report.notes) + f"{report.summary_line()}\n"


def findings_text(found: Iterable[Finding]) -> str:
    """The lines of *found*, as the text report lists them under their language's heading.

    A function of the findings alone (no count, heading or summary: those are the report's),
    so any run of a language's findings can be rendered apart and the pieces joined. Most
    findings have no span and no related entries (a missing translation quoting its source):
    their lines are an f-string or two; those with related entries go through :func:`details`."""
    out: list[str] = []
    heads: dict[tuple[str, Severity, str], tuple[str, str]] = {}
    for f in found:
        head = heads.get((f.file, f.severity, f.code))
        if head is None:
            head = heads[f.file, f.severity, f.code] = (f"  {f.file}", f": {f.severity}: {f.code}")
        message = f.message
        if "\n" in message or "\r" in message:
            message = _one_line(message)
        line = "" if f.line is None else f":{f.line}"
        key = f" [{f.key}]" if f.key else ""
        if f.related:
            out.append(f"{head[0]}{line}{head[1]}{key}: {message}\n")
            out.extend([f"      {shown}\n" for shown in details(f, related_limit=20)])
            continue
        if f.source or f.translation:
            source, translation = f.source, f.translation
            if "\n" in source or "\r" in source:
                source = _one_line(source)
            if "\n" in translation or "\r" in translation:
                translation = _one_line(translation)
            text = (
                f"{head[0]}{line}{head[1]}{key}: {message}\n"
                f"      source: {source}\n      translation: {translation}\n"
            )
        else:
            text = f"{head[0]}{line}{head[1]}{key}: {message}\n"
        column, end = f.column, f.end_column
        if column is not None and end is not None:
            span = f.spanned_text[column - 1 : end - 1]
            if "\n" in span or "\r" in span:
                span = _one_line(span)
            text += f"      span: '{span}' at columns {column}-{end} of the {f.span_in}\n"
        out.append(text)
    return "".join(out)


def _coverage(report: Report) -> list[str]:
    if not report.coverage:
        return ["No target languages to measure."]
    rows = [("Language", "Entries", "Translated", "Missing", "Coverage")]
    for c in report.coverage:
        rows.append(
            (
                language_name(c.language),
                str(c.total),
                str(c.translated),
                str(c.missing),
                f"{c.percent:.1f}%",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    out = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    if report.min_coverage is not None:
        out.append(f"(required coverage: {report.min_coverage:g}%)")
    return out


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")
