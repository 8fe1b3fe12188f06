"""JUnit XML: a test suite per language, a test case per rule; error findings are failures.

Warnings do not fail a test case; they are listed in its ``system-out``. Findings about no one
language (keys, headers) form the suite "All languages".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from wixloc.checks.report import Finding, Report
from wixloc.checks.reporters._common import FILE_GROUP, details, language_name, location
from wixloc.checks.rules import Severity

__all__ = ["chunks", "render"]


def chunks(report: Report) -> Iterator[str]:
    """The document in one piece: lxml builds it whole."""
    yield render(report)


def render(report: Report) -> str:
    groups: dict[str, list[Finding]] = {c.language: [] for c in report.coverage}
    for finding in report.findings:
        groups.setdefault(finding.language, []).append(finding)
    groups[FILE_GROUP] = groups.pop(FILE_GROUP, [])  # always present, always last
    root = etree.Element("testsuites", name="wixloc check")
    failures = 0
    for lang, found in groups.items():
        failures += _suite(root, lang, found, report)
    root.set("tests", str(len(groups) * len(report.rules)))
    root.set("failures", str(failures))
    root.set("errors", "0")
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return data.decode("utf-8")


def _suite(root: etree._Element, lang: str, found: list[Finding], report: Report) -> int:
    suite = etree.SubElement(root, "testsuite", name=language_name(lang))
    failed = 0
    by_code: dict[str, list[Finding]] = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    for rule in report.rules:
        mine = by_code.get(rule.code, [])
        case = etree.SubElement(
            suite, "testcase", name=rule.code, classname=f"wixloc.check.{lang or 'all'}"
        )
        errors = [f for f in mine if f.severity is Severity.ERROR]
        if errors:
            failed += 1
            failure = etree.SubElement(
                case, "failure", message=f"{len(errors)} × {rule.code}", type=rule.code
            )
            failure.text = _clean("\n".join(_describe(f) for f in errors))
        warnings = [f for f in mine if f.severity is Severity.WARNING]
        if warnings:
            etree.SubElement(case, "system-out").text = _clean(
                "\n".join(_describe(f) for f in warnings)
            )
    suite.set("tests", str(len(report.rules)))
    suite.set("failures", str(failed))
    suite.set("errors", "0")
    return failed


def _describe(f: Finding) -> str:
    key = f" [{f.key}]" if f.key else ""
    return "\n    ".join([f"{location(f)}{key}: {f.message}", *details(f)])


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters; show them as \\xNN instead."""
    return _NOT_XML.sub(_escaped, text)


# what XML 1.0 cannot hold, of what a str holds: C0 controls but tab, LF and CR; U+FFFE, U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"
