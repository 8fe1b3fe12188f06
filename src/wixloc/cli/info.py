"""``wixloc info``: what a table holds."""

from __future__ import annotations

import json

import click

from wixloc import formats
from wixloc.cli._options import FilePath, comma_list, encoding_option, languages_option
from wixloc.coverage import UnitCoverage, coverage, unit_coverage
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
    entries with main-language text that have a translation. For a translator file (PO,
    XLIFF, a one-language workbook): its two languages, units and their states.

    \b
    Example:
      wixloc info samples/content.csv
      wixloc info export.csv --json
      wixloc info export.csv --languages EN-US,DE,HE
      wixloc info translations/content.de.po
    """
    document = formats.open_document(file, encoding=encoding, languages=comma_list(languages))
    if document.holds_units:
        units = unit_coverage(document.units())
        if as_json:
            click.echo(json.dumps(_units_json(units, file, document.format.name), indent=2))
        else:
            click.echo(_units_text(units, file, document.format.name))
        return
    table = document.table()
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


def _units_json(units: UnitCoverage, file: str, fmt: str) -> dict[str, object]:
    return {
        "file": file,
        "format": fmt,
        "source_language": units.source_language.tag,
        "target_language": units.target_language.tag,
        "units": units.units,
        "states": {state.value: n for state, n in units.states.items()},
        "done": units.done,
        "coverage": units.percent,
    }


def _units_text(units: UnitCoverage, file: str, fmt: str) -> str:
    source, target = units.source_language, units.target_language
    lines = [
        f"{file}: {plural(units.units, 'unit')}, {source.tag} ({display_name(source.code)}) "
        f"to {target.tag} ({display_name(target.code)}), {fmt}",
        "",
        f"{'state':<13} {'units':>6}",
    ]
    lines += [f"{state.value:<13} {n:>6}" for state, n in units.states.items()]
    lines += ["", f"done: {units.done}/{units.units} ({units.percent:.1f}%)"]
    return "\n".join(lines)


COMMANDS = [info]
