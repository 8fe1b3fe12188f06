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
from typing import Any, TypeVar

import click

from wixloc.cli._options import languages_option
from wixloc.cli._progress import Bar, shown
from wixloc.config import CONFIG_NAME, Config, find_config, load_config
from wixloc.errors import UsageError
from wixloc.fsutil import remove_stale_temp_files
from wixloc.grammar import plural
from wixloc.site.connect import client_for
from wixloc.site.lock import project_lock
from wixloc.site.project import Project
from wixloc.site.recovery import HANDLERS, Handler, resolve_pending
from wixloc.wix.client import WixClient
from wixloc.wix.mask import mask as wix_mask
from wixloc.wix.wire import Job, MovementLog

__all__ = [
    "DEFAULT_TIMEOUT",
    "SHOWN",
    "ask",
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
    (:func:`wixloc.site.connect.client_for`) from the current folder's settings.

    In a project made with ``init --sandbox`` the project's sandbox is used without --sandbox,
    as pull and push use it: the undo command an import prints must work as printed."""
    found = find_config()
    if not sandbox and found is not None:
        config = load_config(found)
        if config.sandbox:
            return client_for(config)
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
            for message in resolve_pending(project, client, _handlers(project)):
                click.echo(f"wixloc: {mask(message)}", err=True)
        yield client


def _handlers(project: Project) -> dict[str, Handler]:
    """The journal's handlers: the imports', and the push's, which needs the project's settings."""
    from wixloc.workflow import push_recovery  # the top layer, loaded only in a project

    path = project.root / CONFIG_NAME
    if not path.is_file():
        return dict(HANDLERS)
    return {**HANDLERS, "push": push_recovery(load_config(path))}


# --- the secret mask -------------------------------------------------------------------------
# The wix layer's one mask (the keys of the clients made), and the environment's key besides:
# an error can come before any client exists (a key the client refuses to send).


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
    """*text* through the wix layer's mask, and with the environment's ``WIX_API_KEY``
    (trimmed, without ``Bearer``) masked too."""
    key = (os.environ if env is None else env).get("WIX_API_KEY", "")
    text = wix_mask(text)
    return mask_secrets(text, [key]) if key else text


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


def echo_job(job: Job, noun: str, verb: str, *, show_url: bool = False) -> None:
    """The finished job in one line (status, counts), and with *show_url* its file's download
    URL: a URL that fetches the whole export without a key, so never printed unasked (it
    would land in CI logs)."""
    p = job.progress
    done = p.successful
    if not done and job.status != "FAILED":  # itemsSuccessful left out: count what was not rejected
        done = max((p.total or p.current) - p.rejected, 0)
    click.echo(f"Job {job.id}: {job.status}, {plural(done, noun)} {verb}, {p.rejected} rejected.")
    if show_url and job.download_url:
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
    """A callback for job updates that drives the CLI's progress bar (:mod:`wixloc.cli._progress`,
    on a terminal only); the bar's label carries the job's status (INITIALIZING, IN_PROGRESS ...).

    Ctrl+C while a job runs does not stop the job on the site: its id is printed with the
    commands that follow or stop it, and the interrupt goes on (exit 130)."""
    last: Job | None = None
    try:
        with ExitStack() as stack:
            drawn = Bar(stack, label, "items") if shown() else None

            def update(job: Job) -> None:
                nonlocal last
                last = job
                if drawn is not None:
                    total = job.progress.total
                    drawn.update(job.progress.current, total, f"{label} ({job.status})")

            yield update
    except KeyboardInterrupt:
        if last is not None and not last.finished:
            click.echo(
                f"wixloc: job {last.id} goes on running on the site; follow it with "
                f"'wixloc jobs wait {last.id}' or stop it with 'wixloc jobs terminate {last.id}'",
                err=True,
            )
        raise
