"""Shared pieces of the commands that talk to a site: the --sandbox and --timeout options, the
client, the session around remote work in a project (its lock, stale temporary files, interrupted
work finished first), the progress bar (shown only when stderr is a terminal), how a finished
job is reported, and the secret mask every string shown to the user passes."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from wixloc.cli._options import languages_option
from wixloc.config import Config, find_config
from wixloc.fsutil import remove_stale_temp_files
from wixloc.site.connect import client_for
from wixloc.site.lock import project_lock
from wixloc.site.project import Project
from wixloc.site.recovery import resolve_pending
from wixloc.wix.client import WixClient
from wixloc.wix.wire import Job, MovementLog

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

__all__ = [
    "DEFAULT_TIMEOUT",
    "SHOWN",
    "echo_job",
    "echo_logs",
    "mask",
    "mask_secrets",
    "plural",
    "progress",
    "project_here",
    "remote",
    "remote_session",
    "sandbox_option",
    "site_languages_option",
    "timeout_option",
]

SHOWN = 20  # movement logs listed before "... and N more"
DEFAULT_TIMEOUT = 900.0  # seconds a command waits for one job (Wix's own take minutes at most)

F = TypeVar("F", bound=Callable[..., Any])


def sandbox_option(fn: F) -> F:
    return click.option(
        "--sandbox",
        is_flag=True,
        help="Use an embedded sandbox (.wixloc/sandbox.db, seeded from the samples) instead "
        "of the site named by WIX_API_KEY and WIX_SITE_ID.",
    )(fn)


def timeout_option(fn: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for each job; after that the command stops (the job may "
        "still finish: 'wixloc jobs wait ID').",
    )(fn)


site_languages_option = languages_option(
    "Comma-separated languages, e.g. en,de,he (the site's main language is put first)."
)


def remote(sandbox: bool) -> WixClient:
    """The client of a command that has --sandbox and no wixloc.toml: built the one way
    (:func:`wixloc.site.connect.client_for`) from the current folder's settings."""
    return client_for(Config(Project.here().root, sandbox=sandbox))


def project_here() -> Project | None:
    """The project the current folder is in (the nearest wixloc.toml's folder), if any."""
    found = find_config()
    return None if found is None else Project(found.parent)


@contextmanager
def remote_session(
    project: Project | None,
    command: str,
    connect: Callable[[], WixClient],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    folders: Iterable[Path] = (),
) -> Iterator[WixClient]:
    """The client of a remote command, set to wait *timeout* seconds for a job.

    In a *project*: the project's lock is held throughout (a second command stops with a
    message naming the holder), stale temporary files of killed runs are removed from
    ``.wixloc/`` and *folders*, and work a killed command left in the journal is finished
    before this command starts (each outcome one line on stderr).
    """
    with ExitStack() as stack:
        if project is not None:
            stack.enter_context(project_lock(project.state_dir, command))
            for folder in (project.state_dir, *folders):
                remove_stale_temp_files(folder, recursive=folder == project.state_dir)
        else:
            for folder in folders:
                remove_stale_temp_files(folder)
        client = stack.enter_context(connect())
        client.poll = dataclasses.replace(client.poll, timeout=timeout)
        if project is not None:
            for message in resolve_pending(project, client):
                click.echo(f"wixloc: {mask(message)}", err=True)
        yield client


# --- the secret mask -------------------------------------------------------------------------
# The wix layer is to get the one mask function; this one (the CLI's) is to point at it then.


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """*text* with every secret (and its whitespace-trimmed, ``Bearer``-less forms) as ``***``."""
    forms: set[str] = set()
    for secret in secrets:
        for form in (secret, secret.strip(), secret.strip().removeprefix("Bearer ").strip()):
            if len(form) >= 4:  # a very short "key" would mask ordinary words
                forms.add(form)
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


def mask(text: str, env: Mapping[str, str] | None = None) -> str:
    """*text* with the API key of the environment (``WIX_API_KEY``) masked."""
    key = (os.environ if env is None else env).get("WIX_API_KEY", "")
    return mask_secrets(text, [key]) if key else text


def plural(count: int, noun: str) -> str:
    """``1 item``, ``2 items``, ``1 entry``, ``3 entries``."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


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
        click.echo(mask(f"  {log.source_item_id}  {log.code}  {log.description}"))
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
