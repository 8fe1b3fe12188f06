"""``wixloc check``: the CI gate over tables and translator files."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import TextIO

import click

from wixloc.checks import CheckConfig, check_files, load_config
from wixloc.checks.reporters import FORMATS, batches, chunks, encoded
from wixloc.cli._options import (
    FilePath,
    comma_list,
    encoding_option,
    jobs_option,
    languages_option,
)
from wixloc.cli._progress import bar
from wixloc.errors import InputError
from wixloc.fsutil import atomic_write
from wixloc.site.project import Project
from wixloc.state import State, load_state
from wixloc.workers import default_jobs

__all__ = ["COMMANDS", "check"]


def _state(path: Path | None, config_path: str | None) -> State | None:
    """The project's state file, when there is one: it enables `stale-translation`."""
    if path is not None:
        if not path.is_file():
            raise InputError("no such file", file=path)
        return load_state(path)
    folder = Path(config_path).parent if config_path else Path.cwd()
    default = Project(folder).state_path
    return load_state(default) if default.is_file() else None


@click.command("check")
@click.argument("files", nargs=-1, required=True)
@languages_option("Required languages, main first, comma-separated: en,de,he.")
@click.option("--main-language", help="The main language; it must be the first language.")
@click.option("--against", metavar="REF", help="A reference export: the keys that must exist.")
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Minimum share of translated entries per language.",
)
@click.option("--rules", help="Run only these rules (comma-separated codes).")
@click.option("--ignore", help="Skip these rules (comma-separated codes).")
@click.option("--enable", help="Also run these optional rules (comma-separated codes): spelling.")
@click.option(
    "--terms",
    metavar="FILE",
    help="A termbase for the terminology rule: CSV (source,target,language[,note]) or TBX.",
)
@click.option("--config", "config_path", metavar="TOML", help="Read [check] from this wixloc.toml.")
@click.option(
    "--state",
    "state_path",
    type=FilePath(path_type=Path),
    help="The state file for stale-translation (default: .wixloc/state.json beside the config "
    "file, or in this folder, when it exists).",
)
@click.option(
    "--format",
    "report_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output", "-o", metavar="FILE", type=FilePath(), help="Write the report here, not stdout."
)
@jobs_option(
    "Worker processes that read a large CSV table in parts and check them, or run the rules "
    "that compare each translation with its source for other files (default: one per CPU "
    "core, at most 4; 1: this process only). Small files use one."
)
@encoding_option
@click.pass_context
def check(
    ctx: click.Context,
    files: tuple[str, ...],
    languages: str | None,
    main_language: str | None,
    against: str | None,
    min_coverage: float | None,
    rules: str | None,
    ignore: str | None,
    enable: str | None,
    terms: str | None,
    config_path: str | None,
    state_path: Path | None,
    report_format: str,
    output: str | None,
    encoding: str | None,
    jobs: int | None,
) -> None:
    """Check tables and translator files; exit 1 when a finding is an error.

    Rules: missing languages, translations and keys, duplicate keys, invalid language headers,
    main-language order, placeholders, HTML tags, URLs, e-mail addresses, numbers, ending
    punctuation, brackets, quotes, double spaces, repeated words, whitespace, line breaks,
    unchanged texts, length limits, control characters, inconsistent translations, coverage,
    a termbase (--terms), spelling (--enable spelling), and (when the project has a
    .wixloc/state.json) translations made from an older source. See docs/check.md.

    \b
    Example:
      wixloc check content.csv --languages en,de,fr,he --min-coverage 95
      wixloc check translations/*.po --format github
      wixloc check content.csv --format html -o report.html
      wixloc check content.csv --terms glossary.csv --enable spelling
    """
    config = load_config(config_path) if config_path else CheckConfig()
    _apply(config, languages, main_language, min_coverage, rules, ignore)
    if enable is not None:
        config.enable = [*config.enable, *(comma_list(enable) or [])]
    if terms is not None:
        config.terms = terms
    config.state = _state(state_path, config_path)
    config.encoding = encoding
    config.jobs = jobs or default_jobs()
    with bar("Checking", "files") as on_progress:
        report = check_files(list(files), config, against=against, on_progress=on_progress)
    pieces = chunks(report, report_format)  # an unknown format fails here, before any output
    if output is not None or report_format != "text":
        for note in report.notes:  # the text report has them; say them where people look
            click.echo(f"wixloc: note: {note}", err=True)
    # the report is written as it is rendered, a batch at a time: never held whole
    if output is not None:
        with atomic_write(output) as fh:
            for data in encoded(report, report_format, config.jobs):
                fh.write(data)
        click.echo(f"{report.summary_line()}; report written to {Path(output)}")
    elif (errors := _utf8_errors(sys.stdout)) is not None:
        # encoded as the stream would encode it; a large report is rendered by the workers
        for data in encoded(report, report_format, config.jobs, errors):
            click.echo(data, nl=False)
    else:
        for text in batches(pieces):
            # in the stream's own encoding; the texts as they are, escape sequences and all,
            # as in the bytes above (click would take them out of a stream not a terminal)
            click.echo(text, nl=False, color=True)
    ctx.exit(report.exit_code)


def _utf8_errors(stream: TextIO) -> str | None:
    """The error handler of *stream* if it writes text as its UTF-8 bytes, else None: the
    report is then written to it as text (on Windows, where a text stream also turns each
    newline into CR LF, or in another encoding)."""
    if sys.platform == "win32":
        return None
    try:
        if codecs.lookup(stream.encoding).name == "utf-8" and isinstance(stream.errors, str):
            return stream.errors
    except (AttributeError, LookupError, TypeError):
        pass
    return None


def _apply(
    config: CheckConfig,
    languages: str | None,
    main_language: str | None,
    min_coverage: float | None,
    rules: str | None,
    ignore: str | None,
) -> None:
    """Command-line options win over wixloc.toml."""
    if languages is not None:
        config.languages = comma_list(languages)
    if main_language is not None:
        config.main_language = main_language
    if min_coverage is not None:
        config.min_coverage = min_coverage
    if rules is not None:
        config.rules = comma_list(rules)
    if ignore is not None:
        config.ignore = [*config.ignore, *(comma_list(ignore) or [])]


COMMANDS = [check]
