"""``wixloc pseudo``: pseudo-translate a table for layout tests."""

from __future__ import annotations

import click

from wixloc.cli._options import deprecated_option, encoding_option, languages_option
from wixloc.cli._progress import bar
from wixloc.grammar import plural
from wixloc.pseudo import pseudo_file

__all__ = ["COMMANDS", "pseudo"]


@click.command("pseudo")
@click.argument("table")
@languages_option("Languages to fill, comma-separated: de,fr (or repeat -l).", multiple=True)
@deprecated_option("--language", "--languages", "old_languages", multiple=True)
@click.option("--all", "overwrite", is_flag=True, help="Replace existing translations too.")
@click.option("--output", "-o", required=True, metavar="OUT", help="The table to write.")
@encoding_option
def pseudo(
    table: str,
    languages: tuple[str, ...],
    old_languages: tuple[str, ...],
    overwrite: bool,
    output: str,
    encoding: str | None,
) -> None:
    """Fill a language with pseudo-translations of the main language.

    Letters are accented, texts are about a third longer and bracketed; placeholders, HTML,
    URLs and entities stay exactly as they are, so 'wixloc check' passes. Only empty cells are
    filled unless --all.

    \b
    Example:
      wixloc pseudo content.csv --languages de -o content.pseudo.csv
      wixloc pseudo content.csv -l de,fr,he --all -o content.pseudo.csv
    """
    values = (*languages, *old_languages)
    tags = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if not tags:
        raise click.UsageError("Missing option '--languages' / '-l'.")
    with bar("Pseudo-translating", "entries") as on_progress:
        written = pseudo_file(
            table, output, tags, overwrite=overwrite, encoding=encoding, on_progress=on_progress
        )
    click.echo(f"wrote {plural(written, 'pseudo-translation')} to {output}")


COMMANDS = [pseudo]
