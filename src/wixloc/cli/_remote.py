"""Shared pieces of the commands that talk to a site: the --sandbox option, the client, the
progress bar (shown only when stderr is a terminal) and how a finished job is reported."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from wixloc.cli._options import languages_option
from wixloc.config import Config
from wixloc.errors import UsageError
from wixloc.grammar import plural
from wixloc.site.connect import client_for
from wixloc.site.project import Project
from wixloc.wix.client import WixClient
from wixloc.wix.wire import Job, MovementLog

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

__all__ = [
    "SHOWN",
    "ask",
    "echo_job",
    "echo_logs",
    "plural",
    "progress",
    "remote",
    "sandbox_option",
    "site_languages_option",
]

SHOWN = 20  # movement logs listed before "... and N more"

F = TypeVar("F", bound=Callable[..., Any])


def sandbox_option(fn: F) -> F:
    return click.option(
        "--sandbox",
        is_flag=True,
        help="Use an embedded sandbox (.wixloc/sandbox.db, seeded from the samples) instead "
        "of the site named by WIX_API_KEY and WIX_SITE_ID.",
    )(fn)


site_languages_option = languages_option(
    "Comma-separated languages, e.g. en,de,he (the site's main language is put first)."
)


def remote(sandbox: bool) -> WixClient:
    """The client of a command that has --sandbox and no wixloc.toml: built the one way
    (:func:`wixloc.site.connect.client_for`) from the current folder's settings."""
    return client_for(Config(Project.here().root, sandbox=sandbox))


def interactive() -> bool:
    """True when a question can be asked: standard input is a terminal."""
    return sys.stdin.isatty()


def ask(question: str) -> bool:
    """Ask *question* (default no). Without a terminal nobody can answer: that is a usage
    error, never a silent "no" that a CI job would read as success."""
    if not interactive():
        raise UsageError(
            f"cannot ask '{question}' without a terminal",
            hint="pass --yes to go ahead without asking, or --dry-run to see the changes first",
        )
    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:
        return False


def echo_job(job: Job, noun: str, verb: str) -> None:
    """The finished job in one line (status, counts), then its file's download URL if any."""
    p = job.progress
    done = p.successful
    if not done and job.status != "FAILED":  # itemsSuccessful left out: count what was not rejected
        done = max((p.total or p.current) - p.rejected, 0)
    click.echo(f"Job {job.id}: {job.status}, {plural(done, noun)} {verb}, {p.rejected} rejected.")
    if job.download_url:
        click.echo(f"Download URL: {job.download_url}")


def echo_logs(logs: list[MovementLog]) -> None:
    """Movement logs as ``row or item id, code, reason``, the first SHOWN of them."""
    if not logs:
        return
    click.echo("Movement logs (row or item, code, reason):")
    for log in logs[:SHOWN]:
        click.echo(f"  {log.source_item_id}  {log.code}  {log.description}")
    if len(logs) > SHOWN:
        click.echo(f"  ... and {len(logs) - SHOWN} more")


@contextmanager
def progress(label: str) -> Iterator[Callable[[Job], None]]:
    """A callback for job updates that drives a click progress bar on a terminal; the bar's
    label carries the job's status (INITIALIZING, IN_PROGRESS, ...). The bar appears with the
    first update, so what a command prints before its job (a plan, a question) stays apart."""
    if not sys.stderr.isatty():
        yield lambda job: None
        return
    with ExitStack() as stack:
        bar: ProgressBar[int] | None = None  # created by the first update
        done = 0

        def update(job: Job) -> None:
            nonlocal bar, done
            status = f"{label} ({job.status})"
            if bar is None:
                bar = stack.enter_context(
                    click.progressbar(length=1, label=status, file=sys.stderr, show_pos=True)
                )
            bar.label = status
            if job.progress.total:
                bar.length = job.progress.total
            step = max(job.progress.current - done, 0)
            bar.update(step)  # also when 0: the label (status) may have changed
            done += step

        yield update
