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
    tm_option,
)
from wixloc.cli._progress import bar
from wixloc.model import Table, UnitFile
from wixloc.roundtrip.files import Prepare, iter_split_files
from wixloc.roundtrip.split import ONLY_CHOICES, Only
from wixloc.tm.prefill import load_memory, prefill

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
@tm_option(
    "A translation memory to pre-fill and suggest from (repeat for several); the "
    "table's own translations are used too."
)
@click.option(
    "--copy-source",
    is_flag=True,
    help="With --to xliff or xliff2: write the source into each empty target, for tools that "
    "translate the target (OmegaT); merge skips a copy left unchanged.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite translator files that already hold translations."
)
@encoding_option
def split(
    table: Path,
    to: str,
    languages: str | None,
    only: str,
    out_dir: Path | None,
    one_workbook: bool,
    tms: tuple[Path, ...],
    copy_source: bool,
    force: bool,
    encoding: str | None,
) -> None:
    """Write translator files for TABLE, one per target language.

    Files are named DIR/<table stem>.<language>.<ext> (.po, .xlf, .xlsx). Entries with no
    main-language text are never sent. With --tm, exact matches from the memories and the
    table's own translations are pre-filled (an in-context one as translated, another 100 %
    one marked for review) and fuzzy ones from 50 % offered as suggestions (docs/tm.md).
    A file there that holds translations is not overwritten unless --force.

    \b
    Example:
      wixloc split content.csv --to xliff --languages de,he --out-dir translations
      wixloc split content.csv --to xlsx --one-workbook --only all
      wixloc split content.csv --to po --tm agency.tmx
    """
    only_value: Only = "all" if only == "all" else "missing"
    prepare: Prepare | None = None
    if tms:
        memory = load_memory(tms)

        def prepare(whole: Table, units: UnitFile) -> None:
            prefill(whole, units, memory)

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
            prepare=prepare,
            force=force,
            copy_source=copy_source,
            on_progress=on_progress,
        )
        for path, counts in written:
            for language, count in counts:
                noun = "entry" if count == 1 else "entries"
                lines.append(f"{path}: {language}, {count} {noun}")
    for line in lines:
        click.echo(line)


COMMANDS = [split]
