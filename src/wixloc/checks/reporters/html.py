"""The HTML report: one self-contained page (no remote scripts, styles or fonts).

A verdict, a coverage bar chart per language drawn as inline SVG, then one table of findings
with the source and the translation side by side (the finding's span marked), and filters by
language, rule and severity (a few lines of inline script), so a reviewer can work from it and a
CI job can keep it as an artifact.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from html import escape

from wixloc.checks.report import Coverage, Finding, Report
from wixloc.checks.reporters._common import by_language, language_name, span_parts
from wixloc.checks.rules import Severity

__all__ = ["chunks", "render"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:64rem;padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.verdict{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#82071e}
.files{color:#59636e}table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d1d9e0;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#cf222e;font-weight:600}.warning{color:#9a6700;font-weight:600}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em;word-break:break-all}
code.rule{white-space:nowrap;word-break:normal}
svg text{font-family:system-ui,sans-serif;font-size:13px}
td.text{white-space:pre-wrap;word-break:break-word;max-width:22rem}
mark{background:#fff8c5;outline:1px solid #d4a72c;border-radius:2px}
.filters{display:flex;gap:1rem;flex-wrap:wrap;margin:.5rem 0 1rem}.filters label{font-size:.9rem}
details{font-size:.85rem;color:#59636e}tr[hidden]{display:none}.notes{color:#59636e}
"""

# Filters: each finding row carries its language, rule and severity; a row shows when all match.
_SCRIPT = """
(function(){var s=document.querySelectorAll('.filters select'),r=document.querySelectorAll(
'tr.finding'),c=document.getElementById('shown');function f(){var n=0;r.forEach(function(t){
var ok=true;s.forEach(function(x){if(x.value&&t.dataset[x.name]!==x.value)ok=false;});
t.hidden=!ok;if(ok)n++;});c.textContent=n;}s.forEach(function(x){x.addEventListener('change',f);
});f();})();
"""

