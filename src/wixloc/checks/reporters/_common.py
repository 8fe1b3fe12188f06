"""Helpers the reporters share: grouping by language and naming languages."""

from __future__ import annotations

from functools import lru_cache

from wixloc.checks.report import Finding, Report
from wixloc.errors import LanguageError
from wixloc.locales import display_name

__all__ = [
    "FILE_GROUP",
    "by_language",
    "details",
    "language_name",
    "languages",
    "location",
    "span_parts",
]

FILE_GROUP = ""  # findings that concern no one language (keys, headers)


def languages(report: Report) -> dict[str, int]:
    """The languages that have findings, each with its count, in the order the reports group
    them: coverage order first, then the others as they come, then file-wide ones."""
    counts = report.view().languages()
    order = [c.language for c in report.coverage if c.language in counts]
    order += [lang for lang in counts if lang not in order and lang != FILE_GROUP]
    if FILE_GROUP in counts:
        order.append(FILE_GROUP)
    return {lang: counts[lang] for lang in order}


def by_language(report: Report) -> dict[str, list[Finding]]:
    """Findings grouped by language, in the order of :func:`languages`."""
    view = report.view()
    return {lang: list(view.of_language(lang)) for lang in languages(report)}


@lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """``de`` -> ``German (de)``; the file-wide group and unknown tags are named plainly."""
    if tag == FILE_GROUP:
        return "All languages"
    try:
        return f"{display_name(tag)} ({tag})"
    except LanguageError:
        return tag


def location(finding: Finding) -> str:
    return finding.file if finding.line is None else f"{finding.file}:{finding.line}"


def span_parts(finding: Finding) -> tuple[str, str, str] | None:
    """The spanned text cut into (before, span, after), or None when the finding has no span."""
    if finding.column is None or finding.end_column is None:
        return None
    text = finding.spanned_text
    start, end = finding.column - 1, finding.end_column - 1
    return text[:start], text[start:end], text[end:]


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def details(finding: Finding, related_limit: int | None = None) -> list[str]:
    """Lines that show the finding's texts, its span and the other entries it involves."""
    lines = []
    if finding.source or finding.translation:
        lines.append(f"source: {_one_line(finding.source)}")
        lines.append(f"translation: {_one_line(finding.translation)}")
    parts = span_parts(finding)
    if parts is not None:
        lines.append(
            f"span: '{_one_line(parts[1])}' at columns {finding.column}-{finding.end_column} "
            f"of the {finding.span_in}"
        )
    shown = finding.related if related_limit is None else finding.related[:related_limit]
    for other in shown:
        where = f" (line {other.line})" if other.line is not None else ""
        lines.append(f"also: {other.key}{where}: {_one_line(other.text)}")
    if len(shown) < len(finding.related):
        lines.append(f"also: {len(finding.related) - len(shown)} more entries")
    return lines
