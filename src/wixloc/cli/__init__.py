"""The ``wixloc`` command: a thin layer that parses options, calls the library and prints.

The commands are listed once, in :data:`COMMANDS`, with the module that defines each and the
one line ``wixloc --help`` shows for it. A command's module is imported only when the command
runs or its own help is shown, so ``wixloc --help`` does not load the HTTP client, the sandbox
or werkzeug. A new command adds its module and one line here. Errors from the library
(:mod:`wixloc.errors`) become one line on stderr and the exit code their class names; no
traceback for user mistakes.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import click

from wixloc._version import __version__
from wixloc.errors import WixlocError

__all__ = ["COMMANDS", "LazyCommand", "LazyCommands", "cli", "main"]


@dataclass(frozen=True)
class LazyCommand:
    """A command by name, the module (under ``wixloc.cli``) that defines it, and its summary."""

    name: str
    module: str
    summary: str

    def load(self) -> click.Command:
        module = importlib.import_module(f"{__name__}.{self.module}")
        found = [c for c in getattr(module, "COMMANDS", []) if c.name == self.name]
        if not found:
            raise LookupError(f"{module.__name__} defines no command {self.name!r}")
        command: click.Command = found[0]
        return command


# The summary is the command's first help sentence (a test keeps the two equal).
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "check", "check", "Check tables and translator files; exit 1 when a finding is an error."
    ),
    LazyCommand(
        "convert",
        "convert",
        "Convert IN to OUT; the formats follow the extensions (.csv .tsv .jsonl .po .xlf .xlsx).",
    ),
    LazyCommand("demo", "demo", "Run the whole round trip on a local sandbox, step by step."),
    LazyCommand(
        "export",
        "export",
        "Export the site's translatable content, or a collection's items, through a job.",
    ),
    LazyCommand(
        "import", "import_", "Import a table (CSV, JSONL ...) into the site's translations."
    ),
    LazyCommand("info", "info", "Show a table's languages, key columns, entries and coverage."),
    LazyCommand("init", "project", "Write a commented wixloc.toml in this folder."),
    LazyCommand(
        "jobs", "jobs", "Data Movement jobs of the site: list, show, logs, wait, terminate."
    ),
    LazyCommand("merge", "merge", "Apply the translations in FILES (PO, XLIFF, XLSX) to TABLE."),
    LazyCommand(
        "pseudo", "pseudo", "Fill a language with pseudo-translations of the main language."
    ),
    LazyCommand(
        "pull", "project", "Export the site and write translator files for what needs translating."
    ),
    LazyCommand(
        "push",
        "project",
        "Merge the translator files, check them and import what they change into the site.",
    ),
    LazyCommand(
        "sandbox",
        "sandbox",
        "A local stand-in for the Wix Data Movement, Locales and Locale Settings APIs.",
    ),
    LazyCommand("split", "split", "Write translator files for TABLE, one per target language."),
    LazyCommand(
        "stats", "stats", "Count entries, words and characters to translate, per target language."
    ),
    LazyCommand(
        "status",
        "project",
        "Show per language: translated, missing, stale and coverage; and files still out.",
    ),
    LazyCommand(
        "tm", "tm", "Translation memory: the site's translations as TMX for an agency's CAT tool."
    ),
)


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's ``commands``: every name known at once, each command imported on first use."""

    def __init__(self, entries: tuple[LazyCommand, ...]) -> None:
        self.entries = {entry.name: entry for entry in entries}
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            if name not in self.entries:
                raise KeyError(name)
            self.loaded[name] = self.entries[name].load()
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        del self.entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self.entries, *self.loaded}))

    def __len__(self) -> int:
        return len({*self.entries, *self.loaded})

    def summary(self, name: str, limit: int) -> str:
        """The help line of *name*, from its entry while the command is not loaded."""
        if name in self.loaded:
            return self.loaded[name].get_short_help_str(limit)
        # a stand-in carrying the summary is shortened exactly as the command would be
        return click.Command(name, help=self.entries[name].summary).get_short_help_str(limit)


class WixlocGroup(click.Group):
    """The root group: commands loaded on use, WixlocError mapped to one line and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = LazyCommands(COMMANDS)
        self.commands = self.lazy

    def invoke(self, ctx: click.Context) -> Any:
        if _console:
            _terminate_as_interrupt()
        try:
            return super().invoke(ctx)
        except WixlocError as exc:
            # imported here: the mask's package loads the HTTP client, which --help must not.
            # The CLI's mask: the wix layer's, and the environment's key (cli/_remote.mask).
            from wixloc.cli._remote import mask

            click.echo(f"wixloc: error: {mask(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("wixloc: interrupted", err=True)
            ctx.exit(130)
        finally:
            if _console:
                _done()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click does, but from the summaries: listing the commands imports none of them."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, self.lazy.summary(name, limit)) for name in names])


@click.group(
    cls=WixlocGroup,
    invoke_without_command=True,
    subcommand_metavar="COMMAND [ARGS]...",  # a command is expected; bare `wixloc` is the help
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="wixloc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Localization round trip for Wix CMS content.

    Export a site's content, hand translators PO, XLIFF or XLSX files, check them in CI and
    import the result with the main language first, losing nothing.

    \b
    Example:
      wixloc demo                  # the whole round trip on a local sandbox
      wixloc info content.csv      # languages, keys and coverage of an export
    """
    if ctx.invoked_subcommand is None:  # bare `wixloc`: the help, and success (not a usage error)
        click.echo(ctx.get_help())


_console = False  # run as the console script (main), not by a test's CliRunner


def main() -> None:
    """Entry point of the ``wixloc`` console script."""
    global _console
    _console = True
    try:
        code: Any = cli.main(prog_name="wixloc", standalone_mode=True)
    finally:
        _done()
    sys.exit(code)


def _terminate_as_interrupt() -> None:
    """SIGTERM (a CI job cancelled, ``kill``) stops the command as Ctrl+C does, not at once:
    what the command made is undone on the way out, as it is for Ctrl+C (a check's temporary
    folder removed, say), and it says 'wixloc: interrupted' with exit 130. Run as the console
    script only; worker processes take SIGTERM's default action."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _done() -> None:
    """The command is over, its output written or its error said: a Ctrl+C from now on would
    only break into click's exit or the interpreter's shutdown, which print a traceback of
    their own (seen when one reached ``wixloc check`` a few milliseconds before it exited),
    and so would a SIGTERM raised as one: Ctrl+C is ignored and SIGTERM ends the process.
    Asked as soon as the command returns, and again once click is done."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
