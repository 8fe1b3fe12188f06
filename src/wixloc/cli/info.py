"""``wixloc info``: what a table holds."""

from __future__ import annotations

import json

import click

from wixloc.cli._options import FilePath, comma_list, encoding_option, languages_option
from wixloc.coverage import coverage
from wixloc.formats import load_table
from wixloc.grammar import plural
from wixloc.locales import direction, display_name
from wixloc.model import Table


@click.command()
@click.argument("file", type=FilePath())
@languages_option("Language columns, main first (when a header is not a plain tag).")
@encoding_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def info(file: str, languages: str | None, encoding: str | None, as_json: bool) -> None:
    """Show a table's languages, key columns, entries and coverage.

    The first language is the main language; coverage of a target language counts the
    entries with main-language text that have a translation.

    \b
    Example:
      wixloc info samples/content.csv
      wixloc info export.csv --json
      wixloc info export.csv --languages EN-US,DE,HE
    """
    table = load_table(file, encoding=encoding, languages=comma_list(languages))
    summary = summarize(table, file)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(table, file))


def summarize(table: Table, file: str) -> dict[str, object]:
    return {
        "file": file,
        "layout": table.layout,
        "main_language": table.main_language.tag,
        "key_columns": table.key_columns,
        "meta_columns": table.meta_columns,
        "entries": len(table),
        "languages": [c.as_dict() for c in coverage(table)],
    }


def _text(table: Table, file: str) -> str:
    rows = coverage(table)
    lines = [
        f"{file}: {plural(len(table), 'entry')}, {plural(len(table.languages), 'language')} "
        f"({table.layout} layout)",
        f"key columns: {', '.join(table.key_columns) or '(none)'}",
    ]
    if table.meta_columns:
        lines.append(f"metadata columns: {', '.join(table.meta_columns)}")
    lines.append("")
    names = {c.language: display_name(c.language.code) for c in rows}
    tag_w = max(8, *(len(c.language.tag) for c in rows))
    name_w = max(4, *(len(n) for n in names.values()))
    lines.append(f"{'language':<{tag_w}}  {'name':<{name_w}}  dir  {'filled':>13}  coverage")
    for c in rows:
        filled = f"{c.filled}/{c.total}"
        mark = "  (main)" if c.main else ""
        lines.append(
            f"{c.language.tag:<{tag_w}}  {names[c.language]:<{name_w}}  "
            f"{direction(c.language.code)}  {filled:>13}  {c.percent:>7.1f}%{mark}"
        )
    return "\n".join(lines)


COMMANDS = [info]
