"""``wixloc stats``: words and characters left to translate, per target language."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wixloc.checks.reporters._common import language_name
from wixloc.cli._options import encoding_option, tm_option
from wixloc.cli._progress import bar
from wixloc.config import find_config, load_config
from wixloc.stats import KINDS, Count, Stats, compute_stats
from wixloc.tm.analysis import DEFAULT_WEIGHTS, analyze_file, parse_weights, render

__all__ = ["COMMANDS", "stats"]


@click.command("stats")
@click.argument("file")
@click.option("--against", metavar="PREVIOUS", help="A previous export: count changed sources.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@tm_option("A translation memory to analyse against (repeat for several); implies --format text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    help="The agency analysis by match band, weighted by [stats] weights, in this form.",
)
@encoding_option
def stats(
    file: str,
    against: str | None,
    as_json: bool,
    tms: tuple[Path, ...],
    fmt: str | None,
    encoding: str | None,
) -> None:
    """Count entries, words and characters to translate, per target language.

    Split into new, changed (with --against) and repetitions (a source text seen earlier);
    Chinese and Japanese characters count one word each. With --format or --tm: the agency
    analysis, segments and words by match band (repetitions, in-context, 100 %, fuzzy bands,
    no match) against the TMX files and the site's own translations, with weighted words.

    \b
    Example:
      wixloc stats content.csv
      wixloc stats content.csv --against last-month.csv --json
      wixloc stats content.csv --tm agency.tmx --format csv > quote.csv
    """
    if fmt is not None or tms:
        weights = _weights()
        analysis = analyze_file(file, tms, against=against, weights=weights)
        names = {lang.language: language_name(lang.language) for lang in analysis.languages}
        click.echo(render(analysis, fmt or "text", names), nl=False)
        return
    with bar("Counting", "rows") as on_progress:
        result = compute_stats(file, against=against, encoding=encoding, on_progress=on_progress)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result), nl=False)


def format_table(result: Stats) -> str:
    rows = [("Language", "Kind", "Entries", "Words", "Characters")]
    for lang in [*result.languages, result.total]:
        name = "Total" if lang.language == "total" else language_name(lang.language)
        parts: list[tuple[str, Count]] = [(k, getattr(lang, k)) for k in KINDS]
        parts.append(("total", lang.total))
        for i, (kind, count) in enumerate(parts):
            shown = name if i == 0 else ""
            rows.append((shown, kind, str(count.entries), str(count.words), str(count.characters)))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "  ".join(
            [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
            + [v.rjust(w) for v, w in zip(r[2:], widths[2:], strict=True)]
        ).rstrip()
        for r in rows
    ]
    head = f"{result.file}: main language {result.main_language}"
    if result.against:
        head += f", compared with {result.against}"
    return "\n".join([head, "", *lines]) + "\n"


def _weights() -> dict[str, float]:
    """``[stats] weights`` of the project here, if there is one; else the default grid."""
    path = find_config()
    if path is None:
        return dict(DEFAULT_WEIGHTS)
    config = load_config(path, env={})
    table = config.stats.get("weights")
    return dict(DEFAULT_WEIGHTS) if table is None else parse_weights(table, str(path))


COMMANDS = [stats]
