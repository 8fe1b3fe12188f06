"""``wixloc export``: the site's translatable content to a CSV or JSONL file."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import click

from wixloc.cli._options import FilePath, comma_list
from wixloc.cli._remote import (
    echo_job,
    echo_logs,
    mask,
    plural,
    progress,
    project_here,
    remote,
    remote_session,
    sandbox_option,
    site_languages_option,
    timeout_option,
)
from wixloc.errors import PartialJobError, UsageError
from wixloc.site.collections import export_items, parse_filter
from wixloc.site.flow import fetch_logs
from wixloc.site.localization import export_content
from wixloc.wix.client import WixClient
from wixloc.wix.jobs import job_error
from wixloc.wix.wire import Job

__all__ = ["COMMANDS"]


@click.command("export")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=FilePath(),
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
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Write the file of a partly successful job (it lacks the rejected rows) and exit 0.",
)
@click.option(
    "--show-url",
    is_flag=True,
    help="Also print the download URL of the job's file (anyone with it can fetch the file "
    "until it expires, so it is not printed unasked).",
)
@timeout_option
@sandbox_option
def export_cmd(
    output: str,
    languages: str | None,
    fmt: str | None,
    collection: str | None,
    filter_: str | None,
    fields: str | None,
    site: str | None,
    allow_partial: bool,
    show_url: bool,
    timeout: float,
    sandbox: bool,
) -> None:
    """Export the site's translatable content, or a collection's items, through a job.

    Languages default to the site's main language first, then its other locales.
    A progress bar with the job's status runs while the job does (on a terminal); then
    the job's status and any movement logs are printed (the file's download URL only with
    --show-url).
    A job that failed or was only partly successful leaves OUTPUT as it was (exit 3);
    --allow-partial writes a partial file anyway, with a warning.

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
        _export_collection(
            output,
            fmt,
            collection,
            filter_,
            fields,
            site,
            sandbox,
            allow_partial,
            timeout,
            show_url,
        )
        return
    if filter_ or fields or site:
        raise UsageError("--filter, --fields and --site need --collection")
    with _session(output, sandbox, timeout) as client, progress("Exporting") as update:
        try:
            result = export_content(
                client,
                Path(output),
                languages=comma_list(languages),
                fmt=fmt,
                on_progress=update,
                allow_partial=allow_partial,
            )
        except PartialJobError as exc:
            raise _kept(exc, output) from None
    job = result.job
    echo_job(job, "entry", "exported", show_url=show_url)
    click.echo(
        f"Wrote {output}: {plural(job.progress.total or job.progress.current, 'entry')} in "
        f"{plural(len(result.languages), 'language')} ({', '.join(result.languages)}, main first)."
    )
    _judge(job, "entries", output, allow_partial)


def _session(output: str, sandbox: bool, timeout: float) -> AbstractContextManager[WixClient]:
    """The export's client; in a project, under its lock. Stale temporary files of a killed
    export are removed from OUTPUT's folder first."""
    folder = Path(output).parent
    return remote_session(
        project_here(), "export", lambda: remote(sandbox), timeout=timeout, folders=[folder]
    )


def _kept(error: PartialJobError, output: str) -> PartialJobError:
    error.hint = f"{output} was left as it was; --allow-partial writes the partial file"
    return error


def _judge(job: Job, noun: str, output: str, allow_partial: bool) -> None:
    """Exit 3 for a job that was not COMPLETED; with --allow-partial a partial one warns."""
    error = job_error(job, noun)
    if error is None:
        return
    if job.status == "PARTIALLY_SUCCESSFUL" and allow_partial:
        click.echo(mask(f"wixloc: warning: {error.message}; {output} lacks them"), err=True)
        return
    raise error


def _export_collection(
    output: str,
    fmt: str | None,
    collection: str,
    filter_: str | None,
    fields: str | None,
    site: str | None,
    sandbox: bool,
    allow_partial: bool,
    timeout: float,
    show_url: bool,
) -> None:
    keys = [k.strip() for k in fields.split(",") if k.strip()] if fields else []
    flt = parse_filter(filter_)
    with _session(output, sandbox, timeout) as client, progress("Exporting") as update:
        try:
            job = export_items(
                client,
                collection,
                Path(output),
                filter=flt,
                fields=keys,
                fmt=fmt,
                site=site,
                on_progress=update,
                allow_partial=allow_partial,
            )
        except PartialJobError as exc:
            raise _kept(exc, output) from None
        logs = fetch_logs(client, job, trust_rejected=False)
    echo_job(job, "item", "exported", show_url=show_url)
    echo_logs(logs)
    if job.status == "PARTIALLY_SUCCESSFUL" and not allow_partial:
        raise _kept(PartialJobError(str(job_error(job))), output)
    count = plural(job.progress.total or job.progress.current, "item")
    click.echo(f"Wrote {output}: {count} of {collection}.")
    _judge(job, "items", output, allow_partial)


COMMANDS = [export_cmd]
