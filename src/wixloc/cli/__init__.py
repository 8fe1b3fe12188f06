"""The ``wixloc`` command: a thin layer that parses options, calls the library and prints.

Every module in this package that defines ``COMMANDS`` (a list of click commands) adds them to
the group, so a new command needs no edit here. Errors from the library (:mod:`wixloc.errors`)
become one line on stderr and the exit code their class names; no traceback for user mistakes.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

import click

from wixloc._version import __version__
from wixloc.errors import WixlocError

__all__ = ["cli", "main"]


class WixlocGroup(click.Group):
    """A group that maps WixlocError to one stderr line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WixlocError as exc:
            click.echo(f"wixloc: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("wixloc: interrupted", err=True)
            ctx.exit(130)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)


@click.group(
    cls=WixlocGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="wixloc")
def cli() -> None:
    """Localization round trip for Wix CMS content.

    Export a site's content, hand translators PO, XLIFF or XLSX files, check them in CI and
    import the result with the main language first, losing nothing.

    \b
    Example:
      wixloc demo                  # the whole round trip on a local sandbox
      wixloc info content.csv      # languages, keys and coverage of an export
    """


def _load_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_load_commands()


def main() -> None:
    """Entry point of the ``wixloc`` console script."""
    sys.exit(cli.main(prog_name="wixloc", standalone_mode=True))
