"""``wixloc convert``: one table file to another, by extension."""

from __future__ import annotations

import click

from wixloc.cli._options import (
    FilePath,
    comma_list,
    deprecated_option,
    encoding_option,
    languages_option,
)
from wixloc.cli._progress import bar
from wixloc.roundtrip.files import convert_file


@click.command()
@click.argument("source", metavar="IN", type=FilePath())
@click.argument("target", metavar="OUT", type=FilePath())
@languages_option("Language columns of IN, main first (when a header is not a plain tag).")
@click.option(
    "--target-language",
    "language",
    metavar="TAG",
    help="The target language, to convert a table to PO, XLIFF or XLSX.",
)
@deprecated_option("--language", "--target-language", "old_language")
@encoding_option
def convert(
    source: str,
    target: str,
    languages: str | None,
    language: str | None,
    old_language: str | None,
    encoding: str | None,
) -> None:
    """Convert IN to OUT; the formats follow the extensions (.csv .tsv .jsonl .po .xlf .xlsx).

    Converting a file to its own format gives the same bytes; CSV -> JSONL -> CSV gives the
    same cells. A table to a translator file (.po .xlf) needs --target-language and holds every entry
    with a main-language text; a translator file converts to another translator format or to a
    two-language table. OUT is written atomically.

    \b
    Example:
      wixloc convert export.csv export.jsonl
      wixloc convert export.jsonl export.csv
      wixloc convert export.csv export.de.po --target-language de
      wixloc convert export.de.po export.de.xlsx
    """
    with bar("Converting", "steps") as on_progress:
        what = convert_file(
            source,
            target,
            language=language or old_language,
            encoding=encoding,
            languages=comma_list(languages),
            on_progress=on_progress,
        )
    click.echo(f"wrote {target}: {what}", err=True)


COMMANDS = [convert]
