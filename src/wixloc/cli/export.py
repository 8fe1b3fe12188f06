"""``wixloc export``: the site's translatable content to a CSV or JSONL file."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._remote import (
    client_for,
    languages_option,
    progress,
    sandbox_option,
    split_languages,
)
from wixloc.transfer import export_content

__all__ = ["COMMANDS"]


@click.command("export")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The file to write (.csv or .jsonl), written atomically.",
)
@languages_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    help="File format (default: by the output file's extension).",
)
@sandbox_option
def export_cmd(output: str, languages: str | None, fmt: str | None, sandbox: bool) -> None:
    """Export the site's translatable content through a Data Movement job.

    Languages default to the site's main language first, then its other locales.
    A progress bar runs while the job does (on a terminal).

    \b
    Example:
      wixloc export -o content.csv
      wixloc export -o content.csv --languages en,de,he
      wixloc export -o content.jsonl --sandbox
    """
    with client_for(sandbox) as client, progress("Exporting") as update:
        result = export_content(
            client,
            Path(output),
            languages=split_languages(languages),
            fmt=fmt,
            on_progress=update,
        )
    count = result.job.progress.total or result.job.progress.current
    click.echo(
        f"Exported {count} entries in {len(result.languages)} languages "
        f"({', '.join(result.languages)}) to {output} (job {result.job.id})."
    )


COMMANDS = [export_cmd]
