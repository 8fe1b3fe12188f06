"""``wixloc export``: the site's translatable content to a CSV or JSONL file."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import comma_list
from wixloc.cli._remote import (
    echo_job,
    echo_logs,
    plural,
    progress,
    remote,
    sandbox_option,
    site_languages_option,
)
from wixloc.errors import UsageError
from wixloc.site.collections import export_items, parse_filter
from wixloc.site.flow import fetch_logs
from wixloc.site.localization import export_content
from wixloc.wix.jobs import job_error

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
@site_languages_option
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
    A progress bar with the job's status runs while the job does (on a terminal); then
    the job's status, the download URL of its file, and any movement logs are printed.

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
    with remote(sandbox) as client, progress("Exporting") as update:
        result = export_content(
            client,
            Path(output),
            languages=comma_list(languages),
            fmt=fmt,
            on_progress=update,
        )
    job = result.job
    echo_job(job, "entry", "exported")
    click.echo(
        f"Wrote {output}: {plural(job.progress.total or job.progress.current, 'entry')} in "
        f"{plural(len(result.languages), 'language')} ({', '.join(result.languages)}, main first)."
    )
    error = job_error(job, "entries")
    if error is not None:
        raise error


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
    with remote(sandbox) as client, progress("Exporting") as update:
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
        logs = fetch_logs(client, job, trust_rejected=False)
    echo_job(job, "item", "exported")
    echo_logs(logs)
    count = plural(job.progress.total or job.progress.current, "item")
    click.echo(f"Wrote {output}: {count} of {collection}.")
    error = job_error(job)  # a partial export wrote a file, but not of everything
    if error is not None:
        raise error


COMMANDS = [export_cmd]