_NO_LANGUAGE = "-"  # the filter value of findings about no one language ("" is "all")
_BAR_H, _GAP, _LABEL_W, _BAR_W = 22, 10, 220, 380


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The page's parts, each with its newline (a finding's row is one part)."""
    ok = report.exit_code == 0
    verdict = "Passed: no errors" if ok else f"Failed: {report.errors} error(s) must be fixed"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>wixloc check report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Translation check</h1>",
        f'<p class="files">{escape(", ".join(report.files))}</p>',
        f'<div class="verdict {"pass" if ok else "fail"}">{escape(verdict)}; '
        f"{report.warnings} warning(s).</div>",
        "<h2>Coverage per language</h2>",
        _chart(report.coverage, report.min_coverage),
        _coverage_table(report.coverage),
    ]
    yield "".join(f"{part}\n" for part in parts)
    for part in _findings(report):
        yield f"{part}\n"
    yield "</body></html>\n"


def _chart(coverage: list[Coverage], threshold: float | None) -> str:
    if not coverage:
        return "<p>No target languages to measure.</p>"
    height = len(coverage) * (_BAR_H + _GAP) + _GAP
    width = _LABEL_W + _BAR_W + 70
    out = [
        f'<svg role="img" aria-label="Coverage per language" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, c in enumerate(coverage):
        y = _GAP + i * (_BAR_H + _GAP)
        filled = round(_BAR_W * c.percent / 100, 1)
        low = threshold is not None and c.percent < threshold
        color = "#cf222e" if low else ("#1a7f37" if c.percent >= 100 else "#bf8700")
        out += [
            f'<text x="{_LABEL_W - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(language_name(c.language))}</text>",
            f'<rect x="{_LABEL_W}" y="{y}" width="{_BAR_W}" height="{_BAR_H}" fill="#eaeef2"/>',
            f'<rect x="{_LABEL_W}" y="{y}" width="{filled}" height="{_BAR_H}" fill="{color}">'
            f"<title>{c.translated} of {c.total} translated</title></rect>",
            f'<text x="{_LABEL_W + _BAR_W + 8}" y="{y + 16}">{c.percent:.1f}%</text>',
        ]
    if threshold is not None:
        x = _LABEL_W + _BAR_W * threshold / 100
        out.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#1f2328" '
            'stroke-dasharray="4 3"><title>required coverage</title></line>'
        )
    out.append("</svg>")
    return "".join(out)


def _coverage_table(coverage: list[Coverage]) -> str:
    rows = "".join(
        f"<tr><td>{escape(language_name(c.language))}</td><td class=num>{c.total}</td>"
        f"<td class=num>{c.translated}</td><td class=num>{c.missing}</td>"
        f"<td class=num>{c.percent:.1f}%</td></tr>"
        for c in coverage
    )
    return (
        "<table><tr><th>Language</th><th>Entries</th><th>Translated</th><th>Missing</th>"
        f"<th>Coverage</th></tr>{rows}</table>"
    )


def _findings(report: Report) -> Iterator[str]:
    groups = by_language(report)
    yield from (f'<p class="notes">Note: {escape(note)}</p>' for note in report.notes)
    if not groups:
        yield from ("<h2>Findings</h2>", "<p>Nothing to fix.</p>")
        return
    found = [f for fs in groups.values() for f in fs]
    yield f'<h2>Findings: <span id="shown">{len(found)}</span> of {len(found)} shown</h2>'
    yield _filters(groups, found)
    yield (
        "<table><tr><th>Severity</th><th>Rule</th><th>Language</th><th>Where</th>"
        "<th>What is wrong</th><th>Source</th><th>Translation</th></tr>"
    )
    yield from (_row(f) for f in found)
    yield "</table>"
    yield f"<script data-filters>{_SCRIPT}</script>"


def _filters(groups: dict[str, list[Finding]], found: list[Finding]) -> str:
    rules = sorted({f.code for f in found})
    levels = [lv for lv in ("error", "warning") if any(f.severity.value == lv for f in found)]
    menus = [
        ("lang", "Language", [(lang or _NO_LANGUAGE, language_name(lang)) for lang in groups]),
        ("rule", "Rule", [(code, code) for code in rules]),
        ("severity", "Severity", [(lv, lv) for lv in levels]),
    ]
    parts = []
    for name, label, options in menus:
        items = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
        parts.append(
            f'<label>{label} <select name="{name}"><option value="">all</option>{items}'
            "</select></label>"
        )
    return f'<div class="filters">{"".join(parts)}</div>'


def _row(f: Finding) -> str:
    file = _escape_name(f.file)
    where = file if f.line is None else f"{file}, line {f.line}"
    key = f"<br><code>{_escape_text(f.key)}</code>" if f.key else ""
    level = "error" if f.severity is Severity.ERROR else "warning"
    return (
        f'<tr class="finding" data-lang="{_escape_name(f.language or _NO_LANGUAGE)}" '
        f'data-rule="{_escape_name(f.code)}" '
        f'data-severity="{level}"><td class="{level}">{level}</td>'
        f'<td><code class="rule">{_escape_name(f.code)}</code></td>'
        f"<td>{_escape_name(language_name(f.language))}</td><td>{where}{key}</td>"
        f"<td><bdi>{_escape_text(f.message)}</bdi>{_related(f)}</td>"
        f"<td class=text dir=auto>{_text(f, 'source')}</td>"
        f"<td class=text dir=auto>{_text(f, 'translation')}</td></tr>"
    )


@lru_cache(maxsize=1024)
def _escape_name(text: str) -> str:
    """``escape(text)`` of a text that comes back row after row: a file, a rule, a language."""
    return escape(text)


def _escape_text(text: str) -> str:
    """``escape(text)``, without its five replacements for a text that needs none."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return escape(text)
    return text


def _text(f: Finding, which: str) -> str:
    text = f.source if which == "source" else f.translation
    parts = span_parts(f) if f.span_in == which else None
    if parts is None:
        return _escape_text(text)
    before, span, after = parts
    return f"{_escape_text(before)}<mark>{_escape_text(span)}</mark>{_escape_text(after)}"


def _related(f: Finding) -> str:
    if not f.related:
        return ""
    items = "".join(
        f"<li><code>{_escape_text(r.key)}</code>"
        f"{f' (line {r.line})' if r.line is not None else ''}: "
        f"<bdi>{_escape_text(r.text)}</bdi></li>"
        for r in f.related
    )
    return f"<details><summary>{len(f.related) + 1} entries</summary><ul>{items}</ul></details>"
