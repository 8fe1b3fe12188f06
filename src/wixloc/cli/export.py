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
from wixloc.errors import UsageError
from wixloc.items import export_items, parse_filter
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
@click.option(
    "--collection",
    metavar="ID",
    help="Export this collection's items instead of the translatable content.",
)
@click.option(
    "--filter",
    "filter_",
    metavar="JSON",
    help='With --collection: a Wix query filter, e.g. \'{"holidays": {"$hasSome": ["xmas"]}}\'.',
)
@click.option(
    "--fields", metavar="KEYS", help="With --collection: the fields to write (_id first)."
)
@click.option(
    "--site", metavar="ID", help="With --collection: export from this site of the account."
)
@sandbox_option
def export_cmd(
    output: str,
    languages: str | None,
    fmt: str | None,
    collection: str | None,
    filter_: str | None,
    fields: str | None,
    site: str | None,
    sandbox: bool,
) -> None:
    """Export the site's translatable content, or a collection's items, through a job.

    Languages default to the site's main language first, then its other locales.
    A progress bar runs while the job does (on a terminal).

    \b
    Example:
      wixloc export -o content.csv
      wixloc export -o content.csv --languages en,de,he
      wixloc export -o content.jsonl --sandbox
      wixloc export --collection Products --filter '{"holidays": {"$hasSome": ["xmas"]}}' -o xmasProducts.csv
    """
    if collection is not None:
        if languages:
            raise UsageError("--languages does not apply to a collection export")
        _export_collection(output, fmt, collection, filter_, fields, site, sandbox)
        return
    if filter_ or fields or site:
        raise UsageError("--filter, --fields and --site need --collection")
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


def _export_collection(
    output: str,
    fmt: str | None,
    collection: str,
    filter_: str | None,
    fields: str | None,
    site: str | None,
    sandbox: bool,
) -> None:
    keys = [k.strip() for k in fields.split(",") if k.strip()] if fields else []
    flt = parse_filter(filter_)
    with client_for(sandbox) as client, progress("Exporting") as update:
        job = export_items(
            client,
            collection,
            Path(output),
            filter=flt,
            fields=keys,
            fmt=fmt,
            site=site,
            on_progress=update,
        )
    click.echo(
        f"Exported {job.progress.total or job.progress.current} items of {collection} "
        f"to {output} (job {job.id})."
    )
    if job.logs_recorded:
        with client_for(sandbox) as client:
            for log in client.iter_logs(job.id):
                click.echo(f"  {log.source_item_id}  {log.code}  {log.description}")


COMMANDS = [export_cmd]
