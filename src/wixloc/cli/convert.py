"""``wixloc convert``: one table file to another, by extension."""

from __future__ import annotations

import click

from wixloc.cli._options import encoding_option, languages_option, split_languages
from wixloc.formats import convert_table


@click.command()
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False))
@click.argument("target", metavar="OUT", type=click.Path(dir_okay=False))
@languages_option("Language columns of IN, main first (when a header is not a plain tag).")
@encoding_option
def convert(source: str, target: str, languages: str | None, encoding: str | None) -> None:
    """Convert IN to OUT; the formats follow the extensions (.csv .tsv .jsonl ...).

    Converting a file to its own format gives the same bytes; CSV -> JSONL -> CSV gives the
    same cells. OUT is written atomically.

    \b
    Example:
      wixloc convert export.csv export.jsonl
      wixloc convert export.jsonl export.csv
    """
    table = convert_table(source, target, encoding=encoding, languages=split_languages(languages))
    click.echo(f"wrote {target}: {len(table)} entries, {len(table.languages)} languages", err=True)


COMMANDS = [convert]
