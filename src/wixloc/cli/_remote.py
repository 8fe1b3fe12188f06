"""Shared pieces of the commands that talk to a site: the --sandbox option, the client, and
the progress bar (shown only when stderr is a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from wixloc.connect import open_client
from wixloc.wix.client import WixClient
from wixloc.wix.wire import Job

__all__ = ["client_for", "languages_option", "progress", "sandbox_option"]

F = TypeVar("F", bound=Callable[..., Any])


def sandbox_option(fn: F) -> F:
    return click.option(
        "--sandbox",
        is_flag=True,
        help="Use an embedded sandbox (.wixloc/sandbox.db, seeded from the samples) instead "
        "of the site named by WIX_API_KEY and WIX_SITE_ID.",
    )(fn)


def languages_option(fn: F) -> F:
    return click.option(
        "--languages",
        metavar="TAGS",
        help="Comma-separated languages, e.g. en,de,he (the site's main language is put first).",
    )(fn)


def split_languages(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def client_for(sandbox: bool) -> WixClient:
    return open_client(sandbox=sandbox)


@contextmanager
def progress(label: str) -> Iterator[Callable[[Job], None]]:
    """A callback for job updates that drives a click progress bar on a terminal."""
    if not sys.stderr.isatty():
        yield lambda job: None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr, show_pos=True) as bar:
        done = 0

        def update(job: Job) -> None:
            nonlocal done
            total = job.progress.total
            if total:
                bar.length = total
            step = job.progress.current - done
            if step > 0:
                bar.update(step)
                done = job.progress.current

        yield update
