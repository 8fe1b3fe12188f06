"""SARIF 2.1.0, the format code-scanning tools (GitHub, Azure DevOps, IDEs) read.

One run: the tool's rules with their default levels, and one result per finding with the file
(a relative URI as given on the command line) and, when known, the line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from wixloc._version import __version__
from wixloc.checks.report import Finding, Report
from wixloc.checks.reporters._common import span_parts
from wixloc.checks.reporters._json import Items
from wixloc.checks.reporters._json import chunks as json_chunks

__all__ = ["SCHEMA", "chunks", "render"]

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    index = {rule.code: i for i, rule in enumerate(report.rules)}
    driver = {
        "name": "wixloc",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [
            {
                "id": rule.code,
                "name": rule.code,
                "shortDescription": {"text": rule.description},
                "defaultConfiguration": {"level": rule.severity.value},
            }
            for rule in report.rules
        ],
    }
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": Items(_result(f, index) for f in report.findings),
            }
        ],
    }
    yield from json_chunks(log)
    yield "\n"


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    where = " ".join(part for part in (f.language, f.key) if part)
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.file)}}
    if f.line is not None:
        physical["region"] = _region(f)
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": f.severity.value,
        "message": {"text": f"{where}: {f.message}" if where else f.message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"wixlocFinding/v1": _fingerprint(f)},
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.source or f.translation:
        result["properties"] = {
            "key": f.key,
            "language": f.language,
            "source": f.source,
            "translation": f.translation,
            "spanIn": f.span_in,
        }
    if f.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.file)},
                    **({"region": {"startLine": r.line}} if r.line is not None else {}),
                },
                "message": {"text": f"{r.key}: {r.text}"},
            }
            for i, r in enumerate(f.related, start=1)
        ]
    return result


def _region(f: Finding) -> dict[str, Any]:
    """The entry's line; with a span, its columns (code points in the text, see docs/check.md)
    and the text itself as the snippet, so a viewer shows what the columns count in."""
    region: dict[str, Any] = {"startLine": f.line}
    if span_parts(f) is not None:
        region["startColumn"] = f.column
        region["endColumn"] = f.end_column
        region["snippet"] = {"text": f.spanned_text}
    return region


@lru_cache(maxsize=256)
def _uri(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(PurePath(file).as_posix())  # relative: resolved against the checkout


def _fingerprint(f: Finding) -> str:
    """Stable across runs as long as the finding is the same (not its line)."""
    text = "\x1f".join((f.code, f.file, f.key, f.language))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
