"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

Escaping follows the runner's rules: in the message ``%``, CR and LF become ``%25``, ``%0D`` and
``%0A``; in properties ``:`` and ``,`` are escaped too (``%3A``, ``%2C``).
"""

from __future__ import annotations

from collections.abc import Iterator

from wixloc.checks.report import Finding, Report
from wixloc.checks.reporters._common import details

__all__ = ["chunks", "escape_data", "escape_property", "render"]


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _line(f: Finding) -> str:
    props = [f"file={escape_property(f.file)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
    props.append(f"title={escape_property(f.code)}")
    where = " ".join(part for part in (f.language, f.key) if part)
    message = f"{where}: {f.message}" if where else f.message
    # the texts on lines of their own: the annotation shows what the reviewer must compare
    message = "\n".join([message, *details(f, related_limit=10)])
    return f"::{f.severity.value} {','.join(props)}::{escape_data(message)}"


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    return (_line(f) + "\n" for f in report.findings)
