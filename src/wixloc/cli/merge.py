"""``wixloc merge``: translator files back into the table."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import FilePath, encoding_option
from wixloc.cli._progress import bar
from wixloc.errors import UsageError
from wixloc.model import format_key
from wixloc.roundtrip.files import merge_files
from wixloc.roundtrip.merge import LanguageReport, MergePolicy

__all__ = ["COMMANDS", "merge"]

SHOWN_KEYS = 3  # keys listed per skip reason


@click.command()
@click.argument("table", type=FilePath(path_type=Path))
@click.argument("files", nargs=-1, required=True, type=FilePath(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=FilePath(path_type=Path),
    help="Write the merged table here.",
)
@click.option("--in-place", is_flag=True, help="Overwrite TABLE with the merged table.")
@click.option(
    "--include-fuzzy", is_flag=True, help="Also apply translations marked fuzzy / for review."
)
@click.option(
    "--accept-stale", is_flag=True, help="Also apply translations made from an older source text."
)
@encoding_option
def merge(
    table: Path,
    files: tuple[Path, ...],
    out: Path | None,
    in_place: bool,
    include_fuzzy: bool,
    accept_stale: bool,
    encoding: str | None,
) -> None:
    """Apply the translations in FILES (PO, XLIFF, XLSX) to TABLE.

    Each file's format and version are read from its content. A non-empty translation is never
    blanked; keys or languages the table lacks are an error; stale and unfinished translations
    are reported and skipped.

    \b
    Example:
      wixloc merge content.csv translations/content.de.xlf translations/content.he.po -o merged.csv
      wixloc merge content.csv content.xlsx --in-place --include-fuzzy
    """
    if (out is None) == (not in_place):
        raise UsageError("give either -o OUT or --in-place")
    with bar("Merging", "files") as on_progress:
        report = merge_files(
            table,
            files,
            out if out is not None else table,
            policy=MergePolicy(include_fuzzy=include_fuzzy, accept_stale=accept_stale),
            encoding=encoding,
            on_progress=on_progress,
        )
    for lang_report in report.languages.values():
        _print(lang_report)
    click.echo(f"wrote {out if out is not None else table}")


def _print(report: LanguageReport) -> None:
    skipped = len(report.skipped)
    click.echo(
        f"{report.language}: {report.applied} applied, {report.unchanged} unchanged, "
        f"{skipped} skipped"
    )
    for reason, keys in report.reasons().items():
        shown = ", ".join(format_key(key) for key in keys[:SHOWN_KEYS])
        more = f", and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else ""
        click.echo(f"  {len(keys)} {reason}: {shown}{more}")
    for key, notice in report.notices:
        click.echo(f"  {format_key(key)}: {notice}")


COMMANDS = [merge]
