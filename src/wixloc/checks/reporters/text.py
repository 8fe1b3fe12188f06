"""The text report: a coverage table per language, then the findings grouped by language."""

from __future__ import annotations

from collections.abc import Iterator

from wixloc.checks.report import Report
from wixloc.checks.reporters._common import by_language, details, language_name, location

__all__ = ["chunks", "render"]


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's lines, each with its newline: a finding's lines are one piece."""
    yield "".join(f"{line}\n" for line in _coverage(report))
    for lang, found in by_language(report).items():
        yield f"\n{language_name(lang)}: {len(found)} finding{'s' * (len(found) != 1)}\n"
        for f in found:
            key = f" [{f.key}]" if f.key else ""
            head = f"  {location(f)}: {f.severity}: {f.code}{key}: {_one_line(f.message)}\n"
            yield head + "".join(f"      {line}\n" for line in details(f, related_limit=20))
    yield "\n" + "".join(f"note: {note}\n" for note in report.notes)
    yield f"{report.summary_line()}\n"


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
