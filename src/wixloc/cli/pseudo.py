"""``wixloc pseudo``: pseudo-translate a table for layout tests."""

from __future__ import annotations

import click

from wixloc.cli._options import encoding_option
from wixloc.grammar import plural
from wixloc.pseudo import pseudo_file

__all__ = ["COMMANDS", "pseudo"]


@click.command("pseudo")
@click.argument("table")
@click.option(
    "--language",
    "-l",
    "languages",
    multiple=True,
    required=True,
    help="Language to fill (repeat, or comma-separated: de,fr).",
)
@click.option("--all", "overwrite", is_flag=True, help="Replace existing translations too.")
@click.option("--output", "-o", required=True, metavar="OUT", help="The table to write.")
@encoding_option
def pseudo(
    table: str, languages: tuple[str, ...], overwrite: bool, output: str, encoding: str | None
) -> None:
    """Fill a language with pseudo-translations of the main language.

    Letters are accented, texts are about a third longer and bracketed; placeholders, HTML,
    URLs and entities stay exactly as they are, so 'wixloc check' passes. Only empty cells are
    filled unless --all.

    \b
    Example:
      wixloc pseudo content.csv --language de -o content.pseudo.csv
      wixloc pseudo content.csv -l de,fr,he --all -o content.pseudo.csv
    """
    tags = [part.strip() for value in languages for part in value.split(",") if part.strip()]
    written = pseudo_file(table, output, tags, overwrite=overwrite, encoding=encoding)
    click.echo(f"wrote {plural(written, 'pseudo-translation')} to {output}")


COMMANDS = [pseudo]
