"""The text report: a coverage table per language, then the findings grouped by language."""

from __future__ import annotations

from wixloc.checks.report import Report
from wixloc.checks.reporters._common import by_language, details, language_name, location

__all__ = ["render"]


def render(report: Report) -> str:
    lines = _coverage(report)
    for lang, found in by_language(report).items():
        lines += ["", f"{language_name(lang)}: {len(found)} finding{'s' * (len(found) != 1)}"]
        for f in found:
            key = f" [{f.key}]" if f.key else ""
            lines.append(f"  {location(f)}: {f.severity}: {f.code}{key}: {_one_line(f.message)}")
            lines += [f"      {line}" for line in details(f, related_limit=20)]
    lines += [""] + [f"note: {note}" for note in report.notes]
    lines += [report.summary_line(), ""]  # the final newline, without copying the whole text
    return "\n".join(lines)


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
