"""``wixloc demo``: the whole round trip on an embedded sandbox."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import FolderPath, translator_format_option
from wixloc.demo import run_demo


@click.command()
@click.option(
    "--dir",
    "folder",
    type=FolderPath(path_type=Path),
    default="wixloc-demo",
    show_default=True,
    help="Where to leave the project and every file it makes.",
)
@translator_format_option
def demo(folder: Path, fmt: str) -> None:
    """Run the whole round trip on a local sandbox, step by step.

    init -> pull (a file per language) -> an "agency" pseudo-translates the files -> check
    (with an HTML report) -> push (backup, diff, import, verify) -> status. Needs no network
    and no credentials; leaves every file in the folder for you to open.

    \b
    Example:
      wixloc demo
      wixloc demo --dir try-wixloc --format xliff
    """
    run_demo(folder, click.echo, fmt=fmt)


COMMANDS = [demo]
