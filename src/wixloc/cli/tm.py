"""``wixloc tm``: the project's translation memory (TMX)."""

from __future__ import annotations

from pathlib import Path

import click

from wixloc.cli._options import FilePath
from wixloc.config import load_config
from wixloc.formats import load_table
from wixloc.fsutil import relative
from wixloc.site.project import Project
from wixloc.tm.site import export_tmx

__all__ = ["COMMANDS", "tm"]


@click.group("tm")
def tm() -> None:
    """Translation memory: the site's translations as TMX for an agency's CAT tool.

    \b
    Example:
      wixloc tm export -o site.tmx
    """


@tm.command("export")
@click.option(
    "-o",
    "--output",
    default="site.tmx",
    show_default=True,
    type=FilePath(),
    help="The TMX file to write.",
)
def export(output: str) -> None:
    """Write the site's accepted translations (latest snapshot) as TMX 1.4b.

    One <tu> per key with every language, the key and its collection, item and field as
    properties, markup as TMX inline codes. Run 'wixloc pull' first.

    \b
    Example:
      wixloc tm export -o site.tmx
    """
    config = load_config()
    project = Project(config.root)
    snapshot = project.latest_snapshot()
    result = export_tmx(snapshot, load_table(snapshot), project.load_state(), Path(output))
    click.echo(
        f"Wrote {result.units} translation units to {output} "
        f"(from {relative(result.snapshot, config.root)})"
    )


COMMANDS = [tm]
