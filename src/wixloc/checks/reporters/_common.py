"""Helpers the reporters share: grouping by language and naming languages."""

from __future__ import annotations

from functools import lru_cache

from wixloc.checks.report import Finding, Report
from wixloc.errors import LanguageError
from wixloc.locales import display_name

__all__ = ["FILE_GROUP", "by_language", "language_name", "location"]

FILE_GROUP = ""  # findings that concern no one language (keys, headers)


def by_language(report: Report) -> dict[str, list[Finding]]:
    """Findings grouped by language: coverage order first, then others, then file-wide ones."""
    groups: dict[str, list[Finding]] = {c.language: [] for c in report.coverage}
    for finding in report.findings:
        groups.setdefault(finding.language, []).append(finding)
    if FILE_GROUP in groups:
        groups[FILE_GROUP] = groups.pop(FILE_GROUP)  # last
    return {lang: found for lang, found in groups.items() if found}


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
