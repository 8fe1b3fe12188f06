"""The text report: a coverage table per language, then the findings grouped by language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from wixloc.checks.report import Finding, Report
from wixloc.checks.reporters._common import details, language_name, languages
from wixloc.checks.rules import Severity

__all__ = ["chunks", "findings_text", "render"]


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's lines, each with its newline, in pieces: the coverage table, each
    language's heading, its findings :data:`_PIECE` at a time (:func:`findings_text`), the
    notes and the summary line."""
    yield "".join(f"{line}\n" for line in _coverage(report))
    view = report.view()
    for lang, count in languages(report).items():
        yield f"\n{language_name(lang)}: {count} finding{'s' * (count != 1)}\n"
        found = view.of_language(lang)
        while piece := list(islice(found, _PIECE)):
            yield findings_text(piece)
    yield "\n" + "".join(f"note: {note}\n" for note in report.notes)
    yield f"{report.summary_line()}\n"


_PIECE = 1024  # findings rendered into one piece


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
