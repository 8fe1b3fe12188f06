"""``wixloc split``: a table into translator files, one per target language."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import (
    FilePath,
    FolderPath,
    FormatChoice,
    comma_list,
    encoding_option,
    languages_option,
)
from wixloc.cli._progress import bar
from wixloc.roundtrip.files import iter_split_files
from wixloc.roundtrip.split import ONLY_CHOICES, Only

__all__ = ["COMMANDS", "split"]


@click.command()
@click.argument("table", type=FilePath(path_type=Path))
@click.option("--to", "to", type=FormatChoice("translator"), required=True, help="File format.")
@languages_option("Target languages, comma-separated (default: all but the main one).")
@click.option(
    "--only",
    type=click.Choice(ONLY_CHOICES[::2]),
    default="missing",
    show_default=True,
    help="missing: entries with no translation yet; all: every entry with a source text.",
)
@click.option(
    "--out-dir",
    type=FolderPath(path_type=Path),
    help="Folder for the files (default: the table's folder).",
)
@click.option(
    "--one-workbook",
    is_flag=True,
    help="With --to xlsx: all languages in one workbook, a sheet each.",
)
@encoding_option
def split(
    table: Path,
    to: str,
    languages: str | None,
    only: str,
    out_dir: Path | None,
    one_workbook: bool,
    encoding: str | None,
) -> None:
    """Write translator files for TABLE, one per target language.

    Files are named DIR/<table stem>.<language>.<ext> (.po, .xlf, .xlsx). Entries with no
    main-language text are never sent.

    \b
    Example:
      wixloc split content.csv --to xliff --languages de,he --out-dir translations
      wixloc split content.csv --to xlsx --one-workbook --only all
    """
    only_value: Only = "all" if only == "all" else "missing"
    lines: list[str] = []  # printed after the bar, which would otherwise cut through them
    with bar("Splitting", "items") as on_progress:
        written = iter_split_files(
            table,
            to,
            out_dir=out_dir,
            languages=comma_list(languages),
            only=only_value,
            one_workbook=one_workbook,
            encoding=encoding,
            on_progress=on_progress,
        )
        for path, counts in written:
            for language, count in counts:
                noun = "entry" if count == 1 else "entries"
                lines.append(f"{path}: {language}, {count} {noun}")
    for line in lines:
        click.echo(line)


COMMANDS = [split]
